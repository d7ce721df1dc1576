package io.modelcycle.testkit.bench;

import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.model.Task;
import io.modelcycle.core.registry.Alias;
import io.modelcycle.core.registry.Change;
import io.modelcycle.core.registry.Lineage;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.core.registry.VersionStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The registry benchmark's workload, one for every store: an operation is a register-version followed by a set-alias
 * (a compare-and-set moving the thread's own alias between two approved versions), i.e. two writes and two audit
 * events. The store-specific mains only open the store.
 */
public final class RegistryWorkload {

    private static final Change CHANGE = Change.by("benchmark", null);
    private static final Lineage LINEAGE = new Lineage("s3://bench/datasets/bench/bench.csv", null, "local", Map.of(),
            null, null, "manual");

    private RegistryWorkload() {
    }

    /**
     * The benchmark's arguments, {@code key=value}: {@code seconds} (default 5), {@code warmup} (2), {@code threads}
     * (1,8), and any other key the main names in {@code extraKeys}.
     */
    public record Options(double seconds, double warmup, int[] threads, Map<String, String> all) {
        public static Options parse(String[] args, String... extraKeys) {
            Map<String, String> options = new HashMap<>();
            for (String arg : args) {
                String[] kv = arg.split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("arguments are key=value (seconds, warmup, threads"
                            + (extraKeys.length == 0 ? "" : ", " + String.join(", ", extraKeys)) + "), got " + arg);
                }
                options.put(kv[0], kv[1]);
            }
            return new Options(Double.parseDouble(options.getOrDefault("seconds", "5")),
                    Double.parseDouble(options.getOrDefault("warmup", "2")),
                    Stream.of(options.getOrDefault("threads", "1,8").split(",")).mapToInt(Integer::parseInt).toArray(),
                    Map.copyOf(options));
        }
    }

    /** Sets up the model, warms up, measures, and prints one line with ops/s and whether the audit chain is whole. */
    public static void measure(Registry registry, int threads, Options options) throws Exception {
        setUp(registry);
        run(registry, threads, options.warmup());
        long ops = run(registry, threads, options.seconds());
        double perSecond = ops / options.seconds();
        System.out.printf("threads=%d  ops=%d  ops/s=%.1f  (registry writes/s=%.1f)  audit intact=%s%n",
                threads, ops, perSecond, 2 * perSecond, registry.verifyAudit("bench").intact());
    }

    /** One model with versions 1 and 2 approved, for the aliases to move between. */
    private static void setUp(Registry registry) {
        registry.createModel(new Model("bench", Task.REGRESSION, new FeatureSchema(List.of(Feature.numeric("x"))), "y",
                "bench", Map.of(), null, null), CHANGE);
        for (int v = 1; v <= 2; v++) {
            registry.registerVersion("bench", LINEAGE, CHANGE);
            registry.transition("bench", v, VersionStatus.TRAINED, CHANGE);
            registry.approve("bench", v, CHANGE);
        }
    }

    /** Runs {@code threads} workers for {@code seconds}; returns the operations they completed. */
    private static long run(Registry registry, int threads, double seconds) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Long>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String alias = "bench-" + t;
            results.add(pool.submit(() -> {
                Integer current = registry.alias("bench", alias).map(Alias::version).orElse(null);
                start.await();
                long ops = 0;
                while (!stop.get()) {
                    registry.registerVersion("bench", LINEAGE, CHANGE);
                    int next = current == null || current == 2 ? 1 : 2;
                    registry.setAlias("bench", alias, next, current, null, CHANGE);
                    current = next;
                    ops++;
                }
                return ops;
            }));
        }
        start.countDown();
        Thread.sleep((long) (seconds * 1000));
        stop.set(true);
        pool.shutdown();
        long total = 0;
        for (Future<Long> result : results) {
            total += result.get();
        }
        return total;
    }
}
