package io.modelcycle.aws.dynamodb;

import io.modelcycle.aws.AwsClients;
import io.modelcycle.aws.AwsConfig;
import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.model.Task;
import io.modelcycle.core.registry.Alias;
import io.modelcycle.core.registry.Change;
import io.modelcycle.core.registry.Lineage;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.core.registry.VersionStatus;
import io.modelcycle.testkit.aws.AwsEmulator;
import java.time.Clock;
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
 * The registry benchmark of the embedded store (register-version + set-alias compare-and-set on the thread's own
 * alias), run against {@link DynamoDbRegistryStore} on the AWS emulator, to show that path works end to end under
 * concurrency. The emulator (moto serving one request at a time, copying the table on every transaction) says
 * nothing about DynamoDB's speed: read the figure as "it works", not as a throughput claim.
 * Not a test: run by hand, never in the build.
 *
 * <p>Arguments (all optional): {@code seconds=5 warmup=2 threads=1,8}.
 */
public final class DynamoDbRegistryBenchmark {

    private static final Change CHANGE = Change.by("benchmark", null);
    private static final Lineage LINEAGE = new Lineage("s3://datasets/bench.csv", null, "local", Map.of(), null, null,
            "manual");

    private DynamoDbRegistryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("arguments are key=value (seconds, warmup, threads), got " + arg);
            }
            options.put(kv[0], kv[1]);
        }
        double seconds = Double.parseDouble(options.getOrDefault("seconds", "5"));
        double warmup = Double.parseDouble(options.getOrDefault("warmup", "2"));
        int[] threadCounts = Stream.of(options.getOrDefault("threads", "1,8").split(","))
                .mapToInt(Integer::parseInt).toArray();

        AwsEmulator aws = AwsEmulator.shared();
        aws.useDummyCredentials();
        System.out.printf("DynamoDbRegistryStore on %s; op = register-version + set-alias (CAS); warm-up %.0f s, "
                + "measured %.0f s; %d CPUs%n", aws, warmup, seconds, Runtime.getRuntime().availableProcessors());
        try (AwsClients clients = new AwsClients(AwsConfig.fromEnv(aws.environment()))) {
            for (int threads : threadCounts) {
                String table = AwsEmulator.uniqueName("bench");
                DynamoDbRegistryStore.createTable(clients.dynamoDb(), table);
                Registry registry = new Registry(new DynamoDbRegistryStore(clients.dynamoDb(), table, Clock.systemUTC()));
                setUp(registry);
                run(registry, threads, warmup);
                long ops = run(registry, threads, seconds);
                double perSecond = ops / seconds;
                System.out.printf("threads=%d  ops=%d  ops/s=%.1f  (registry writes/s=%.1f)  audit intact=%s%n",
                        threads, ops, perSecond, 2 * perSecond, registry.verifyAudit("bench").intact());
                clients.dynamoDb().deleteTable(b -> b.tableName(table));
            }
        }
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
