package io.modelcycle.http;

import static io.modelcycle.http.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.ConcurrentUpdateException;
import io.modelcycle.core.Json;
import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpApiTest {

    record Thing(String name) {
        Thing {
            if (name == null || name.isBlank()) {
                throw new ValidationException("name", "is required");
            }
        }
    }

    private final JsonBodies bodies = new JsonBodies(100);
    private final HttpApi api = new HttpApi("test-api", new Router<Endpoint>()
            .add("GET", "/things/{id}", request -> switch (request.path("id")) {
                case "missing" -> throw new NotFoundException("thing 'missing' does not exist");
                case "stale" -> throw new ConcurrentUpdateException("thing 'stale' changed meanwhile");
                case "boom" -> throw new IllegalStateException("jdbc:sqlite:/secret/path.db is locked");
                default -> Responses.ok(Map.of("id", request.path("id"), "actor", request.actor()));
            })
            .add("POST", "/things", request -> {
                Thing thing = bodies.read(request, Thing.class);
                return Responses.created("/things/" + thing.name(), thing);
            }), "ModelCycleTest");

    private APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent event) {
        return api.handle(event, LocalContext.of("lambda-req-7", "test-api"));
    }

    private static JsonNode error(APIGatewayV2HTTPResponse response) {
        assertThat(response.getHeaders()).containsEntry("content-type", "application/json");
        return Json.tree(response.getBody()).get("error");
    }

    @Test
    void serves_a_matched_route_with_json() {
        APIGatewayV2HTTPResponse response = call(event("GET", "/things/a1", null, null));
        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(Json.tree(response.getBody()).get("id").asText()).isEqualTo("a1");
    }

    @Test
    void domain_errors_map_to_404_and_409_with_their_code_and_message() {
        APIGatewayV2HTTPResponse missing = call(event("GET", "/things/missing", null, null));
        assertThat(missing.getStatusCode()).isEqualTo(404);
        assertThat(error(missing).get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(error(missing).get("message").asText()).isEqualTo("thing 'missing' does not exist");

        APIGatewayV2HTTPResponse stale = call(event("GET", "/things/stale", null, null));
        assertThat(stale.getStatusCode()).isEqualTo(409);
        assertThat(error(stale).get("code").asText()).isEqualTo("CONCURRENT_UPDATE");
    }

    @Test
    void an_unexpected_error_is_500_with_the_request_id_and_without_its_detail() {
        APIGatewayV2HTTPResponse response = call(event("GET", "/things/boom", null, null));
        assertThat(response.getStatusCode()).isEqualTo(500);
        JsonNode error = error(response);
        assertThat(error.get("code").asText()).isEqualTo("INTERNAL_ERROR");
        assertThat(error.get("requestId").asText()).isEqualTo("lambda-req-7");
        assertThat(error.get("message").asText()).contains("lambda-req-7");
        assertThat(response.getBody()).doesNotContain("sqlite").doesNotContain("secret");
    }

    @Test
    void validation_errors_are_400_with_field_details() {
        APIGatewayV2HTTPResponse response = call(event("POST", "/things", "application/json", "{\"name\":\" \"}"));
        assertThat(response.getStatusCode()).isEqualTo(400);
        JsonNode error = error(response);
        assertThat(error.get("code").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(error.get("details").get(0).get("field").asText()).isEqualTo("name");
        assertThat(error.get("details").get(0).get("message").asText()).isEqualTo("is required");
    }

    @Test
    void transport_errors_are_404_405_413_415() {
        assertThat(call(event("GET", "/nowhere", null, null)).getStatusCode()).isEqualTo(404);
        APIGatewayV2HTTPResponse wrongMethod = call(event("DELETE", "/things", null, null));
        assertThat(wrongMethod.getStatusCode()).isEqualTo(405);
        assertThat(wrongMethod.getHeaders()).containsEntry("allow", "POST");
        assertThat(call(event("POST", "/things", "application/json", "{\"name\":\"" + "x".repeat(200) + "\"}"))
                .getStatusCode()).isEqualTo(413);
        APIGatewayV2HTTPResponse wrongType = call(event("POST", "/things", "application/xml", "<name>x</name>"));
        assertThat(wrongType.getStatusCode()).isEqualTo(415);
        assertThat(error(wrongType).get("code").asText()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void a_base64_body_is_decoded_and_broken_base64_is_a_400() {
        APIGatewayV2HTTPEvent event = event("POST", "/things", "application/json",
                Base64.getEncoder().encodeToString("{\"name\":\"b64\"}".getBytes(StandardCharsets.UTF_8)));
        event.setIsBase64Encoded(true);
        APIGatewayV2HTTPResponse response = call(event);
        assertThat(response.getStatusCode()).isEqualTo(201);
        assertThat(response.getHeaders()).containsEntry("location", "/things/b64");

        APIGatewayV2HTTPEvent broken = event("POST", "/things", "application/json", "not base64!");
        broken.setIsBase64Encoded(true);
        assertThat(call(broken).getStatusCode()).isEqualTo(400);
    }

    @Test
    void the_actor_is_the_iam_caller_else_the_jwt_subject_else_anonymous() {
        APIGatewayV2HTTPEvent iam = event("GET", "/things/a", null, null);
        iam.getRequestContext().setAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                .withIam(APIGatewayV2HTTPEvent.RequestContext.IAM.builder()
                        .withUserArn("arn:aws:iam::123456789012:user/alice").build()).build());
        assertThat(Json.tree(call(iam).getBody()).get("actor").asText()).isEqualTo("arn:aws:iam::123456789012:user/alice");

        APIGatewayV2HTTPEvent jwt = event("GET", "/things/a", null, null);
        jwt.getRequestContext().setAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                        .withClaims(Map.of("sub", "user-42")).withScopes(List.of()).build()).build());
        assertThat(Json.tree(call(jwt).getBody()).get("actor").asText()).isEqualTo("user-42");

        assertThat(Json.tree(call(event("GET", "/things/a", null, null)).getBody()).get("actor").asText())
                .isEqualTo("anonymous");
    }

    @Test
    void a_named_stage_in_front_of_the_path_is_ignored() {
        APIGatewayV2HTTPEvent event = event("GET", "/prod/things/a1", null, null);
        event.getRequestContext().setStage("prod");
        assertThat(call(event).getStatusCode()).isEqualTo(200);
        APIGatewayV2HTTPEvent defaultStage = event("GET", "/things/a1", null, null);
        defaultStage.getRequestContext().setStage("$default");
        assertThat(call(defaultStage).getStatusCode()).isEqualTo(200);
    }

    @Test
    void a_null_event_or_missing_context_still_gets_an_answer() {
        assertThat(api.handle(null, null).getStatusCode()).isEqualTo(400);
        assertThat(api.handle(event("GET", "/things/a", null, null), null).getStatusCode()).isEqualTo(200);
    }
}
