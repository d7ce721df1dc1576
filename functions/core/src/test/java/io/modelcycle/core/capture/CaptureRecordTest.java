package io.modelcycle.core.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcycle.core.Json;
import io.modelcycle.core.ValidationException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CaptureRecordTest {

    @Test
    void a_capture_is_one_json_line_that_reads_back_equal() {
        // GIVEN a single-row capture with a missing feature value
        Map<String, Object> row = new HashMap<>();
        row.put("age", 41);
        row.put("plan", "pro");
        row.put("income", null);
        CaptureRecord record = CaptureRecord.single(Instant.parse("2026-11-29T10:15:02.120Z"), "churn", 3,
                "production", "req-1", row, 0.83);

        // WHEN it is written and read back
        String line = Json.write(record);
        CaptureRecord back = Json.read(line, CaptureRecord.class);

        // THEN it is one line with the documented field names, and equal to the original
        assertThat(line).doesNotContain("\n").contains("\"timestamp\":\"2026-11-29T10:15:02.120Z\"")
                .contains("\"rows\":[{").contains("\"predictions\":[0.83]");
        assertThat(back).isEqualTo(record);
    }

    @Test
    void a_batch_needs_one_prediction_per_row() {
        assertThatThrownBy(() -> new CaptureRecord(Instant.now(), "churn", 1, null, "r",
                List.of(Map.of("a", 1), Map.of("a", 2)), List.of(1.0)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("one prediction per row");
        assertThatThrownBy(() -> new CaptureRecord(Instant.now(), "Bad Name", 1, null, "r", List.of(Map.of()), null))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> new CaptureRecord(Instant.now(), "churn", 0, null, "r", List.of(Map.of()), null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("version");
    }
}
