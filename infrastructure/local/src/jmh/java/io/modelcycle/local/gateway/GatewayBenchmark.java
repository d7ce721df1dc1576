package io.modelcycle.local.gateway;

import io.modelcycle.core.dataset.Dataset;
import io.modelcycle.core.dataset.Row;
import io.modelcycle.core.dataset.SyntheticDataset;
import io.modelcycle.core.registry.Change;
import io.modelcycle.local.asl.ExecutionDescription;
import io.modelcycle.local.asl.ExecutionStatus;
import io.modelcycle.local.demo.PredictionClient;
import io.modelcycle.local.events.EventBus;
import io.modelcycle.local.runtime.LocalRuntime;
import io.modelcycle.local.runtime.RuntimeListener;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Single-row predictions per second through the local HTTP gateway, one client on loopback, one request at a time:
 * a binary model of 20 features is trained by the runtime (upload → training-pipeline → production), then
 * {@code warmup} requests are sent and not counted, then {@code requests} are timed. Prints requests per second and
 * latency percentiles. Not a unit test: run {@code infrastructure/local/gateway-bench.sh [requests] [warmup]}.
 */
public final class GatewayBenchmark {

    private GatewayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 3_000;
        PrintStream out = System.out;
        Path home = Files.createTempDirectory("modelcycle-gateway-bench");
        PrintStream log = new PrintStream(Files.newOutputStream(home.resolve("handlers.log")), true);
        System.setOut(log);
        System.setErr(log);
        CompletableFuture<String> started = new CompletableFuture<>();
        try (LocalRuntime runtime = LocalRuntime.builder().home(home).optListener(new RuntimeListener() {
            @Override
            public void eventDelivered(EventBus.Delivery delivery) {
                started.complete(delivery.executionArn());
            }
        }).build(); LocalServing serving = LocalServing.start(runtime, 0, "bench")) {
            SyntheticDataset source = SyntheticDataset.binary(2000, 20, 1);
            runtime.registry().createModel(source.model("bench", "bench"), Change.by("bench", null));
            Path csv = home.resolve("train.csv");
            source.generate().writeCsv(csv);
            runtime.uploadDataset("bench", csv);
            ExecutionDescription trained = runtime.await(started.get(), Duration.ofMinutes(5));
            if (trained.status() != ExecutionStatus.SUCCEEDED) {
                throw new IllegalStateException("training failed: " + trained.error() + " " + trained.cause());
            }
            Dataset traffic = source.withSeed(2).withRows(1000).withMissingRate(0).generate();
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Row r : traffic.rows()) {
                rows.add(r.toMap(traffic.schema()));
            }
            PredictionClient client = new PredictionClient(serving.gateway().url(), "bench");
            for (int i = 0; i < warmup; i++) {
                client.post(rows.get(i % rows.size()));
            }
            long[] nanos = new long[requests];
            int errors = 0;
            long start = System.nanoTime();
            for (int i = 0; i < requests; i++) {
                long t = System.nanoTime();
                if (client.post(rows.get(i % rows.size())).statusCode() != 200) {
                    errors++;
                }
                nanos[i] = System.nanoTime() - t;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Arrays.sort(nanos);
            out.printf(Locale.ROOT, "gateway single-row predictions, 1 client on loopback: %d requests in %.2f s = %.0f req/s"
                            + " (errors %d); latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms; %d cores%n",
                    requests, seconds, requests / seconds, errors, ms(nanos, 0.50), ms(nanos, 0.90), ms(nanos, 0.99),
                    nanos[requests - 1] / 1e6, Runtime.getRuntime().availableProcessors());
        } finally {
            System.setOut(out);
        }
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))] / 1e6;
    }
}
