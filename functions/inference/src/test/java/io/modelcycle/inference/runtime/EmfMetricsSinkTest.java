package io.modelcycle.inference.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.Json;
import io.modelcycle.core.metrics.MetricPoint;
import io.modelcycle.core.metrics.MetricUnit;
import io.modelcycle.core.metrics.ServingMetrics;
import io.modelcycle.http.HttpApi;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The serving metrics as embedded metric format lines, the form CloudWatch turns into the series the canary check reads. */
class EmfMetricsSinkTest {

    @Test
    void points_of_one_version_become_one_emf_line_with_exactly_the_model_and_version_dimensions() throws Exception {
        Class.forName(HttpApi.class.getName()); // its static set-up sends EMF to stdout outside Lambda
        Instant at = Instant.parse("2026-11-29T10:00:00.123Z");
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            new EmfMetricsSink().publish(List.of(
                    new MetricPoint(ServingMetrics.requests("churn", 3), 1, MetricUnit.COUNT, at),
                    new MetricPoint(ServingMetrics.latency("churn", 3), 2.5, MetricUnit.MILLISECONDS, at)));
        } finally {
            System.setOut(original);
        }

        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("_aws")).toList();
        assertThat(lines).hasSize(1);
        JsonNode line = Json.tree(lines.get(0));
        JsonNode directive = line.get("_aws").get("CloudWatchMetrics").get(0);
        assertThat(directive.get("Namespace").asText()).isEqualTo(ServingMetrics.NAMESPACE);
        assertThat(directive.get("Dimensions").get(0)).hasSize(2);
        assertThat(directive.get("Dimensions").get(0).toString()).contains("\"model\"").contains("\"version\"");
        assertThat(line.get("_aws").get("Timestamp").asLong()).isEqualTo(at.toEpochMilli());
        assertThat(line.get("model").asText()).isEqualTo("churn");
        assertThat(line.get("version").asText()).isEqualTo("3");
        assertThat(line.get("Requests").asDouble()).isEqualTo(1.0);
        assertThat(line.get("LatencyMs").asDouble()).isEqualTo(2.5);
    }
}
