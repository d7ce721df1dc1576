package io.modelcycle.aws.dynamodb;

import io.modelcycle.aws.AwsClients;
import io.modelcycle.aws.AwsConfig;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.testkit.aws.AwsEmulator;
import io.modelcycle.testkit.bench.RegistryWorkload;
import java.time.Clock;

/**
 * The registry benchmark of the embedded store ({@link RegistryWorkload}), run against {@link DynamoDbRegistryStore}
 * on the AWS emulator, to show that path works end to end under concurrency. The emulator (moto serving one request
 * at a time, copying the table on every transaction) says nothing about DynamoDB's speed: read the figure as "it
 * works", not as a throughput claim. Not a test: run by hand, never in the build.
 *
 * <p>Arguments (all optional): {@code seconds=5 warmup=2 threads=1,8}.
 */
public final class DynamoDbRegistryBenchmark {

    private DynamoDbRegistryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        RegistryWorkload.Options options = RegistryWorkload.Options.parse(args);
        AwsEmulator aws = AwsEmulator.shared();
        aws.useDummyCredentials();
        System.out.printf("DynamoDbRegistryStore on %s; op = register-version + set-alias (CAS); warm-up %.0f s, "
                + "measured %.0f s; %d CPUs%n", aws, options.warmup(), options.seconds(),
                Runtime.getRuntime().availableProcessors());
        try (AwsClients clients = new AwsClients(AwsConfig.fromEnv(aws.environment()))) {
            for (int threads : options.threads()) {
                String table = AwsEmulator.uniqueName("bench");
                DynamoDbRegistryStore.createTable(clients.dynamoDb(), table);
                RegistryWorkload.measure(new Registry(new DynamoDbRegistryStore(clients.dynamoDb(), table,
                        Clock.systemUTC())), threads, options);
                clients.dynamoDb().deleteTable(b -> b.tableName(table));
            }
        }
    }
}
