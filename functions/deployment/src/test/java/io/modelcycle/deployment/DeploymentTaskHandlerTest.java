package io.modelcycle.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.ConflictException;
import io.modelcycle.core.Json;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.lifecycle.DeploymentTasks;
import io.modelcycle.core.metrics.MetricPoint;
import io.modelcycle.core.metrics.MetricUnit;
import io.modelcycle.core.metrics.ServingMetrics;
import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.model.Task;
import io.modelcycle.core.registry.Alias;
import io.modelcycle.core.registry.ArtifactRef;
import io.modelcycle.core.registry.Change;
import io.modelcycle.core.registry.Lineage;
import io.modelcycle.core.registry.PageRequest;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.core.registry.VersionStatus;
import io.modelcycle.embedded.metrics.SqliteMetricsStore;
import io.modelcycle.embedded.registry.SqliteRegistryStore;
import io.modelcycle.testkit.events.SampleEvents;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment tasks through the handler, on the embedded stores, fed the sample events of
 * {@code events/deployment/}. Every task run twice has the effect of once.
 */
class DeploymentTaskHandlerTest {

    static final Instant NOW = Instant.parse("2026-11-29T10:06:00Z");

    @TempDir
    Path home;
    Registry registry;
    SqliteMetricsStore metrics;
    DeploymentTaskHandler handler;

