package io.modelcycle.local.asl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store: schema upgrades, and what callers see when the store breaks under a running execution. */
class ExecutionStoreTest {

    @TempDir
    Path home;

    @Test
    void aStoreWrittenBeforeExecutorOwnersIsUpgradedInPlace() throws Exception {
        // GIVEN an executions table without the owner column, as the first version wrote it
        Files.createDirectories(home);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve(ExecutionStore.FILE_NAME));
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE executions (arn TEXT PRIMARY KEY, name TEXT NOT NULL, state_machine_arn TEXT"
                    + " NOT NULL, definition TEXT NOT NULL, status TEXT NOT NULL, input TEXT NOT NULL, output TEXT,"
                    + " error TEXT, cause TEXT, start_date TEXT NOT NULL, stop_date TEXT, parent_arn TEXT)");
        }
        // WHEN an executor runs an execution on it
        VirtualScheduler scheduler = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        try (AslExecutor executor = AslExecutor.builder().home(home).scheduler(scheduler).build()) {
            String arn = executor.start("m", StateMachine.parse("""
                    {"StartAt":"S","States":{"S":{"Type":"Pass","End":true}}}"""), null,
                    AslTestSupport.json("{\"a\":1}")).arn();
            scheduler.runUntilIdle();
            // THEN it is recorded as usual
            assertThat(executor.describe(arn).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        }
    }

    @Test
    void aStoreThatBreaksFailsTheWaitingCallerInsteadOfHangingIt() {
        VirtualScheduler scheduler = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        ExecutionStore store = ExecutionStore.open(home);
        AslExecutor executor = AslExecutor.builder().store(store).scheduler(scheduler).build();
        var handle = executor.start("m", StateMachine.parse("""
                {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":5,"End":true}}}"""), null,
                AslTestSupport.json("{}"));
        var completion = handle.completion();
        scheduler.runReady();
        store.close();
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(completion).isCompletedExceptionally();
        assertThat(completion).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .withMessageContaining("is closed");
    }
}
