package io.modelcycle.embedded.registry;

import io.modelcycle.core.registry.Registry;
import io.modelcycle.testkit.bench.RegistryWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Registry operations per second on {@link SqliteRegistryStore} ({@link RegistryWorkload}: register-version plus a
 * set-alias compare-and-set). Runs 1 thread, then 8, each on a fresh database file, after a warm-up.
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
        RegistryWorkload.Options options = RegistryWorkload.Options.parse(args, "dir");
        Path dir = options.all().containsKey("dir") ? Path.of(options.all().get("dir"))
                : Files.createTempDirectory("registry-bench");
        System.out.printf("SqliteRegistryStore, WAL, synchronous=FULL; op = register-version + set-alias (CAS); "
                + "warm-up %.0f s, measured %.0f s; dir %s; %d CPUs%n", options.warmup(), options.seconds(), dir,
                Runtime.getRuntime().availableProcessors());
        for (int threads : options.threads()) {
            Path file = dir.resolve("bench-" + threads + "t-" + System.nanoTime() + ".db");
            try (SqliteRegistryStore store = new SqliteRegistryStore(file, Clock.systemUTC())) {
                RegistryWorkload.measure(new Registry(store), threads, options);
            }
            deleteDatabase(file);
        }
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