    @BeforeEach
    void productionAtVersionOneAndVersionTwoApproved() {
        registry = new Registry(new SqliteRegistryStore(home.resolve("registry.db")), Clock.systemUTC());
        metrics = new SqliteMetricsStore(home.resolve("metrics.db"));
        handler = new DeploymentTaskHandler(new DeploymentTasks(registry, metrics, Clock.fixed(NOW, ZoneOffset.UTC), "test"));
        Change change = Change.by("test", "setup");
        registry.createModel(new Model("churn", Task.BINARY_CLASSIFICATION,
                new FeatureSchema(List.of(Feature.numeric("tenure"))), "churned", "team", Map.of(), null, null), change);
        for (int v = 1; v <= 2; v++) {
            registry.registerVersion("churn", new Lineage("s3://b/datasets/churn/a.csv", null, "local", Map.of(), null, null, null), change);
            registry.recordTrained("churn", v, new ArtifactRef("models/churn/versions/" + v + "/model.tar.gz", "a".repeat(64), 10),
                    Map.of("roc_auc", 0.9), null, null, null, change);
            registry.approve("churn", v, change);
        }
        registry.transition("churn", 1, VersionStatus.DEPLOYED, change);
        registry.setAlias("churn", Alias.PRODUCTION, 1, null, null, change);
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
    void start_canary_points_the_canary_at_the_version_with_the_policy_weight_once() {
        JsonNode plan = run("deployment/start-canary.json");
        long events = auditEvents();
        JsonNode again = run("deployment/start-canary.json");

        assertThat(plan.get("productionVersion").asInt()).isEqualTo(1);
        assertThat(plan.get("weight").asDouble()).isEqualTo(0.1);
        assertThat(plan.get("bakeSeconds").asInt()).isEqualTo(300);
        assertThat(registry.alias("churn", Alias.CANARY)).hasValueSatisfying(a -> {
            assertThat(a.version()).isEqualTo(2);
            assertThat(a.weight()).isEqualTo(0.1);
        });
        assertThat(again.get("productionVersion").asInt()).isEqualTo(1);
        assertThat(auditEvents()).as("second delivery changes nothing").isEqualTo(events);
    }

    @Test
    void a_second_deployment_cannot_take_over_a_running_canary() {
        run("deployment/start-canary.json");
        Change change = Change.by("test", "v3");
        registry.registerVersion("churn", new Lineage("s3://b/datasets/churn/b.csv", null, "local", Map.of(), null, null, null), change);
        registry.recordTrained("churn", 3, new ArtifactRef("models/churn/versions/3/model.tar.gz", "b".repeat(64), 10),
                Map.of(), null, null, null, change);
        registry.approve("churn", 3, change);
        var tasks = new DeploymentTasks(registry, metrics, Clock.systemUTC(), "test");
        assertThatThrownBy(() -> tasks.startCanary(new io.modelcycle.core.lifecycle.VersionRef("churn", 3)))
                .isInstanceOf(ConflictException.class).hasMessageContaining("version 2").hasMessageContaining("already in canary");
    }

    @Test
    void compare_health_judges_the_canary_by_its_error_rate_against_production() {
        run("deployment/start-canary.json");
        // GIVEN during the bake production failed 1 of 100 requests and the canary 20 of 100
        publish(1, 100, 1);
        publish(2, 100, 20);
        // WHEN the health is compared
        JsonNode verdict = run("deployment/compare-health.json");
        // THEN the canary is unhealthy, and the reason says why with the numbers
        assertThat(verdict.get("healthy").asBoolean()).isFalse();
        assertThat(verdict.get("canaryRequests").asLong()).isEqualTo(100);
        assertThat(verdict.get("canaryErrors").asLong()).isEqualTo(20);
        assertThat(verdict.get("productionErrors").asLong()).isEqualTo(1);
        assertThat(verdict.get("reason").asText()).contains("0.2000").contains("0.0100");
    }

    @Test
    void a_canary_as_good_as_production_is_healthy() {
        run("deployment/start-canary.json");
        publish(1, 200, 2);
        publish(2, 50, 0);
        assertThat(run("deployment/compare-health.json").get("healthy").asBoolean()).isTrue();
    }

    @Test
    void promote_moves_production_and_previous_and_removes_the_canary_once() {
        run("deployment/start-canary.json");
        JsonNode state = run("deployment/promote.json");
        long events = auditEvents();
        JsonNode again = run("deployment/promote.json");

        assertThat(state.get("production").asInt()).isEqualTo(2);
        assertThat(state.get("previous").asInt()).isEqualTo(1);
        assertThat(state.has("canary")).isFalse();
        assertThat(registry.version("churn", 2).status()).isEqualTo(VersionStatus.DEPLOYED);
        assertThat(again).isEqualTo(state);
        assertThat(auditEvents()).isEqualTo(events);
        assertThat(registry.verifyAudit("churn").intact()).isTrue();
    }

    @Test
    void rollback_removes_the_canary_and_leaves_production_alone_once() {
        run("deployment/start-canary.json");
        JsonNode state = run("deployment/rollback.json");
        long events = auditEvents();
        run("deployment/rollback.json");

        assertThat(state.get("production").asInt()).isEqualTo(1);
        assertThat(state.has("canary")).isFalse();
        assertThat(registry.version("churn", 2).status()).isEqualTo(VersionStatus.APPROVED);
        assertThat(auditEvents()).isEqualTo(events);
        var last = registry.audit("churn", PageRequest.first(100)).items();
        assertThat(last.get(last.size() - 1).reason()).startsWith("rolled back: canary error rate");
    }

    @Test
    void abort_after_a_failure_before_any_canary_touches_nothing() {
        long events = auditEvents();
        JsonNode state = run("deployment/abort.json");
        assertThat(state.get("production").asInt()).isEqualTo(1);
        assertThat(auditEvents()).isEqualTo(events);
    }

    @Test
    void the_first_version_of_a_model_has_no_production_to_compare_with() {
        Change change = Change.by("test", "new model");
        registry.createModel(new Model("fraud", Task.BINARY_CLASSIFICATION,
                new FeatureSchema(List.of(Feature.numeric("amount"))), "fraud", "team", Map.of(), null, null), change);
        registry.registerVersion("fraud", new Lineage("s3://b/datasets/fraud/a.csv", null, "local", Map.of(), null, null, null), change);
        registry.recordTrained("fraud", 1, new ArtifactRef("models/fraud/versions/1/model.tar.gz", "c".repeat(64), 1), Map.of(), null, null, null, change);
        registry.approve("fraud", 1, change);
        var tasks = new DeploymentTasks(registry, metrics, Clock.systemUTC(), "test");

        var plan = tasks.startCanary(new io.modelcycle.core.lifecycle.VersionRef("fraud", 1));
        assertThat(plan.productionVersion()).isNull();
        assertThat(registry.alias("fraud", Alias.CANARY)).isEmpty();
        assertThat(tasks.promote(new io.modelcycle.core.lifecycle.VersionRef("fraud", 1)).production()).isEqualTo(1);
    }

    @Test
    void bad_task_input_is_refused_with_the_field_named() {
        assertThatThrownBy(() -> run("deployment/invalid-unknown-action.json"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("deployEverywhere").hasMessageContaining("promote");
        assertThatThrownBy(() -> run("deployment/invalid-missing-version.json"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("version");
    }

    private void publish(int version, int requests, int errors) {
        List<MetricPoint> points = new ArrayList<>();
        Instant at = Instant.parse("2026-11-29T10:03:00Z");
        points.add(new MetricPoint(ServingMetrics.requests("churn", version), requests, MetricUnit.COUNT, at));
        points.add(new MetricPoint(ServingMetrics.errors("churn", version), errors, MetricUnit.COUNT, at));
        metrics.publish(points);
    }
}
