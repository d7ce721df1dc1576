package io.modelcycle.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcycle.aws.AwsClients;
import io.modelcycle.aws.AwsConfig;
import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.StoreException;
import io.modelcycle.core.registry.Alias;
import io.modelcycle.core.registry.AuditAction;
import io.modelcycle.core.registry.AuditEvent;
import io.modelcycle.core.registry.AuditVerification;
import io.modelcycle.core.registry.Change;
import io.modelcycle.core.registry.ModelVersion;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.core.registry.RegistryStore;
import io.modelcycle.testkit.aws.AwsEmulator;
import io.modelcycle.testkit.aws.AwsEmulatorExtension;
import io.modelcycle.testkit.contract.RegistryStoreContract;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@link DynamoDbRegistryStore} against the AWS emulator, one fresh table per test. */
class DynamoDbRegistryStoreTest extends RegistryStoreContract {

    @RegisterExtension
    static final AwsEmulatorExtension AWS = new AwsEmulatorExtension();

    static AwsClients clients;
    String table;

    @BeforeAll
    static void clients() {
        clients = new AwsClients(AwsConfig.fromEnv(AWS.emulator().environment()));
    }

    @AfterAll
    static void closeClients() {
        if (clients != null) {
            clients.close();
        }
    }

    @Override
    protected RegistryStore createStore(Clock clock) {
        table = AwsEmulator.uniqueName("registry");
        DynamoDbRegistryStore.createTable(clients.dynamoDb(), table);
        return new DynamoDbRegistryStore(clients.dynamoDb(), table, clock);
    }

    /** A second instance on the same table shares no lock with the first, as a second Lambda instance would. */
    @Override
    protected RegistryStore openPeerStore(Clock clock) {
        return new DynamoDbRegistryStore(clients.dynamoDb(), table, clock);
    }

    @Test
    void oneModelIsOnePartitionWithTheCounterAndAuditHeadOnItsMetaItem() {
        // GIVEN a model with two versions
        registry.createModel(model("churn"), CHANGE);
        registry.registerVersion("churn", lineage(), CHANGE);
        ModelVersion second = registry.registerVersion("churn", lineage(), CHANGE);

        // WHEN the table is read directly
        var items = clients.dynamoDb().query(b -> b.tableName(table).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("MODEL#churn")))).items();
        List<AuditEvent> events = events("churn");

        // THEN the partition holds META, two versions and three events, and META carries counter and head
        assertThat(items).extracting(i -> i.get("sk").s()).containsExactly(
                "AUDIT#00000000000000000001", "AUDIT#00000000000000000002", "AUDIT#00000000000000000003",
                "META", "VERSION#0000000001", "VERSION#0000000002");
        var meta = items.get(3);
        assertThat(meta.get("versionCount").n()).isEqualTo("2");
        assertThat(meta.get("auditSeq").n()).isEqualTo("3");
        assertThat(meta.get("auditHash").s()).isEqualTo(events.get(2).hash());
        assertThat(items.get(5).get("revision").n()).isEqualTo(Long.toString(second.revision()));
        assertThat(items.get(5).get("status").s()).isEqualTo("TRAINING");
    }

    /**
     * Two store instances on one table behave like two Lambda instances: they share no lock, so their writes to one
     * model race on the META condition and must be retried, never lost or duplicated.
     */
    @Test
    void writersInDifferentProcessesRaceOnlyThroughTheTableAndLoseNothing() throws Exception {
        // GIVEN a model and two independent stores on the same table
        registry.createModel(model("churn"), CHANGE);
        List<Registry> processes = List.of(
                new Registry(new DynamoDbRegistryStore(clients.dynamoDb(), table, clock), clock),
                new Registry(new DynamoDbRegistryStore(clients.dynamoDb(), table, clock), clock));
        int threads = 4;
        int perThread = 4;
        List<Integer> numbers = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);

        // WHEN threads on both register versions at the same time
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Registry process = processes.get(t % 2);
            String actor = "process-" + (t % 2) + "-thread-" + t;
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    numbers.add(process.registerVersion("churn", lineage(), Change.by(actor, null)).number());
                }
                return null;
            }));
        }
        start.countDown();
        try {
            for (Future<?> future : futures) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        // THEN the numbers are 1..N once each, and the chain holds one event per version
        int n = threads * perThread;
        assertThat(numbers).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, n).boxed().toList());
        AuditVerification verification = registry.verifyAudit("churn");
        assertThat(verification.intact()).as(verification.problem()).isTrue();
        assertThat(verification.eventsChecked()).isEqualTo(1 + n);
    }

    @Test
    void theStoreItselfRefusesAnAliasOnAVersionThatDoesNotExist() {
        // GIVEN a model with one version
        registry.createModel(model("churn"), CHANGE);
        approvedVersion("churn");

        // WHEN the store is asked, bypassing the registry service, to point an alias at version 2
        // THEN it refuses, naming the version, and writes nothing
        assertThatThrownBy(() -> store.setAlias(new Alias("churn", Alias.PRODUCTION, 2, null, null), null, CHANGE))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("version 2");
        assertThat(store.findAlias("churn", Alias.PRODUCTION)).isEmpty();
        assertThat(events("churn")).extracting(AuditEvent::action).doesNotContain(AuditAction.ALIAS_SET);
    }

    @Test
    void aMissingTableIsAStoreErrorNamingIt() {
        // GIVEN a store on a table that does not exist
        String missing = AwsEmulator.uniqueName("missing");
        DynamoDbRegistryStore store = new DynamoDbRegistryStore(clients.dynamoDb(), missing, clock);

        // WHEN / THEN reads and writes fail with a store error naming the table
        assertThatThrownBy(() -> store.findModel("churn")).isInstanceOf(StoreException.class).hasMessageContaining(missing);
        assertThatThrownBy(() -> store.createModel(model("churn"), CHANGE)).isInstanceOf(StoreException.class)
                .hasMessageContaining(missing);
    }
}
