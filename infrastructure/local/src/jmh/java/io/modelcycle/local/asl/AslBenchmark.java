package io.modelcycle.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Executor overhead per state transition, measured end to end (start → final description) on the real
 * {@link SystemScheduler} with the SQLite history store: a chain of 10 000 Pass states, and a Map over 10 000
 * items (one Pass state each) with MaxConcurrency 1 and 40. Prints the median of 5 runs after 2 warm-up runs.
 *
 * <p>Run: {@code mvn -B -q -o -pl infrastructure/local test-compile} then
 * {@code java -cp "infrastructure/local/target/classes:infrastructure/local/target/bench-classes:$(cat
 * infrastructure/local/target/classpath.txt)" io.modelcycle.local.asl.AslBenchmark}; or simply
 * {@code infrastructure/local/bench.sh}.
 */
public final class AslBenchmark {

    private static final int N = 10_000;

    private AslBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        Path home = Files.createTempDirectory("asl-bench");
        System.out.printf("ASL executor benchmark: %d transitions/items, SystemScheduler(%d threads), SQLite history"
                + " at %s; %d CPUs, load average %.1f%n", N, threads, home, Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        try (SystemScheduler scheduler = new SystemScheduler(threads);
                AslExecutor executor = AslExecutor.builder().home(home).scheduler(scheduler).build()) {
            executor.register("chain", StateMachine.parse(chain()));
            executor.register("map1", StateMachine.parse(map(1)));
            executor.register("map40", StateMachine.parse(map(40)));
            ArrayNode items = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < N; i++) {
                items.add(i);
            }
            report("Pass chain, 10 000 states", measure(executor, "chain", JsonNodeFactory.instance.objectNode()
                    .put("v", 1)), "state transition");
            report("Map 10 000 items, MaxConcurrency 1", measure(executor, "map1", items), "item");
            report("Map 10 000 items, MaxConcurrency 40", measure(executor, "map40", items), "item");
        }
    }

    private static void report(String what, long[] m, String unit) {
        System.out.printf("%-38s to completion: median %7.2f µs per %s (best %6.2f);  history durable: median"
                + " %7.2f µs (best %6.2f)%n", what, m[0] / 1e3 / N, unit, m[2] / 1e3 / N, m[1] / 1e3 / N,
                m[3] / 1e3 / N);
    }

    /**
     * Median time to the final description, median time until its history is committed to SQLite, and the best
     * of each (on a shared, loaded machine the best run is the closest to the executor's own cost).
     */
    private static long[] measure(AslExecutor executor, String machine, JsonNode input) throws Exception {
        List<Long> runs = new ArrayList<>();
        List<Long> durable = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            long start = System.nanoTime();
            ExecutionDescription d = executor.start(machine, null, input).completion().get(5, TimeUnit.MINUTES);
            long took = System.nanoTime() - start;
            if (d.status() != ExecutionStatus.SUCCEEDED) {
                throw new IllegalStateException(machine + " " + d.status() + " " + d.error() + " " + d.cause());
            }
            // the store catches up here, so that runs do not measure each other's history writes
            executor.store().flush();
            long tookDurable = System.nanoTime() - start;
            if (i >= 2) {
                runs.add(took);
                durable.add(tookDurable);
            }
        }
        Collections.sort(runs);
        Collections.sort(durable);
        return new long[] {runs.get(runs.size() / 2), durable.get(durable.size() / 2), runs.get(0), durable.get(0)};
    }

    private static String chain() {
        StringBuilder b = new StringBuilder("{\"StartAt\":\"S0\",\"States\":{");
        for (int i = 0; i < N; i++) {
            b.append(i == 0 ? "" : ",").append("\"S").append(i).append("\":{\"Type\":\"Pass\",");
            b.append(i == N - 1 ? "\"End\":true}" : "\"Next\":\"S" + (i + 1) + "\"}");
        }
        return b.append("}}").toString();
    }

    private static String map(int concurrency) {
        return """
                {"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":%d,"End":true,
                  "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}"""
                .formatted(concurrency);
    }
}
