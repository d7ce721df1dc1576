package io.modelcycle.embedded.registry;

import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.model.Task;
import io.modelcycle.core.registry.Alias;
import io.modelcycle.core.registry.Change;
import io.modelcycle.core.registry.Lineage;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.core.registry.VersionStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Registry operations per second on {@link SqliteRegistryStore}: one operation is a register-version followed by
 * a set-alias (a compare-and-set moving the thread's own alias between two approved versions), i.e. two
 * transactions and two audit events. Runs 1 thread, then 8, each on a fresh database file, after a warm-up.
 * Not a test (surefire never picks it up); run it by hand from the repository root:
 * <pre>{@code
 * mvn -B -q -o -pl functions/embedded test-compile exec:java \
 *     -Dexec.mainClass=io.modelcycle.embedded.registry.RegistryBenchmark -Dexec.classpathScope=test
 * }</pre>
 *
 * <p>Arguments (all optional): {@code seconds=5 warmup=2 threads=1,8 dir=<temp>}.
 */
public final class RegistryBenchmark {

    private RegistryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("arguments are key=value (seconds, warmup, threads, dir), got " + arg);
            }
            options.put(kv[0], kv[1]);
        }
        double seconds = Double.parseDouble(options.getOrDefault("seconds", "5"));
        double warmup = Double.parseDouble(options.getOrDefault("warmup", "2"));
        int[] threadCounts = Stream.of(options.getOrDefault("threads", "1,8").split(","))
                .mapToInt(Integer::parseInt).toArray();
        Path dir = options.containsKey("dir") ? Path.of(options.get("dir")) : Files.createTempDirectory("registry-bench");

        System.out.printf("SqliteRegistryStore, WAL, synchronous=FULL; op = register-version + set-alias (CAS); "
                + "warm-up %.0f s, measured %.0f s; dir %s; %d CPUs%n", warmup, seconds, dir,
                Runtime.getRuntime().availableProcessors());
        for (int threads : threadCounts) {
            Path file = dir.resolve("bench-" + threads + "t-" + System.nanoTime() + ".db");
            try (SqliteRegistryStore store = new SqliteRegistryStore(file, Clock.systemUTC())) {
                Registry registry = new Registry(store);
                setUp(registry);
                run(registry, threads, warmup);
                long ops = run(registry, threads, seconds);
                double perSecond = ops / seconds;
                System.out.printf("threads=%d  ops=%d  ops/s=%.1f  (registry writes/s=%.1f)  audit intact=%s%n", threads,
                        ops, perSecond, 2 * perSecond, registry.verifyAudit("bench").intact());
            }
            deleteDatabase(file);
        }
    }

    private static final Change CHANGE = Change.by("benchmark", null);
    private static final Lineage LINEAGE = new Lineage("file:/datasets/bench.csv", null, "local", Map.of(), null, null,
            "manual");

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

    private static void deleteDatabase(Path file) throws Exception {
        try (Stream<Path> files = Files.list(file.getParent())) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith(file.getFileName().toString()))
                    .sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
