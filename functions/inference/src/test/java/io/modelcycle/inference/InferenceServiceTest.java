package io.modelcycle.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.Hashing;
import io.modelcycle.core.Json;
import io.modelcycle.core.artifact.ArtifactKeys;
import io.modelcycle.core.artifact.StoredObject;
import io.modelcycle.core.metrics.ServingMetrics;
import io.modelcycle.core.registry.ArtifactRef;
import io.modelcycle.core.registry.Lineage;
import io.modelcycle.djl.Prediction;
import io.modelcycle.djl.TabularModel;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serving behaviour a caller and an operator notice, through the handler, on real embedded stores. */
class InferenceServiceTest {

    @TempDir
    Path dir;
    ServingFixture f;
    TrainedModel trained;

    @BeforeEach
    void serve() {
        f = new ServingFixture(dir, 1.0);
        trained = TrainedModel.get();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void predictions_are_the_trained_models_own_and_say_who_answered() {
        // GIVEN ten hold-out rows
        List<Map<String, Object>> rows = trained.rows(10);

        // WHEN they are sent to the production alias
        Map<String, Object> response = f.predict(Map.of("instances", rows));

        // THEN version 1 answers through production, with the request id, one prediction per row, equal to the model's
        assertThat(response).containsEntry("model", "churn").containsEntry("version", 1)
                .containsEntry("alias", "production").containsEntry("requestId", "test-request");
        List<Prediction> expected;
        try (TabularModel model = TabularModel.load(trained.dir)) {
            expected = model.predict(rows);
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> predictions = (List<Map<String, Object>>) response.get("predictions");
        assertThat(predictions).hasSize(10);
        for (int i = 0; i < 10; i++) {
            assertThat(predictions.get(i).get("label")).isEqualTo(expected.get(i).label());
            @SuppressWarnings("unchecked")
            Map<String, Double> p = (Map<String, Double>) predictions.get(i).get("probabilities");
            assertThat(p.get("1")).isCloseTo(expected.get(i).probabilities().get("1"), within(1e-9));
        }
    }

    @Test
    void the_canary_gets_its_weight_of_production_traffic_within_statistical_tolerance() {
        // GIVEN a canary on version 2 with weight 0.2
        f.registry.setAlias("churn", "canary", 2, null, 0.2, ServingFixture.SEED);
        int n = 20_000;

        // WHEN production is resolved n times
        int canary = 0;
        for (int i = 0; i < n; i++) {
            InferenceService.Target t = f.service.resolve("churn", "production");
            if (t.version() == 2) {
                assertThat(t.alias()).isEqualTo("canary");
                canary++;
            }
        }

        // THEN the share is 0.2 within 4 standard deviations (sd = sqrt(p(1-p)/n) ≈ 0.0028)
        double sd = Math.sqrt(0.2 * 0.8 / n);
        assertThat((double) canary / n).isCloseTo(0.2, within(4 * sd));
    }

    @Test
    void requests_through_the_handler_are_answered_by_both_versions_and_each_response_names_its_version() {
        f.registry.setAlias("churn", "canary", 2, null, 0.5, ServingFixture.SEED);
        int[] byVersion = new int[3];
        for (int i = 0; i < 60; i++) {
            Map<String, Object> r = f.predict(Map.of("instances", trained.rows(1)));
            int v = (Integer) r.get("version");
            assertThat(r.get("alias")).isEqualTo(v == 2 ? "canary" : "production");
            byVersion[v]++;
        }
        assertThat(byVersion[1]).isPositive();
        assertThat(byVersion[2]).isPositive();
    }

    @Test
    void a_promotion_is_served_once_the_alias_cache_expires_and_the_old_version_is_released() {
        // GIVEN version 1 serving production and loaded
        assertThat(f.predict(Map.of("instances", trained.rows(1)))).containsEntry("version", 1);
        assertThat(f.service.loadedVersions("churn")).containsExactly(1);

        // WHEN production is promoted to version 2
        f.registry.setAlias("churn", "production", 2, 1, null, ServingFixture.SEED);

        // THEN within the cache's 5 s the old version still answers, after it the new one, and version 1 is unloaded
        f.clock.advance(Duration.ofSeconds(4));
        assertThat(f.predict(Map.of("instances", trained.rows(1)))).containsEntry("version", 1);
        f.clock.advance(Duration.ofMinutes(6));
        assertThat(f.predict(Map.of("instances", trained.rows(1)))).containsEntry("version", 2);
        assertThat(f.service.loadedVersions("churn")).containsExactly(2);
    }

    @Test
    void a_version_still_behind_an_alias_stays_loaded() {
        f.predict(Map.of("instances", trained.rows(1)));
        f.registry.setAlias("churn", "production", 2, 1, null, ServingFixture.SEED);
        f.registry.setAlias("churn", "previous", 1, null, null, ServingFixture.SEED);
        f.clock.advance(Duration.ofMinutes(6));

        f.predict(Map.of("instances", trained.rows(1)));

        assertThat(f.service.loadedVersions("churn")).containsExactly(1, 2);
        assertThat(f.predict("/models/churn/predict", "alias=previous", Map.of("instances", trained.rows(1))))
                .containsEntry("version", 1).containsEntry("alias", "previous");
    }

    @Test
    void a_pinned_version_answers_without_an_alias_and_an_unapproved_one_is_refused() {
        Map<String, Object> pinned = f.predict("/models/churn/versions/2/predict", null, Map.of("instances", trained.rows(2)));
        assertThat(pinned).containsEntry("version", 2).doesNotContainKey("alias");

        f.registry.registerVersion("churn", new Lineage("s3://d", null, "local", Map.of(), null, null, "manual"),
                ServingFixture.SEED);
        APIGatewayV2HTTPResponse training = f.post("/models/churn/versions/3/predict", null, Map.of("instances", trained.rows(1)));
        assertThat(training.getStatusCode()).isEqualTo(409);
        assertThat(training.getBody()).contains("TRAINING").contains("APPROVED or DEPLOYED");
    }

    @Test
    void an_artifact_that_does_not_match_the_registry_is_not_served_and_is_counted() throws Exception {
        // GIVEN version 3 whose archive in the store was replaced behind the registry's back
        int v = f.register(3, trained.archive);
        String key = ArtifactKeys.versionFile("churn", v, ArtifactKeys.MODEL_ARCHIVE);
        byte[] other = TrainedModel.tarGz(Files.createDirectories(dir.resolve("other")));
        f.artifacts.put(key, other);

        // WHEN it is asked for
        APIGatewayV2HTTPResponse response = f.post("/models/churn/versions/3/predict", null, Map.of("instances", trained.rows(1)));

        // THEN 503 with a message naming the SHA-256 check, and one integrity failure for version 3
        assertThat(response.getStatusCode()).isEqualTo(503);
        JsonNode error = Json.tree(response.getBody()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("MODEL_UNAVAILABLE");
        assertThat(error.get("message").asText()).contains("version 3").contains("SHA-256");
        assertThat(response.getHeaders()).containsKey("retry-after");
        assertThat(f.sum(ServingMetrics.integrityFailures("churn", 3))).isEqualTo(1.0);
        assertThat(f.service.loadedVersions("churn")).doesNotContain(3);

        // AND a second request within the retry delay does not download it again (and is not counted again)
        assertThat(f.post("/models/churn/versions/3/predict", null, Map.of("instances", trained.rows(1))).getStatusCode())
                .isEqualTo(503);
        assertThat(f.sum(ServingMetrics.integrityFailures("churn", 3))).isEqualTo(1.0);
    }

    @Test
    void bytes_damaged_on_disk_are_refused_by_the_store_and_not_served() throws Exception {
        String key = ArtifactKeys.versionFile("churn", 2, ArtifactKeys.MODEL_ARCHIVE);
        Path file = f.artifacts.pathOf(key);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(file, bytes);

        APIGatewayV2HTTPResponse response = f.post("/models/churn/versions/2/predict", null, Map.of("instances", trained.rows(1)));

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(503);
        assertThat(f.service.loadedVersions("churn")).doesNotContain(2);
        // the other version is unaffected
        assertThat(f.predict(Map.of("instances", trained.rows(1)))).containsEntry("version", 1);
    }

    @Test
    void serving_metrics_count_requests_and_latency_per_version_but_not_client_errors() {
        f.predict(Map.of("instances", trained.rows(1)));
        f.predict(Map.of("instances", trained.rows(5)));
        APIGatewayV2HTTPResponse bad = f.post("/models/churn/predict", null, Map.of("instances", List.of(Map.of("x1", "oops"))));
        assertThat(bad.getStatusCode()).isEqualTo(400);

        assertThat(f.sum(ServingMetrics.requests("churn", 1))).isEqualTo(2.0);
        assertThat(f.sum(ServingMetrics.errors("churn", 1))).isZero();
        assertThat(f.sum(ServingMetrics.latency("churn", 1))).isPositive();
    }

    @Test
    void sampled_requests_are_captured_as_gzip_json_lines_under_the_hour_of_the_request() throws Exception {
        // GIVEN capture at rate 1.0; WHEN two requests are served
        f.predict(Map.of("instances", trained.rows(2)));
        f.predict(Map.of("instances", trained.rows(1)));
        f.capture.flush();

        // THEN their records are under captures/churn/2026/11/29/10/, one line per request, predictions = P(class 1)
        List<StoredObject> objects = f.artifacts.list("captures/churn/2026/11/29/10/");
        assertThat(objects).isNotEmpty();
        StringBuilder lines = new StringBuilder();
        for (StoredObject o : objects) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(f.artifacts.read(o.key())))) {
                lines.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        List<String> records = lines.toString().lines().toList();
        assertThat(records).hasSize(2);
        JsonNode first = Json.tree(records.get(0));
        assertThat(first.get("model").asText()).isEqualTo("churn");
        assertThat(first.get("version").asInt()).isEqualTo(1);
        assertThat(first.get("alias").asText()).isEqualTo("production");
        assertThat(first.get("requestId").asText()).isEqualTo("test-request");
        assertThat(first.get("rows")).hasSize(first.get("predictions").size());
        assertThat(first.get("predictions").get(0).asDouble()).isBetween(0.0, 1.0);
        assertThat(f.capture.stats().dropped()).isZero();
    }

    @Test
    void priming_loads_and_runs_the_production_model_without_counting_or_capturing_anything() {
        // WHEN the CRaC hook primes the handler
        boolean primed = f.handler.prime();

        // THEN production's version is loaded, and no request was counted or captured
        assertThat(primed).isTrue();
        assertThat(f.service.loadedVersions("churn")).containsExactly(1);
        assertThat(f.sum(ServingMetrics.requests("churn", 1))).isZero();
        f.capture.flush();
        assertThat(f.artifacts.list("captures/")).isEmpty();
    }

    @Test
    void priming_a_model_that_does_not_exist_is_logged_not_thrown() {
        InferenceHandler handler = new InferenceHandler(f.service, "no-such-model", 1024, "ModelCycle");

        assertThat(handler.prime()).isFalse();
        assertThat(new InferenceHandler(f.service).prime()).isFalse();
    }

    @Test
    void after_restore_the_canary_generator_is_seeded_again_and_aliases_are_read_again() {
        int[] seeds = {0};
        CanaryRouter router = new CanaryRouter(() -> new java.util.SplittableRandom(++seeds[0]));
        router.draw(0.5);
        router.draw(0.5);
        assertThat(seeds[0]).isEqualTo(1);

        router.reseed();
        router.draw(0.5);

        assertThat(seeds[0]).isEqualTo(2);
    }

    @Test
    void routes_read_before_a_snapshot_are_dropped_on_restore() {
        f.handler.prime();
        f.registry.setAlias("churn", "production", 2, 1, null, ServingFixture.SEED);

        f.handler.afterRestore(null);

        assertThat(f.predict(Map.of("instances", trained.rows(1)))).containsEntry("version", 2);
    }

    @Test
    void a_version_whose_archive_is_missing_is_a_503_not_a_404() {
        int v = f.registry.registerVersion("churn", new Lineage("s3://d", null, "local", Map.of(), null, null, "manual"),
                ServingFixture.SEED).number();
        f.registry.recordTrained("churn", v, new ArtifactRef("models/churn/versions/" + v + "/model.tar.gz",
                Hashing.sha256Hex("nothing"), 7), Map.of(), null, null, null, ServingFixture.SEED);
        f.registry.approve("churn", v, ServingFixture.SEED);

        APIGatewayV2HTTPResponse response = f.post("/models/churn/versions/" + v + "/predict", null,
                Map.of("instances", trained.rows(1)));

        // the archive was never uploaded: the version's fault, not the caller's
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(503);
        assertThat(Json.tree(response.getBody()).get("error").get("message").asText()).contains("cannot be loaded");
    }
}
