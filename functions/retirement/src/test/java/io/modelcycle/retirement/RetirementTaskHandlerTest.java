package io.modelcycle.retirement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.Json;
import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.artifact.ArtifactKeys;
import io.modelcycle.core.lifecycle.RetirementTasks;
import io.modelcycle.core.registry.VersionInUseException;
import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.model.Policies;
import io.modelcycle.core.model.Policies.RetentionPolicy;
import io.modelcycle.core.model.Task;
import io.modelcycle.core.registry.Alias;
import io.modelcycle.core.registry.ArtifactRef;
import io.modelcycle.core.registry.Change;
import io.modelcycle.core.registry.IllegalTransitionException;
import io.modelcycle.core.registry.Lineage;
import io.modelcycle.core.registry.PageRequest;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.core.registry.VersionStatus;
import io.modelcycle.embedded.artifact.FileArtifactStore;
import io.modelcycle.embedded.registry.SqliteRegistryStore;
import io.modelcycle.testkit.events.SampleEvents;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retirement tasks through the handler on the embedded stores, fed {@code events/retirement/}: version 1 was
 * production, version 2 replaced it. Each task run twice has the effect of once.
 */
class RetirementTaskHandlerTest {

    @TempDir
    Path home;
    Registry registry;
    FileArtifactStore artifacts;
    RetirementTaskHandler handler;

    void setUp(RetentionPolicy.Action retention) {
        registry = new Registry(new SqliteRegistryStore(home.resolve("registry.db")));
        artifacts = new FileArtifactStore(home.resolve("artifacts"));
        handler = new RetirementTaskHandler(new RetirementTasks(registry, artifacts, "test"));
        Change change = Change.by("test", "setup");
        registry.createModel(new Model("churn", Task.BINARY_CLASSIFICATION, new FeatureSchema(List.of(Feature.numeric("tenure"))),
                "churned", "team", Map.of(), new Policies(null, null, null, null, new RetentionPolicy(retention), null), null), change);
        for (int v = 1; v <= 2; v++) {
            registry.registerVersion("churn", new Lineage("s3://b/datasets/churn/a.csv", null, "local", Map.of(), null, null, null), change);
            var stored = artifacts.put(ArtifactKeys.versionFile("churn", v, "model.tar.gz"), ("model " + v).getBytes(StandardCharsets.UTF_8));
            artifacts.put(ArtifactKeys.versionFile("churn", v, "card.md"), ("# card " + v).getBytes(StandardCharsets.UTF_8));
            registry.recordTrained("churn", v, new ArtifactRef(stored.key(), stored.sha256(), stored.size()), Map.of(), null, null, null, change);
            registry.approve("churn", v, change);
            registry.transition("churn", v, VersionStatus.DEPLOYED, change);
        }
        registry.setAlias("churn", Alias.PRODUCTION, 2, null, null, change);
    }

    JsonNode run(String event) {
        var out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(SampleEvents.read(event).getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.tree(out.toString(StandardCharsets.UTF_8));
    }

    long auditEvents() {
        return registry.audit("churn", PageRequest.first(100)).items().size();
    }

    @Test
    void a_version_still_served_by_an_alias_is_refused_naming_the_alias() {
        setUp(RetentionPolicy.Action.ARCHIVE);
        registry.setAlias("churn", Alias.PREVIOUS, 1, null, null, Change.by("test", "keep for rollback"));
        assertThatThrownBy(() -> run("retirement/check-retirable.json"))
                .isInstanceOf(VersionInUseException.class).hasMessageContaining("previous");
        assertThatThrownBy(() -> run("retirement/mark-retired.json")).isInstanceOf(VersionInUseException.class);
        assertThat(registry.version("churn", 1).status()).isEqualTo(VersionStatus.DEPLOYED);
    }

    @Test
    void archive_policy_moves_artifacts_under_archive_verified_and_marks_retired_once() {
        setUp(RetentionPolicy.Action.ARCHIVE);
        String model = ArtifactKeys.versionFile("churn", 1, "model.tar.gz");
        String sha = artifacts.stat(model).orElseThrow().sha256();

        run("retirement/check-retirable.json");
        JsonNode retired = run("retirement/mark-retired.json");
        JsonNode moved = run("retirement/apply-retention.json");
        long events = auditEvents();
        run("retirement/mark-retired.json");
        JsonNode movedAgain = run("retirement/apply-retention.json");

        assertThat(retired.get("status").asText()).isEqualTo("RETIRED");
        assertThat(moved.get("objects").asInt()).isEqualTo(2);
        assertThat(movedAgain.get("objects").asInt()).as("nothing left to move the second time").isZero();
        assertThat(artifacts.stat(model)).isEmpty();
        assertThat(artifacts.stat(ArtifactKeys.archived(model))).hasValueSatisfying(o -> assertThat(o.sha256()).isEqualTo(sha));
        assertThat(new String(artifacts.read(ArtifactKeys.archived(model)), StandardCharsets.UTF_8)).isEqualTo("model 1");
        assertThat(auditEvents()).isEqualTo(events);
        assertThat(registry.version("churn", 1).lineage().datasetUri()).as("metadata stays").isNotNull();
        assertThat(registry.verifyAudit("churn").intact()).isTrue();
        // version 2 is untouched
        assertThat(artifacts.stat(ArtifactKeys.versionFile("churn", 2, "model.tar.gz"))).isPresent();
    }

    @Test
    void delete_policy_removes_artifacts_without_archiving() {
        setUp(RetentionPolicy.Action.DELETE);
        run("retirement/mark-retired.json");
        JsonNode result = run("retirement/apply-retention.json");
        assertThat(result.get("action").asText()).isEqualTo("DELETE");
        assertThat(artifacts.list(ArtifactKeys.versionPrefix("churn", 1))).isEmpty();
        assertThat(artifacts.list("archive/")).isEmpty();
    }

    @Test
    void retention_is_never_applied_to_a_version_that_is_not_retired() {
        setUp(RetentionPolicy.Action.DELETE);
        assertThatThrownBy(() -> run("retirement/apply-retention.json")).isInstanceOf(IllegalTransitionException.class);
        assertThat(artifacts.list(ArtifactKeys.versionPrefix("churn", 1))).hasSize(2);
    }

    @Test
    void bad_input_is_refused_clearly() {
        setUp(RetentionPolicy.Action.ARCHIVE);
        assertThatThrownBy(() -> run("retirement/invalid-bad-model-name.json"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("Churn Model");
        var tasks = new RetirementTasks(registry, artifacts, "test");
        assertThatThrownBy(() -> tasks.checkRetirable(new io.modelcycle.core.lifecycle.VersionRef("churn", 9)))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("version 9");
    }
}
