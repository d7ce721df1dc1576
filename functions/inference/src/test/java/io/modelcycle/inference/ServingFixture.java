package io.modelcycle.inference;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.modelcycle.core.Hashing;
import io.modelcycle.core.Json;
import io.modelcycle.core.artifact.ArtifactKeys;
import io.modelcycle.core.capture.BufferedCaptureSink;
import io.modelcycle.core.metrics.Datapoint;
import io.modelcycle.core.metrics.MetricId;
import io.modelcycle.core.metrics.MetricQuery;
import io.modelcycle.core.metrics.Statistic;
import io.modelcycle.core.registry.ArtifactRef;
import io.modelcycle.core.registry.Change;
import io.modelcycle.core.registry.Lineage;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.embedded.artifact.FileArtifactStore;
import io.modelcycle.embedded.metrics.SqliteMetricsStore;
import io.modelcycle.embedded.registry.SqliteRegistryStore;
import io.modelcycle.http.HttpEvents;
import io.modelcycle.http.LocalContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A served model on real embedded stores: files for artifacts, SQLite for the registry and the metrics, the real
 * capture sink. Model {@code churn} has versions 1 and 2 (both the trained archive, registered with its SHA-256 and
 * approved), alias {@code production} → 1. The clock is moved by hand, the canary's generator is seeded.
 */
final class ServingFixture implements AutoCloseable {

    static final Path EVENTS = Path.of("../../events/inference");
    static final Change SEED = Change.by("seed", null);

    final Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));
    final FileArtifactStore artifacts;
    final SqliteRegistryStore store;
    final Registry registry;
    final SqliteMetricsStore metrics;
    final BufferedCaptureSink capture;
    final InferenceService service;
    final InferenceHandler handler;

    ServingFixture(Path dir, double sampleRate) {
        this.dir = dir;
        TrainedModel trained = TrainedModel.get();
        artifacts = new FileArtifactStore(dir.resolve("artifacts"));
        store = new SqliteRegistryStore(dir.resolve("registry.db"));
        registry = new Registry(store, clock);
        metrics = new SqliteMetricsStore(dir.resolve("metrics.db"));
        capture = new BufferedCaptureSink(artifacts, new BufferedCaptureSink.Settings(1000, 100, Duration.ofSeconds(60)));
        registry.createModel(TrainedModel.definition(sampleRate), SEED);
        register(1, trained.archive);
        register(2, trained.archive);
        registry.setAlias(TrainedModel.NAME, "production", 1, null, null, SEED);
        service = new InferenceService(registry, new ModelLoader(artifacts, dir.resolve("work")), capture, metrics, clock,
                new InferenceService.Settings(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofSeconds(30)),
                new CanaryRouter(() -> new SplittableRandom(42)));
        // the default body limit of the shared HTTP plumbing (256 KiB), smaller than production's, keeps the 413 sample small
        handler = new InferenceHandler(service, TrainedModel.NAME, io.modelcycle.http.JsonBodies.DEFAULT_MAX_BYTES, "ModelCycle",
                Duration.ofMillis(200));
    }

    /** Registers the next version with {@code archive} as its artifact, and approves it. */
    int register(int expected, byte[] archive) {
        int v = registry.registerVersion(TrainedModel.NAME, new Lineage("s3://data/churn.csv", null, "local", Map.of(),
                null, null, "manual"), SEED).number();
        if (v != expected) {
            throw new IllegalStateException("expected version " + expected + ", got " + v);
        }
        String key = ArtifactKeys.versionFile(TrainedModel.NAME, v, ArtifactKeys.MODEL_ARCHIVE);
        artifacts.put(key, archive);
        registry.recordTrained(TrainedModel.NAME, v, new ArtifactRef(key, Hashing.sha256Hex(archive), archive.length),
                Map.of(), null, null, null, SEED);
        registry.approve(TrainedModel.NAME, v, SEED);
        return v;
    }

    APIGatewayV2HTTPResponse post(String path, String query, Object body) {
        return post(path, query, Json.write(body), "application/json");
    }

    APIGatewayV2HTTPResponse post(String path, String query, String body, String contentType) {
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0").withRawPath(path).withRawQueryString(query == null ? "" : query)
                .withQueryStringParameters(query == null ? null : parseQuery(query))
                .withHeaders(contentType == null ? Map.of() : Map.of("content-type", contentType))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("api-request")
                        .withStage("$default").withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod("POST").withPath(path).build()).build())
                .withBody(body).withIsBase64Encoded(false).build();
        return handler.handleRequest(event, LocalContext.of("test-request", InferenceHandler.SERVICE));
    }

    APIGatewayV2HTTPResponse play(String file) {
        try {
            String json = Files.readString(EVENTS.resolve(file), StandardCharsets.UTF_8);
            return handler.handleRequest(HttpEvents.read(json), LocalContext.of("test-request", InferenceHandler.SERVICE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Map<String, Object> predict(Object body) {
        return predict("/models/churn/predict", null, body);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> predict(String path, String query, Object body) {
        APIGatewayV2HTTPResponse response = post(path, query, body);
        if (response.getStatusCode() != 200) {
            throw new AssertionError("expected 200, got " + response.getStatusCode() + ": " + response.getBody());
        }
        return Json.read(response.getBody(), Map.class);
    }

    /** Sum of a serving metric over the last day. */
    double sum(MetricId metric) {
        List<Datapoint> points = metrics.read(MetricQuery.covering(metric, Statistic.SUM, Duration.ofDays(1),
                clock.instant().minus(Duration.ofDays(1)), clock.instant().plus(Duration.ofDays(1))));
        return points.stream().mapToDouble(Datapoint::value).sum();
    }

    private static Map<String, String> parseQuery(String query) {
        Map<String, String> out = new java.util.HashMap<>();
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        return out;
    }

    @Override
    public void close() {
        service.close();
        metrics.close();
        store.close();
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
