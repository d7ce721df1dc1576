package io.modelcycle.registryapi;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Plays every sample event under {@code events/registry-api/} against a freshly seeded registry
 * ({@link RegistryFixture}) and checks the status, error code and offending field written here, by hand, from
 * the API's contract: not copied from the handler's output.
 */
class RegistryApiEventsTest {

    /** file, expected status, expected error code (or null), expected first error field (or null). */
    static Stream<Arguments> events() {
        return Stream.of(
                Arguments.of("create-model.json", 201, null, null),
                Arguments.of("create-model-base64.json", 201, null, null),
                Arguments.of("create-model-bad-json.json", 400, "VALIDATION_FAILED", "body"),
                Arguments.of("create-model-unknown-field.json", 400, "VALIDATION_FAILED", "colour"),
                Arguments.of("create-model-bad-name.json", 400, "VALIDATION_FAILED", "name"),
                Arguments.of("create-model-invalid-schema.json", 400, "VALIDATION_FAILED", "schema.features[1].allowedValues"),
                Arguments.of("create-model-duplicate.json", 409, "ALREADY_EXISTS", null),
                Arguments.of("create-model-wrong-content-type.json", 415, "UNSUPPORTED_MEDIA_TYPE", null),
                Arguments.of("create-model-too-large.json", 413, "PAYLOAD_TOO_LARGE", null),
                Arguments.of("list-models.json", 200, null, null),
                Arguments.of("list-models-bad-limit.json", 400, "VALIDATION_FAILED", "limit"),
                Arguments.of("get-model.json", 200, null, null),
                Arguments.of("get-model-unknown.json", 404, "NOT_FOUND", null),
                Arguments.of("get-model-bad-name.json", 400, "VALIDATION_FAILED", "name"),
                Arguments.of("register-version.json", 201, null, null),
                Arguments.of("register-version-unknown-model.json", 404, "NOT_FOUND", null),
                Arguments.of("register-version-missing-lineage.json", 400, "VALIDATION_FAILED", "lineage"),
                Arguments.of("register-version-bad-sha.json", 400, "VALIDATION_FAILED", "lineage.datasetSha256"),
                Arguments.of("list-versions.json", 200, null, null),
                Arguments.of("list-versions-bad-status.json", 400, "VALIDATION_FAILED", "status"),
                Arguments.of("get-version.json", 200, null, null),
                Arguments.of("get-version-unknown.json", 404, "NOT_FOUND", null),
                Arguments.of("get-version-bad-number.json", 400, "VALIDATION_FAILED", "v"),
                Arguments.of("approve-version.json", 200, null, null),
                Arguments.of("approve-version-without-body.json", 200, null, null),
                Arguments.of("approve-illegal-move.json", 409, "ILLEGAL_TRANSITION", null),
                Arguments.of("reject-version.json", 200, null, null),
                Arguments.of("reject-without-reason.json", 400, "VALIDATION_FAILED", "reason"),
                Arguments.of("set-alias.json", 200, null, null),
                Arguments.of("set-alias-new.json", 200, null, null),
                Arguments.of("set-canary.json", 200, null, null),
                Arguments.of("set-alias-cas-conflict.json", 409, "CONCURRENT_UPDATE", null),
                Arguments.of("set-canary-without-weight.json", 400, "VALIDATION_FAILED", "weight"),
                Arguments.of("set-alias-unservable-version.json", 409, "VERSION_NOT_SERVABLE", null),
                Arguments.of("set-alias-bad-name.json", 400, "VALIDATION_FAILED", "alias"),
                Arguments.of("delete-alias.json", 204, null, null),
                Arguments.of("delete-alias-cas-conflict.json", 409, "CONCURRENT_UPDATE", null),
                Arguments.of("delete-alias-without-expected-version.json", 400, "VALIDATION_FAILED", "expectedVersion"),
                Arguments.of("delete-alias-unknown.json", 404, "NOT_FOUND", null),
                Arguments.of("get-audit.json", 200, null, null),
                Arguments.of("get-audit-bad-token.json", 400, "VALIDATION_FAILED", "nextToken"),
                Arguments.of("verify-audit.json", 200, null, null),
                Arguments.of("feedback.json", 202, null, null),
                Arguments.of("feedback-batch.json", 202, null, null),
                Arguments.of("feedback-bad-label.json", 400, "VALIDATION_FAILED", "actual"),
                Arguments.of("feedback-batch-bad-label.json", 400, "VALIDATION_FAILED", "items[1].actual"),
                Arguments.of("feedback-missing-actual.json", 400, "VALIDATION_FAILED", "actual"),
                Arguments.of("feedback-unknown-model.json", 404, "NOT_FOUND", null),
                Arguments.of("unknown-route.json", 404, "ROUTE_NOT_FOUND", null),
                Arguments.of("method-not-allowed.json", 405, "METHOD_NOT_ALLOWED", null));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("events")
    void each_sample_event_gets_its_documented_status(String file, int status, String code, String field,
                                                      @TempDir Path dir) {
        try (RegistryFixture fixture = RegistryFixture.seeded(dir)) {
            // WHEN the event is handled
            APIGatewayV2HTTPResponse response = fixture.call(file);

            // THEN the status is the documented one, and an error says what and where
            assertThat(response.getStatusCode()).as(file + ": " + response.getBody()).isEqualTo(status);
            if (code != null) {
                JsonNode error = Json.tree(response.getBody()).get("error");
                assertThat(error.get("code").asText()).isEqualTo(code);
                assertThat(error.get("message").asText()).isNotBlank();
                assertThat(error.get("requestId").asText()).isEqualTo("test-request");
                if (field != null) {
                    assertThat(error.get("details").get(0).get("field").asText()).isEqualTo(field);
                }
            } else if (status != 204) {
                assertThat(response.getHeaders()).containsEntry("content-type", "application/json");
                assertThat(Json.tree(response.getBody()).isObject()).isTrue();
            }
        }
    }

    @Test
    void every_file_under_events_registry_api_is_played_by_this_test() throws IOException {
        Set<String> listed = events().map(a -> (String) a.get()[0]).collect(Collectors.toCollection(TreeSet::new));
        Set<String> files;
        try (Stream<Path> s = Files.list(RegistryFixture.EVENTS)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(files).isEqualTo(listed);
    }
}
