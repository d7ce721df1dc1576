package io.modelcycle.embedded.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcycle.core.TransientException;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.registry.Alias;
import io.modelcycle.core.registry.AuditVerification;
import io.modelcycle.core.registry.PageRequest;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.core.registry.RegistryStore;
import io.modelcycle.testkit.contract.RegistryStoreContract;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SqliteRegistryStore} against the registry contract, plus what is particular to SQLite. */
class SqliteRegistryStoreTest extends RegistryStoreContract {

    @TempDir
    Path dir;

    @Override
    protected RegistryStore createStore(Clock clock) {
        return new SqliteRegistryStore(dir.resolve("registry.db"), clock);
    }

    @Override
    protected RegistryStore openPeerStore(Clock clock) {
        return new SqliteRegistryStore(dir.resolve("registry.db"), clock);
    }

    @Test
    void everythingSurvivesAReopen() {
        // GIVEN a model with an approved version in production
        registry.createModel(model("churn"), CHANGE);
        approvedVersion("churn");
        registry.setAlias("churn", Alias.PRODUCTION, 1, null, null, CHANGE);
        ((SqliteRegistryStore) store).close();

        // WHEN the database file is opened again
        try (SqliteRegistryStore reopened = new SqliteRegistryStore(dir.resolve("registry.db"), clock)) {
            Registry again = new Registry(reopened, clock);

            // THEN the model, the alias and an intact audit chain are all there, and numbering continues
            assertThat(again.model("churn").name()).isEqualTo("churn");
            assertThat(again.alias("churn", Alias.PRODUCTION).map(Alias::version)).contains(1);
            assertThat(again.verifyAudit("churn").intact()).isTrue();
            assertThat(again.registerVersion("churn", lineage(), CHANGE).number()).isEqualTo(2);
        }
    }

    @Test
    void anAuditEventEditedInTheDatabaseIsReportedAsTheFirstBrokenLink() throws Exception {
        // GIVEN a log of four events, the third of which is edited directly in the file
        registry.createModel(model("churn"), CHANGE);
        approvedVersion("churn");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("registry.db"));
             Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE audit_events SET doc = replace(doc, '\"actor\":\"alice\"', '\"actor\":\"mallory\"') "
                    + "WHERE model = 'churn' AND sequence = 3");
        }

        // WHEN the chain is verified
        AuditVerification verification = registry.verifyAudit("churn");

        // THEN it is broken at event 3, and says the content no longer matches its hash
        assertThat(verification.intact()).isFalse();
        assertThat(verification.firstBrokenSequence()).isEqualTo(3L);
        assertThat(verification.problem()).contains("altered");
    }

    @Test
    void aTokenThisStoreDidNotIssueIsRefused() {
        // GIVEN a model
        registry.createModel(model("churn"), CHANGE);

        // WHEN / THEN made-up and cross-listing tokens are validation errors on nextToken
        assertThatThrownBy(() -> store.listModels(new PageRequest("not base64 !", 10)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("nextToken");
        String modelToken = "bTpjaHVybg"; // what listModels issues after "churn"
        assertThatThrownBy(() -> store.listVersions("churn", null, new PageRequest(modelToken, 10)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("nextToken");
    }

    @Test
    void aWriterBlockedByAnotherProcessGetsATransientError() throws Exception {
        // GIVEN a store with a short busy timeout, and another connection holding the write lock
        registry.createModel(model("churn"), CHANGE);
        try (SqliteRegistryStore impatient = new SqliteRegistryStore(dir.resolve("registry.db"), clock, 50);
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("registry.db"));
             Statement s = other.createStatement()) {
            s.execute("BEGIN IMMEDIATE");

            // WHEN the store tries to write THEN it reports a transient failure, keeping SQLite's error as the cause
            assertThatThrownBy(() -> impatient.createVersion("churn", lineage(), CHANGE))
                    .isInstanceOf(TransientException.class)
                    .hasMessageContaining("busy")
                    .hasCauseInstanceOf(org.sqlite.SQLiteException.class);
            s.execute("ROLLBACK");
            // AND once the other writer is gone the same call succeeds
            assertThat(impatient.createVersion("churn", lineage(), CHANGE).number()).isEqualTo(1);
        }
    }
}
