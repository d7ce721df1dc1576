package io.modelcycle.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Plays every sample event under {@code events/inference/} against a served model ({@link ServingFixture}, with a
 * canary alias → 2 at weight 0.2) and checks the status, error code and offending field written here by hand from the
 * API's contract.
 */
class InferenceEventsTest {

    @TempDir
    static Path dir;
    static ServingFixture fixture;

    @BeforeAll
    static void serve() {
        fixture = new ServingFixture(dir, 0.1);
        fixture.registry.setAlias(TrainedModel.NAME, "canary", 2, null, 0.2, ServingFixture.SEED);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    /** file, status, error code (or null), first error field (or null), answering version (or 0). */
    static Stream<Arguments> events() {
        return Stream.of(
                Arguments.of("predict.json", 200, null, null, 0),
                Arguments.of("predict-batch.json", 200, null, null, 0),
                Arguments.of("predict-canary.json", 200, null, null, 2),
                Arguments.of("predict-pinned-version.json", 200, null, null, 2),
                Arguments.of("predict-unknown-feature.json", 400, "VALIDATION_FAILED", "instances[0].x9", 0),
                Arguments.of("predict-missing-feature.json", 400, "VALIDATION_FAILED", "instances[0].x3", 0),
                Arguments.of("predict-wrong-type.json", 400, "VALIDATION_FAILED", "instances[0].x2", 0),
                Arguments.of("predict-categorical-outside-set.json", 400, "VALIDATION_FAILED", "instances[0].c1", 0),
                Arguments.of("predict-nan.json", 400, "VALIDATION_FAILED", "instances[0].x1", 0),
                Arguments.of("predict-infinity.json", 400, "VALIDATION_FAILED", "instances[0].x1", 0),
                Arguments.of("predict-no-rows.json", 400, "VALIDATION_FAILED", "instances", 0),
                Arguments.of("predict-too-many-rows.json", 400, "VALIDATION_FAILED", "instances", 0),
                Arguments.of("predict-too-large.json", 413, "PAYLOAD_TOO_LARGE", null, 0),
                Arguments.of("predict-wrong-content-type.json", 415, "UNSUPPORTED_MEDIA_TYPE", null, 0),
                Arguments.of("predict-bad-json.json", 400, "VALIDATION_FAILED", "instances[0]", 0),
                Arguments.of("predict-unknown-model.json", 404, "NOT_FOUND", null, 0),
                Arguments.of("predict-unknown-version.json", 404, "NOT_FOUND", null, 0),
                Arguments.of("predict-unknown-alias.json", 404, "NOT_FOUND", null, 0));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("events")
    void each_sample_event_gets_its_documented_status(String file, int status, String code, String field, int version) {
        // WHEN the event is handled
        APIGatewayV2HTTPResponse response = fixture.play(file);

        // THEN the status is the documented one; an error says what and where, a success who answered
        assertThat(response.getStatusCode()).as(file + ": " + response.getBody()).isEqualTo(status);
        JsonNode body = Json.tree(response.getBody());
        if (code != null) {
            JsonNode error = body.get("error");
            assertThat(error.get("code").asText()).isEqualTo(code);
            assertThat(error.get("message").asText()).isNotBlank();
            assertThat(error.get("requestId").asText()).isEqualTo("test-request");
            if (field != null) {
                assertThat(error.get("details").get(0).get("field").asText()).isEqualTo(field);
            }
        } else {
            assertThat(body.get("model").asText()).isEqualTo("churn");
            assertThat(body.get("requestId").asText()).isEqualTo("test-request");
            assertThat(body.get("version").asInt()).isIn(1, 2);
            if (version != 0) {
                assertThat(body.get("version").asInt()).isEqualTo(version);
            }
            for (JsonNode p : body.get("predictions")) {
                assertThat(p.get("label").asText()).isIn("0", "1");
                assertThat(p.get("probabilities").get("0").asDouble() + p.get("probabilities").get("1").asDouble())
                        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
            }
        }
    }

    @Test
    void the_batch_sample_gets_one_prediction_per_row_and_the_missing_values_are_accepted() {
        APIGatewayV2HTTPResponse response = fixture.play("predict-batch.json");

        assertThat(Json.tree(response.getBody()).get("predictions")).hasSize(3);
    }

    @Test
    void every_file_under_events_inference_is_played_by_this_test() throws IOException {
        Set<String> listed = events().map(a -> (String) a.get()[0]).collect(Collectors.toCollection(TreeSet::new));
        Set<String> files;
        try (Stream<Path> s = Files.list(ServingFixture.EVENTS)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(files).isEqualTo(listed);
    }
}
