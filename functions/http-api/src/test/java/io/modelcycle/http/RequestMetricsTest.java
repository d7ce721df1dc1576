package io.modelcycle.http;

import static io.modelcycle.http.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-request metric really is CloudWatch EMF on stdout, with the route template as a dimension. */
class RequestMetricsTest {

    @Test
    void each_request_emits_one_emf_count_with_route_and_status_dimensions() {
        HttpApi api = new HttpApi("metrics-test", new Router<Endpoint>()
                .add("GET", "/models/{name}", r -> Responses.ok(Map.of("name", r.path("name")))), "ModelCycleTest");
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            // WHEN one request matches and one does not
            api.handle(event("GET", "/models/churn", null, null), LocalContext.of("m-1", "metrics-test"));
            api.handle(event("GET", "/nowhere", null, null), LocalContext.of("m-2", "metrics-test"));
        } finally {
            System.setOut(original);
        }
        // THEN two EMF documents name the namespace, the metric and the dimensions
        List<JsonNode> emf = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.contains("\"_aws\"")) {
                emf.add(Json.tree(line));
            }
        }
        assertThat(emf).hasSize(2);
        JsonNode matched = emf.get(0);
        assertThat(matched.get("_aws").get("CloudWatchMetrics").get(0).get("Namespace").asText()).isEqualTo("ModelCycleTest");
        assertThat(matched.get("Requests").asDouble()).isEqualTo(1.0);
        assertThat(matched.get("Route").asText()).isEqualTo("/models/{name}");
        assertThat(matched.get("Method").asText()).isEqualTo("GET");
        assertThat(matched.get("Status").asText()).isEqualTo("200");
        assertThat(emf.get(1).get("Route").asText()).isEqualTo(HttpApi.UNMATCHED);
        assertThat(emf.get(1).get("Status").asText()).isEqualTo("404");
    }

    @Test
    void a_failures_only_api_writes_nothing_for_a_success_and_logs_and_counts_a_failure() {
        HttpApi api = new HttpApi("quiet-test", new Router<Endpoint>()
                .add("GET", "/models/{name}", r -> Responses.ok(Map.of("name", r.path("name")))), "ModelCycleTest",
                HttpApi.AccessLog.FAILURES_ONLY);
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            api.handle(event("GET", "/models/churn", null, null), LocalContext.of("q-1", "quiet-test"));
            assertThat(out.toString(StandardCharsets.UTF_8)).as("a success emits no request metric").isEmpty();
            api.handle(event("GET", "/nowhere", null, null), LocalContext.of("q-2", "quiet-test"));
        } finally {
            System.setOut(original);
        }
        String written = out.toString(StandardCharsets.UTF_8);
        assertThat(written).contains("\"_aws\"").contains("\"Status\":\"404\"");
    }
}
