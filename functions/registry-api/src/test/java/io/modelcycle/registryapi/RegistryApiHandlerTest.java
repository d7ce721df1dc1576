package io.modelcycle.registryapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.Json;
import io.modelcycle.core.registry.AuditAction;
import io.modelcycle.core.registry.AuditEvent;
import io.modelcycle.core.registry.PageRequest;
import io.modelcycle.core.registry.VersionStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a caller of the registry API sees, over a real SQLite registry, beyond the status of each sample event. */
class RegistryApiHandlerTest {

    @TempDir
    Path dir;
    private RegistryFixture fixture;

    @BeforeEach
    void seed() {
        fixture = RegistryFixture.seeded(dir);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    private static APIGatewayV2HTTPEvent request(String method, String path, Map<String, String> query, String body) {
        APIGatewayV2HTTPEvent event = RegistryFixture.event("get-model.json");
        event.setRawPath(path);
        event.getRequestContext().getHttp().setMethod(method);
        event.setQueryStringParameters(query);
        event.setBody(body);
        event.setHeaders(Map.of("content-type", "application/json"));
        return event;
    }

    @Test
    void a_created_model_reads_back_with_its_policies_and_the_caller_is_in_the_audit_log() {
        // WHEN the sample model is created by an IAM caller and read back
        APIGatewayV2HTTPResponse created = fixture.call("create-model.json");
        APIGatewayV2HTTPResponse read = fixture.call(request("GET", "/models/fraud", null, null));

        // THEN it is stored as sent, with the location of the new resource
        assertThat(created.getStatusCode()).isEqualTo(201);
        assertThat(created.getHeaders()).containsEntry("location", "/models/fraud");
        JsonNode model = Json.tree(read.getBody()).get("model");
        assertThat(model.get("owner").asText()).isEqualTo("risk-team");
        assertThat(model.get("policies").get("approval").get("mode").asText()).isEqualTo("MANUAL");
        assertThat(model.get("policies").get("canary").get("weight").asDouble()).isEqualTo(0.2);
        assertThat(model.get("schema").get("features").get(1).get("allowedValues")).hasSize(3);
        assertThat(model.get("createdAt").asText()).isNotBlank();
        // AND the audit log names the IAM caller as the actor
        AuditEvent first = fixture.registry.audit("fraud", PageRequest.first()).items().get(0);
        assertThat(first.action()).isEqualTo(AuditAction.MODEL_CREATED);
        assertThat(first.actor()).isEqualTo("arn:aws:iam::123456789012:user/alice");
    }

    @Test
    void register_approve_reject_and_alias_changes_land_in_the_registry_with_actor_and_reason() {
        // WHEN a JWT caller registers a version, an IAM caller approves v2, a JWT caller rejects v3
        APIGatewayV2HTTPResponse registered = fixture.call("register-version.json");
        fixture.call("approve-version.json");
        fixture.call("reject-version.json");
        fixture.call("set-alias.json");

        // THEN the new version is number 6 in TRAINING, and every change is stored
        assertThat(registered.getStatusCode()).isEqualTo(201);
        assertThat(registered.getHeaders()).containsEntry("location", "/models/churn/versions/6");
        assertThat(Json.tree(registered.getBody()).get("status").asText()).isEqualTo("TRAINING");
        assertThat(fixture.registry.version("churn", 6).lineage().hyperparameters()).containsEntry("epochs", "20");
        assertThat(fixture.registry.version("churn", 2).status()).isEqualTo(VersionStatus.APPROVED);
        assertThat(fixture.registry.version("churn", 3).status()).isEqualTo(VersionStatus.REJECTED);
        assertThat(fixture.registry.version("churn", 3).statusReason()).isEqualTo("recall on the holdout is too low");
        assertThat(fixture.registry.alias("churn", "production").orElseThrow().version()).isEqualTo(5);
        List<AuditEvent> events = fixture.registry.audit("churn", new PageRequest(null, 100)).items();
        AuditEvent rejection = events.stream().filter(e -> "version/3".equals(e.subject())).reduce((a, b) -> b).orElseThrow();
        assertThat(rejection.actor()).isEqualTo("user-7f3a");
        assertThat(rejection.reason()).isEqualTo("recall on the holdout is too low");
        AuditEvent promotion = events.get(events.size() - 1);
        assertThat(promotion.action()).isEqualTo(AuditAction.ALIAS_SET);
        assertThat(promotion.actor()).isEqualTo("arn:aws:iam::123456789012:user/alice");
        // AND the chain still verifies through the API
        JsonNode verdict = Json.tree(fixture.call("verify-audit.json").getBody());
        assertThat(verdict.get("intact").asBoolean()).isTrue();
        assertThat(verdict.get("eventsChecked").asLong()).isEqualTo(events.size());
    }

    @Test
    void a_lost_compare_and_set_changes_nothing() {
        APIGatewayV2HTTPResponse conflict = fixture.call("set-alias-cas-conflict.json");
        assertThat(conflict.getStatusCode()).isEqualTo(409);
        assertThat(Json.tree(conflict.getBody()).get("error").get("message").asText()).contains("production");
        assertThat(fixture.registry.alias("churn", "production").orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void an_illegal_status_move_names_the_current_and_requested_status() {
        JsonNode error = Json.tree(fixture.call("approve-illegal-move.json").getBody()).get("error");
        assertThat(error.get("message").asText()).contains("TRAINING").contains("APPROVED");
        assertThat(fixture.registry.version("churn", 4).status()).isEqualTo(VersionStatus.TRAINING);
    }

    @Test
    void lists_page_through_every_item_with_next_tokens() {
        // GIVEN the five seeded versions, read two at a time
        List<Integer> numbers = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            Map<String, String> query = token == null ? Map.of("limit", "2") : Map.of("limit", "2", "nextToken", token);
            JsonNode page = Json.tree(fixture.call(request("GET", "/models/churn/versions", query, null)).getBody());
            page.get("items").forEach(v -> numbers.add(v.get("number").asInt()));
            token = page.hasNonNull("nextToken") ? page.get("nextToken").asText() : null;
            pages++;
        } while (token != null && pages < 10);
        // THEN every version appears once, in order, over three pages
        assertThat(numbers).containsExactly(1, 2, 3, 4, 5);
        assertThat(pages).isEqualTo(3);

        JsonNode trained = Json.tree(fixture.call("list-versions.json").getBody());
        assertThat(trained.get("items")).hasSize(1);
        assertThat(trained.get("items").get(0).get("status").asText()).isEqualTo("TRAINED");
        assertThat(trained.get("nextToken").asText()).isNotBlank();
    }

    @Test
    void get_model_shows_where_the_aliases_point() {
        fixture.call("set-canary.json");
        JsonNode details = Json.tree(fixture.call("get-model.json").getBody());
        assertThat(details.get("aliases").findValuesAsText("name")).containsExactly("canary", "production");
        assertThat(details.get("aliases").get(0).get("weight").asDouble()).isEqualTo(0.1);
    }

    @Test
    void deleting_an_alias_needs_where_it_points_now() {
        assertThat(fixture.call("delete-alias-cas-conflict.json").getStatusCode()).isEqualTo(409);
        assertThat(fixture.registry.alias("churn", "production")).isPresent();
        assertThat(fixture.call("delete-alias.json").getStatusCode()).isEqualTo(204);
        assertThat(fixture.registry.alias("churn", "production")).isEmpty();
    }

    @Test
    void a_store_failure_is_a_500_that_quotes_the_request_id_and_hides_the_detail() {
        // GIVEN the store has been closed underneath the handler
        fixture.store.close();
        // WHEN a model is read
        APIGatewayV2HTTPResponse response = fixture.call("get-model.json");
        // THEN the caller gets a generic 500 with the request id, and nothing about SQLite or files
        assertThat(response.getStatusCode()).isEqualTo(500);
        JsonNode error = Json.tree(response.getBody()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("INTERNAL_ERROR");
        assertThat(error.get("requestId").asText()).isEqualTo("test-request");
        assertThat(response.getBody()).doesNotContainIgnoringCase("sqlite").doesNotContain(dir.toString());
    }
}
