package io.modelcycle.inference;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.modelcycle.aws.stage.AwsStage;
import io.modelcycle.core.Json;
import io.modelcycle.core.capture.BufferedCaptureSink;
import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureType;
import io.modelcycle.core.registry.Alias;
import io.modelcycle.http.ApiRequest;
import io.modelcycle.http.HttpApi;
import io.modelcycle.http.JsonBodies;
import io.modelcycle.http.Route;
import io.modelcycle.inference.runtime.EmfMetricsSink;
import io.modelcycle.inference.runtime.PyTorchNative;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crac.Core;
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
 * checked), one row built from its schema is sent as JSON through validation and a real prediction, and the response
 * is written and read back as JSON; nothing is counted or captured. A priming failure is logged, never thrown: a
 * snapshot without a warm model is slower, not broken. {@link #afterRestore} re-seeds the canary's random generator and
 * drops the aliases read before the snapshot. The no-arg constructor also brings in the PyTorch native library
 * (see {@link PyTorchNative}) before anything touches the engine.
 */
public final class InferenceHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Resource {

    public static final String SERVICE = "inference";
    private static final Logger LOG = LoggerFactory.getLogger(InferenceHandler.class);

    private final InferenceService service;
    private final InferenceEndpoints endpoints;
    private final HttpApi api;
    private final String primeModel;

    /** Wires the AWS adapters from the environment; runs once, in Lambda's INIT phase. */
    public InferenceHandler() {
        this(fromEnv(InferenceConfig.fromEnv(System.getenv())), InferenceConfig.fromEnv(System.getenv()));
    }

    private InferenceHandler(InferenceService service, InferenceConfig config) {
        this(service, config.primeModel().orElse(null), config.maxBodyBytes(), config.httpNamespace());
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
        this.service = service;
        this.primeModel = primeModel;
        this.endpoints = new InferenceEndpoints(service, new JsonBodies(maxBodyBytes));
        this.api = new HttpApi(SERVICE, endpoints.router(), httpNamespace);
        Core.getGlobalContext().register(this);
    }

    private static InferenceService fromEnv(InferenceConfig config) {
        AwsStage stage = AwsStage.fromEnv();
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
     */
    public boolean prime() {
        if (primeModel == null) {
            return false;
        }
        try {
            InferenceService.Target target = service.resolveExact(primeModel, Alias.PRODUCTION);
            Map<String, Object> row = new LinkedHashMap<>();
            for (Feature f : target.model().schema().features()) {
                row.put(f.name(), f.type() == FeatureType.NUMERIC ? (Object) 0.0 : f.allowedValues().get(0));
            }
            byte[] body = Json.mapper().writeValueAsBytes(new PredictRequest(List.of(row)));
            ApiRequest request = new ApiRequest(InferenceEndpoints.PREDICT_VERSION_ROUTE,
                    "/models/" + primeModel + "/versions/" + target.version() + "/predict",
                    Map.of("name", primeModel, "version", Integer.toString(target.version())), Map.of(),
                    Map.of("content-type", "application/json"), body, "snapstart-priming", "priming");
            APIGatewayV2HTTPResponse response = endpoints.predict(request, false);
            PredictResponse parsed = Json.mapper().readValue(response.getBody().getBytes(StandardCharsets.UTF_8),
                    PredictResponse.class);
            LOG.info("primed model '{}' version {}: {}", primeModel, parsed.version(), parsed.predictions().get(0));
            return true;
        } catch (Exception | LinkageError e) {
            LOG.warn("priming model '{}' failed; the first requests will load it instead", primeModel, e);
            return false;
        }
    }
}
