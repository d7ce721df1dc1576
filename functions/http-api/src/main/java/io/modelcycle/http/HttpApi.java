package io.modelcycle.http;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.cloudwatchlogs.emf.config.Configuration;
import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;
import software.amazon.cloudwatchlogs.emf.environment.Environments;
import software.amazon.lambda.powertools.logging.CorrelationIdPaths;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Serves API Gateway HTTP API (payload 2.0) events with a {@link Router} of {@link Endpoint}s: routes the event,
 * runs the endpoint, maps any exception through {@link ErrorMapper}, writes one structured log line per request
 * and one EMF metric ({@code Requests}, dimensions {@code Service}, {@code Method}, {@code Route} (the template, or
 * {@value #UNMATCHED}), {@code Status}).
 *
 * <p>Logging uses Powertools' functional API ({@link PowertoolsLogging#withLogging}), not the {@code @Logging}
 * annotation, so no AspectJ weaving is needed: the Lambda context fields (request id, cold start, function name)
 * and the API Gateway request id (as {@code correlation_id}) land on every line logged during the request.
 * Metrics use {@link Metrics#flushSingleMetric}, which carries its own dimensions, so concurrent requests in the
 * local runtime cannot mix them up.
 *
 * <p>Thread-safe once built; build one per handler instance, in its constructor.
 */
public final class HttpApi {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    /** The route dimension of requests that matched none. */
    static final String UNMATCHED = "UNMATCHED";

    static {
        // Outside Lambda, EMF would otherwise look for a CloudWatch agent on a TCP port and drop every metric when
        // there is none; the local runtime and tests want the same JSON lines Lambda writes, on stdout.
        if (System.getenv("AWS_LAMBDA_FUNCTION_NAME") == null && System.getenv("AWS_EMF_ENVIRONMENT") == null) {
            Configuration emf = EnvironmentConfigurationProvider.getConfig();
            emf.setEnvironmentOverride(Environments.Local);
            if (emf.getServiceName().isEmpty()) {
                emf.setServiceName("modelcycle");
                emf.setServiceType("local");
            }
        }
    }

    private final String service;
    private final Router<Endpoint> router;
    private final String namespace;
    private final AccessLog accessLog;

    /**
     * @param service   the service name used as a metric dimension, e.g. {@code registry-api}
     * @param router    the routes
     * @param namespace the CloudWatch metrics namespace, e.g. {@code ModelCycle}
     */
    public HttpApi(String service, Router<Endpoint> router, String namespace) {
        this(service, router, namespace, AccessLog.EVERY_REQUEST);
    }

    /**
     * What is logged and counted per request. {@link #EVERY_REQUEST} suits management APIs (few requests, each
     * worth a line); {@link #FAILURES_ONLY} suits a hot serving path whose successes are already counted elsewhere
     * (inference publishes per-version serving metrics): a line and an EMF record per success would cost more than
     * the prediction itself. Failures (status 400 and up) are always logged and counted.
     */
    public enum AccessLog { EVERY_REQUEST, FAILURES_ONLY }

    public HttpApi(String service, Router<Endpoint> router, String namespace, AccessLog accessLog) {
        this.service = Objects.requireNonNull(service, "service");
        this.router = Objects.requireNonNull(router, "router");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.accessLog = Objects.requireNonNull(accessLog, "accessLog");
    }

    public List<Route> routes() {
        return router.routes();
    }

    /** Handles one event; never throws, every failure becomes an error response. */
    public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context) {
        if (context == null || event == null) {
            return dispatch(event, context);
        }
        return PowertoolsLogging.withLogging(context, CorrelationIdPaths.API_GATEWAY_HTTP, event,
                () -> dispatch(event, context));
    }

    private APIGatewayV2HTTPResponse dispatch(APIGatewayV2HTTPEvent event, Context context) {
        long start = System.nanoTime();
        String requestId = requestId(event, context);
        String method = method(event);
        String path = path(event);
        String routeKey = UNMATCHED;
        Route route = null;
        String actor = Actors.of(event);
        APIGatewayV2HTTPResponse response;
        try {
            if (event == null) {
                throw new HttpException(400, "MALFORMED_EVENT", "the event is empty", Map.of());
            }
            Router.Match<Endpoint> match = router.match(method, path);
            route = match.route();
            routeKey = route.toString();
            ApiRequest request = new ApiRequest(match.route(), path, match.pathParameters(),
                    event.getQueryStringParameters(), event.getHeaders(), body(event), actor, requestId);
            response = match.target().handle(request);
        } catch (RuntimeException e) {
            response = ErrorMapper.toResponse(e, requestId);
            if (ErrorMapper.isFault(e)) {
                LOG.error("request failed", entry("route", routeKey), entry("requestId", requestId), e);
            }
        }
        if (accessLog == AccessLog.FAILURES_ONLY && response.getStatusCode() < 400) {
            return response;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        LOG.info(method + " " + path + " -> " + response.getStatusCode(), entry("route", routeKey),
                entry("status", response.getStatusCode()), entry("latencyMs", millis), entry("actor", actor),
                entry("requestId", requestId));
        count(route == null ? "NONE" : route.method(), route == null ? UNMATCHED : route.template(), response.getStatusCode());
        return response;
    }

    private void count(String method, String route, int status) {
        try {
            Metrics metrics = MetricsFactory.getMetricsInstance();
            metrics.flushSingleMetric("Requests", 1, MetricUnit.COUNT, namespace, DimensionSet.of("Service", service,
                    "Method", method.isEmpty() ? "NONE" : method, "Route", route, "Status", Integer.toString(status)));
        } catch (RuntimeException e) {
            // A metric lost is better than a request failed.
            LOG.warn("could not emit the request metric", e);
        }
    }

    /**
     * The raw path without the stage: on a named stage (not {@code $default}) API Gateway puts the stage name in
     * front of the path ({@code /prod/models}), and the routes should not have to know which stage they run in.
     */
    static String path(APIGatewayV2HTTPEvent event) {
        String path = event == null || event.getRawPath() == null || event.getRawPath().isEmpty() ? "/" : event.getRawPath();
        String stage = event == null || event.getRequestContext() == null ? null : event.getRequestContext().getStage();
        if (stage != null && !stage.isEmpty() && !"$default".equals(stage)) {
            String prefix = "/" + stage;
            if (path.equals(prefix)) {
                return "/";
            }
            if (path.startsWith(prefix + "/")) {
                return path.substring(prefix.length());
            }
        }
        return path;
    }

    private static String method(APIGatewayV2HTTPEvent event) {
        if (event == null || event.getRequestContext() == null || event.getRequestContext().getHttp() == null
                || event.getRequestContext().getHttp().getMethod() == null) {
            return "";
        }
        return event.getRequestContext().getHttp().getMethod();
    }

    /** The Lambda request id (what the logs carry), else API Gateway's, so an error report can be found in the logs. */
    private static String requestId(APIGatewayV2HTTPEvent event, Context context) {
        if (context != null && context.getAwsRequestId() != null) {
            return context.getAwsRequestId();
        }
        if (event != null && event.getRequestContext() != null && event.getRequestContext().getRequestId() != null) {
            return event.getRequestContext().getRequestId();
        }
        return "unknown";
    }

    private static byte[] body(APIGatewayV2HTTPEvent event) {
        String body = event.getBody();
        if (body == null) {
            return new byte[0];
        }
        if (!event.getIsBase64Encoded()) {
            return body.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Base64.getMimeDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new HttpException(400, "MALFORMED_BODY", "the body is marked base64 but is not valid base64", Map.of());
        }
    }
}
