package io.modelcycle.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcycle.core.ValidationException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricRecordsTest {

    private static final MetricId METRIC = new MetricId("modelcycle/drift", "DriftedShare", Map.of("model", "churn"));

    @Test
    void dimensions_are_kept_sorted_and_cannot_be_changed() {
        Map<String, String> dimensions = new HashMap<>(Map.of("version", "3", "model", "churn", "feature", "age"));
        MetricId id = new MetricId("modelcycle/drift", "DriftScore", dimensions);
        dimensions.put("extra", "x");

        assertThat(id.dimensions().keySet()).containsExactly("feature", "model", "version");
        assertThatThrownBy(() -> id.dimensions().put("a", "b")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void refuses_what_cloudwatch_refuses_naming_the_field() {
        assertThatThrownBy(() -> new MetricId("AWS/Lambda", "Errors", null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("reserved");
        assertThatThrownBy(() -> new MetricId("model cycle", "Errors", null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("metric.namespace");
        assertThatThrownBy(() -> new MetricId("modelcycle", "", null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("metric.name");
        assertThatThrownBy(() -> new MetricId("modelcycle", "Errors", Map.of("model", "x".repeat(1025))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("metric.dimensions.model");
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 31; i++) {
            many.put("d" + i, "v");
        }
        assertThatThrownBy(() -> new MetricId("modelcycle", "Errors", many))
                .isInstanceOf(ValidationException.class).hasMessageContaining("at most 30 dimensions");
    }

    @Test
    void a_point_must_be_a_finite_number_in_cloudwatch_range() {
        Instant now = Instant.parse("2026-11-29T10:00:00.123456Z");
        assertThatThrownBy(() -> new MetricPoint(METRIC, Double.NaN, null, now))
                .isInstanceOf(ValidationException.class).hasMessageContaining("value");
        assertThatThrownBy(() -> new MetricPoint(METRIC, Math.pow(2, 361), null, now))
                .isInstanceOf(ValidationException.class).hasMessageContaining("2^360");

        MetricPoint point = new MetricPoint(METRIC, 0.5, null, now);
        assertThat(point.unit()).isEqualTo(MetricUnit.NONE);
        assertThat(point.timestamp()).isEqualTo(Instant.parse("2026-11-29T10:00:00.123Z"));
    }

    @Test
    void a_query_must_be_aligned_to_its_period_and_covering_aligns_it() {
        Duration fiveMinutes = Duration.ofMinutes(5);
        assertThatThrownBy(() -> new MetricQuery(METRIC, Statistic.SUM, fiveMinutes,
                Instant.parse("2026-11-29T10:01:00Z"), Instant.parse("2026-11-29T10:10:00Z")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("query.start")
                .hasMessageContaining("MetricQuery.covering");
        assertThatThrownBy(() -> new MetricQuery(METRIC, Statistic.SUM, fiveMinutes,
                Instant.parse("2026-11-29T10:10:00Z"), Instant.parse("2026-11-29T10:10:00Z")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("query.end");

        MetricQuery covering = MetricQuery.covering(METRIC, Statistic.SUM, fiveMinutes,
                Instant.parse("2026-11-29T10:01:00Z"), Instant.parse("2026-11-29T10:11:00Z"));
        assertThat(covering.start()).isEqualTo(Instant.parse("2026-11-29T10:00:00Z"));
        assertThat(covering.end()).isEqualTo(Instant.parse("2026-11-29T10:15:00Z"));
        assertThat(covering.periods()).isEqualTo(3);
    }
}
