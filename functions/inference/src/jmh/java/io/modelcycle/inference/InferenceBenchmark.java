package io.modelcycle.inference;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.modelcycle.core.Json;
import io.modelcycle.core.capture.BufferedCaptureSink;
import io.modelcycle.core.dataset.Dataset;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.djl.Prediction;
import io.modelcycle.djl.TabularModel;
import io.modelcycle.embedded.artifact.FileArtifactStore;
import io.modelcycle.embedded.metrics.SqliteMetricsStore;
import io.modelcycle.embedded.registry.SqliteRegistryStore;
import io.modelcycle.http.HttpEvents;
import io.modelcycle.http.LocalContext;
import io.modelcycle.inference.runtime.BackgroundMetricsSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Serving latency, in one JMH run (see {@code functions/inference/bench.sh}):
 * <ul>
 *   <li>warm, sampled: (a) the raw DJL predictor ({@link TabularModel#predict(List)}) on 1 and 100 rows; (b) the whole
 *       handler, event JSON in to response JSON out (parse the API Gateway event, route, alias resolution with the
 *       canary draw, body parsing, schema validation, prediction, metrics to a background SQLite sink, 10 % capture,
 *       the structured log line, writing the response) on the same rows;</li>
 *   <li>single shot in fresh JVMs: from handler construction (stores opened, service built) to the first response,
 *       without priming; and the first request after {@code beforeCheckpoint} priming and {@code afterRestore}.</li>
 * </ul>
 * The model is the real trainer's output on synthetic data (3 numeric + 1 categorical feature, hidden 16,8), served
 * from real embedded stores prepared once under {@code target/bench-store}. One PyTorch thread, as the tests.
 */
public class InferenceBenchmark {

    static final Path STORE = Path.of("target/bench-store");
    static final String[] JVM_ARGS = {"-Xms1g", "-Xmx1g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
            "-Dai.djl.pytorch.num_interop_threads=1"};

    /** A served model on the prepared stores. */
    static final class Serving implements AutoCloseable {
        final FileArtifactStore artifacts = new FileArtifactStore(STORE.resolve("artifacts"));
        final SqliteRegistryStore registryStore = new SqliteRegistryStore(STORE.resolve("registry.db"));
        final SqliteMetricsStore metricsStore = new SqliteMetricsStore(STORE.resolve("metrics.db"));
        final BufferedCaptureSink capture = new BufferedCaptureSink(artifacts);
        final InferenceService service;
        final InferenceHandler handler;

        Serving() throws Exception {
            Path work = Files.createTempDirectory("bench-work");
            service = new InferenceService(new Registry(registryStore), new ModelLoader(artifacts, work), capture,
                    new BackgroundMetricsSink(metricsStore, 100_000), Clock.systemUTC(), InferenceService.Settings.DEFAULT,
                    new CanaryRouter());
            handler = new InferenceHandler(service, TrainedModel.NAME, InferenceConfig.DEFAULT_MAX_BODY_BYTES, "ModelCycle");
        }

        String call(String eventJson) throws Exception {
            APIGatewayV2HTTPEvent event = HttpEvents.read(eventJson);
            APIGatewayV2HTTPResponse response = handler.handleRequest(event, LocalContext.of("bench", InferenceHandler.SERVICE));
            if (response.getStatusCode() != 200) {
                throw new IllegalStateException(response.getBody());
            }
            return Json.mapper().writeValueAsString(response);
        }

        @Override
        public void close() {
            service.close();
            metricsStore.close();
            registryStore.close();
        }
    }

    static List<Map<String, Object>> rows(int n) {
        Dataset data = TrainedModel.DATA.withSeed(99).withRows(n).withMissingRate(0).generate();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (var r : data.rows()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < data.schema().size(); i++) {
                row.put(data.schema().features().get(i).name(), r.features().get(i));
            }
            rows.add(row);
        }
        return rows;
    }

    static String event(int n) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", "/models/churn/predict");
        event.put("rawQueryString", "");
        event.put("headers", Map.of("content-type", "application/json", "host", "abc.execute-api.eu-west-1.amazonaws.com"));
        event.put("requestContext", Map.of("requestId", "bench", "stage", "$default",
                "http", Map.of("method", "POST", "path", "/models/churn/predict")));
        event.put("body", Json.write(Map.of("instances", rows(n))));
        event.put("isBase64Encoded", false);
        return Json.write(event);
    }

    // ---- warm ----

    @State(Scope.Benchmark)
    public static class Warm {
        @Param({"1", "100"})
        public int rows;
        Serving serving;
        TabularModel raw;
        List<Map<String, Object>> input;
        String eventJson;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            serving = new Serving();
            input = rows(rows);
            eventJson = event(rows);
            serving.call(eventJson); // loads the production version
            raw = new ModelLoader(serving.artifacts, Files.createTempDirectory("bench-raw"))
                    .load(new Registry(serving.registryStore).version(TrainedModel.NAME, 1));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            raw.close();
            serving.close();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    @Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
            "-Dai.djl.pytorch.num_interop_threads=1"})
    public List<Prediction> a_rawPredictor(Warm state) {
        return state.raw.predict(state.input);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    @Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
            "-Dai.djl.pytorch.num_interop_threads=1"})
    public String b_handler(Warm state) throws Exception {
        return state.serving.call(state.eventJson);
    }

    // ---- first requests, each in a fresh JVM ----

    @State(Scope.Benchmark)
    public static class Cold {
        String eventJson;
        Serving serving;

        @Setup(Level.Trial)
        public void setUp() {
            eventJson = event(1);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            serving.close();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    @Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
            "-Dai.djl.pytorch.num_interop_threads=1"})
    public String c_constructionToFirstResponse(Cold state) throws Exception {
        state.serving = new Serving();
        return state.serving.call(state.eventJson);
    }

    @State(Scope.Benchmark)
    public static class Primed {
        String eventJson;
        Serving serving;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            eventJson = event(1);
            serving = new Serving();
            if (!serving.handler.prime()) {
                throw new IllegalStateException("priming failed");
            }
            serving.handler.afterRestore(null);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            serving.close();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    @Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
            "-Dai.djl.pytorch.num_interop_threads=1"})
    public String d_firstRequestAfterPriming(Primed state) throws Exception {
        return state.serving.call(state.eventJson);
    }

    // ---- run and report ----

    public static void main(String[] args) throws Exception {
        if (!Files.exists(STORE.resolve("registry.db"))) {
            try (ServingFixture fixture = new ServingFixture(Files.createDirectories(STORE), 0.1)) {
                System.err.println("prepared the served model under " + STORE);
            }
        }
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(InferenceBenchmark.class.getName() + ".*")
                .jvmArgsAppend(JVM_ARGS)
                .build()).run();
        Map<String, double[]> figures = new TreeMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            String rows = r.getParams().getParamsKeys().contains("rows") ? r.getParams().getParam("rows") : "1";
            var stats = r.getPrimaryResult().getStatistics();
            figures.put(name + "/" + rows, new double[] {stats.getPercentile(50), stats.getPercentile(99), stats.getMean(),
                    stats.getMin(), stats.getMax()});
        }
        System.out.println();
        System.out.println("== inference serving latency (µs unless noted) ==");
        figures.forEach((k, v) -> System.out.printf("%-40s p50 %10.1f  p99 %10.1f  mean %10.1f  min %10.1f  max %10.1f%n",
                k, v[0], v[1], v[2], v[3], v[4]));
        for (String n : List.of("1", "100")) {
            double[] a = figures.get("a_rawPredictor/" + n);
            double[] b = figures.get("b_handler/" + n);
            System.out.printf("rows=%-3s handler/raw: p50 %.2fx  p99 %.2fx%n", n, b[0] / a[0], b[1] / a[1]);
        }
        double[] primed = figures.get("d_firstRequestAfterPriming/1");
        double[] warm = figures.get("b_handler/1");
        double[] cold = figures.get("c_constructionToFirstResponse/1");
        System.out.printf("construction to first response, no priming: mean %.0f ms (min %.0f, max %.0f, 3 JVMs)%n",
                cold[2], cold[3], cold[4]);
        System.out.printf("first request after priming: mean %.0f µs (min %.0f, max %.0f, 3 JVMs) = %.1fx the warm p50 of %.0f µs%n",
                primed[2], primed[3], primed[4], primed[2] / warm[0], warm[0]);
    }
}
