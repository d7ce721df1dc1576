package io.modelcycle.inference;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.modelcycle.aws.AwsClients;
import io.modelcycle.aws.stage.AwsStage;
import io.modelcycle.core.capture.BufferedCaptureSink;
import io.modelcycle.core.Json;
import io.modelcycle.http.ApiRequest;
import io.modelcycle.http.Endpoint;
import io.modelcycle.http.HttpApi;
import io.modelcycle.http.HttpEvents;
import io.modelcycle.http.LocalContext;
import io.modelcycle.http.JsonBodies;
import io.modelcycle.http.Route;
import io.modelcycle.http.Router;
import io.modelcycle.inference.runtime.EmfMetricsSink;
import io.modelcycle.inference.runtime.PyTorchNative;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.crac.Core;
import software.amazon.lambda.powertools.logging.CorrelationIdPaths;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inference Lambda handler.
 *
 * <p>Trigger: API Gateway HTTP API, payload format 2.0: {@code POST /models/{name}/predict} ({@code ?alias=}, default
 * {@code production}, which sends the canary's share to the canary) and {@code POST /models/{name}/versions/{v}/predict}.
 * Body {@code {"instances":[{feature: value}, …]}}. Environment: {@link InferenceConfig} and
 * {@link AwsStage.Config}. Sample events: {@code events/inference/}.
 *
 * <p><b>SnapStart.</b> The constructor registers the handler as a CRaC {@link Resource}. {@link #beforeCheckpoint}
 * primes it through the real path: the production version of {@code MODEL_NAME} is resolved and loaded (SHA-256
 * checked), and requests built from its schema go as JSON through routing, validation and a real prediction, their
 * responses written and read back as JSON ({@link #prime}); nothing is counted or captured. A priming failure is logged, never thrown: a
 * snapshot without a warm model is slower, not broken. {@link #afterRestore} re-seeds the canary's random generator and
 * drops the aliases read before the snapshot. The no-arg constructor also brings in the PyTorch native library
 * (see {@link PyTorchNative}) before anything touches the engine.
 */
public final class InferenceHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Resource {

    public static final String SERVICE = "inference";
    private static final Logger LOG = LoggerFactory.getLogger(InferenceHandler.class);
    /** Requests run on the inner path while priming, after the one through the whole handler. */
    static final int PRIMING_ROUNDS = 10_000;
    /** The default bound on priming time, so a slow environment does not stretch the snapshot's INIT. */
    public static final Duration DEFAULT_PRIMING_TIME = Duration.ofSeconds(5);

    private final InferenceService service;
    private final InferenceEndpoints endpoints;
    private final Router<Endpoint> router;
    private final HttpApi api;
    private final String primeModel;
    private final Duration primingTime;

    /** Wires the AWS adapters from the environment; runs once, in Lambda's INIT phase. */
    public InferenceHandler() {
        this(System.getenv());
    }

    /** Wires from {@code env} as the no-arg constructor does from the process environment (tests pass a map). */
    InferenceHandler(Map<String, String> env) {
        this(env, InferenceConfig.fromEnv(env));
    }

    private InferenceHandler(Map<String, String> env, InferenceConfig config) {
        this(fromEnv(env, config), config.primeModel().orElse(null), config.maxBodyBytes(), config.httpNamespace(),
                DEFAULT_PRIMING_TIME);
    }

    /** For tests and the local runtime: serves with {@code service}, no priming model, default limits. */
    public InferenceHandler(InferenceService service) {
        this(service, null, InferenceConfig.DEFAULT_MAX_BODY_BYTES, "ModelCycle");
    }

    /**
     * @param service       the service
     * @param primeModel    the model primed before a snapshot, or null
     * @param maxBodyBytes  largest accepted body
     * @param httpNamespace namespace of the per-route HTTP request metric
     */
    public InferenceHandler(InferenceService service, String primeModel, int maxBodyBytes, String httpNamespace) {
        this(service, primeModel, maxBodyBytes, httpNamespace, DEFAULT_PRIMING_TIME);
    }

    /**
     * As above, with a bound on how long {@link #prime} runs requests (tests keep it short).
     */
    public InferenceHandler(InferenceService service, String primeModel, int maxBodyBytes, String httpNamespace,
                            Duration primingTime) {
        this.service = service;
        this.primeModel = primeModel;
        this.primingTime = primingTime;
        this.endpoints = new InferenceEndpoints(service, new JsonBodies(maxBodyBytes));
        this.router = endpoints.router();
        // Successes are counted per version by the serving metrics; a log line and an EMF record each would cost
        // more than the prediction. Failures are still logged and counted.
        this.api = new HttpApi(SERVICE, router, httpNamespace, HttpApi.AccessLog.FAILURES_ONLY);
        Core.getGlobalContext().register(this);
    }

    private static InferenceService fromEnv(Map<String, String> env, InferenceConfig config) {
        AwsStage.Config stageConfig = AwsStage.Config.fromEnv(env);
        AwsStage stage = new AwsStage(stageConfig, new AwsClients(stageConfig.aws()));
        // Before any DJL class asks for the engine: the natives are not in the deployment package.
        if (config.nativeKey().isPresent()) {
            PyTorchNative.install(stage.artifacts(), config.nativeKey().get(), config.nativeSha256().get(),
                    config.workDir().resolve("pytorch")).apply(config.workDir().resolve("djl-cache"));
        }
        BufferedCaptureSink capture = new BufferedCaptureSink(stage.artifacts());
        Runtime.getRuntime().addShutdownHook(new Thread(capture::close, "capture-flush"));
        return InferenceService.create(stage.registry(), stage.artifacts(), config.workDir().resolve("models"), capture,
                new EmfMetricsSink(), Clock.systemUTC(), new InferenceService.Settings(config.routesTtl(),
                        InferenceService.Settings.DEFAULT.pinnedIdle(), InferenceService.Settings.DEFAULT.retryAfter()));
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return api.handle(event, context);
    }

    /** The routes served, in the form {@code POST /models/{name}/predict}. */
    public List<Route> routes() {
        return api.routes();
    }

    /** The service behind the routes. */
    public InferenceService service() {
        return service;
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        service.afterRestore();
    }

    /**
     * Loads and exercises the production version of the priming model; returns whether it did. Never throws.
     *
     * <p>One request for the {@code production} alias goes through the whole handler (so logging, the HTTP metric and
     * the error mapping are loaded and initialised; it is the one request the per-route HTTP metric counts at each
     * snapshot), then up to {@value #PRIMING_ROUNDS} more (at most the priming time, default 5 s) through event parsing,
     * routing, alias resolution with the canary draw, validation, prediction, metric points, capture records and
     * response JSON, so the JIT has compiled the request path before the snapshot freezes it. The service is in
     * priming mode meanwhile: no serving metric is published and nothing is captured. The canary generator is
     * forgotten at the end.
     */
    public boolean prime() {
        if (primeModel == null) {
            return false;
        }
        try {
            String eventJson = endpoints.primingEvent(primeModel);
            LocalContext context = LocalContext.of("snapstart-priming", SERVICE);
            PredictResponse last = service.priming(() -> roundTrip(api.handle(HttpEvents.read(eventJson), context)));
            long deadline = System.nanoTime() + primingTime.toNanos();
            for (int i = 0; i < PRIMING_ROUNDS && System.nanoTime() < deadline; i++) {
                APIGatewayV2HTTPEvent event = HttpEvents.read(eventJson);
                // Powertools' logging context (correlation id from the event, Lambda context fields) is the slowest
                // part of a request until the JIT has compiled it; it is warmed here without HttpApi's log line and
                // HTTP metric, which would be written once per round.
                last = service.priming(() -> roundTrip(PowertoolsLogging.withLogging(context,
                        CorrelationIdPaths.API_GATEWAY_HTTP, event, () -> dispatch(event))));
            }
            service.primeRouter();
            LOG.info("primed model '{}' version {}: {}", primeModel, last.version(), last.predictions().get(0));
            return true;
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("priming model '{}' failed; the first requests will load it instead", primeModel, e);
            return false;
        }
    }

    /** What {@link HttpApi} does with an event, less its log line and HTTP metric. */
    private APIGatewayV2HTTPResponse dispatch(APIGatewayV2HTTPEvent event) {
        Router.Match<Endpoint> match = router.match(event.getRequestContext().getHttp().getMethod(), event.getRawPath());
        return match.target().handle(new ApiRequest(match.route(), event.getRawPath(), match.pathParameters(),
                event.getQueryStringParameters(), event.getHeaders(), event.getBody().getBytes(StandardCharsets.UTF_8),
                "snapstart-priming", "snapstart-priming"));
    }

    /** The response as JSON and back, as the Lambda runtime writes it and a caller reads it. */
    private static PredictResponse roundTrip(APIGatewayV2HTTPResponse response) {
        if (response.getStatusCode() != 200) {
            throw new IllegalStateException("priming got " + response.getStatusCode() + ": " + response.getBody());
        }
        try {
            Json.mapper().writeValueAsString(response);
            return Json.mapper().readValue(response.getBody(), PredictResponse.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
