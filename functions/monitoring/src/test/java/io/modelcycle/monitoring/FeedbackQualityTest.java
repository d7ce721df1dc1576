package io.modelcycle.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.modelcycle.core.capture.BufferedCaptureSink;
import io.modelcycle.core.capture.CaptureRecord;
import io.modelcycle.core.feedback.CaptureLog;
import io.modelcycle.core.feedback.FeedbackItem;
import io.modelcycle.core.feedback.FeedbackQuality;
import io.modelcycle.core.feedback.FeedbackStore;
import io.modelcycle.core.feedback.QualityReport;
import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.model.Task;
import io.modelcycle.core.registry.Change;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.embedded.artifact.FileArtifactStore;
import io.modelcycle.embedded.registry.SqliteRegistryStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model quality from ground truth on real files: feedback written by {@link FeedbackStore}, captures by
 * {@link BufferedCaptureSink}, joined by request id and row.
 */
class FeedbackQualityTest {

    static final Instant T0 = Instant.parse("2026-11-29T09:00:00Z");
    static final Instant T1 = Instant.parse("2026-11-29T10:00:00Z");

    @TempDir
    Path home;
    Registry registry;
    FileArtifactStore artifacts;

    @BeforeEach
    void regressionModel() {
        registry = new Registry(new SqliteRegistryStore(home.resolve("registry.db")), Clock.systemUTC());
        artifacts = new FileArtifactStore(home.resolve("artifacts"));
        registry.createModel(new Model("price", Task.REGRESSION, new FeatureSchema(List.of(Feature.numeric("area"))),
                "price", "pricing", Map.of(), null, null), Change.by("test", null));
    }

    FeedbackStore feedbackAt(Instant at) {
        return new FeedbackStore(registry, artifacts, Clock.fixed(at, ZoneOffset.UTC));
    }

    @Test
    void rmse_over_labelled_rows_of_one_version_with_the_latest_label_winning() {
        // GIVEN version 2 served a batch of 3 rows predicting 10, 20, 30 and a single row predicting 5;
        // version 3 (a canary) served one row predicting 100
        try (BufferedCaptureSink sink = new BufferedCaptureSink(artifacts)) {
            sink.capture(new CaptureRecord(T0.plusSeconds(60), "price", 2, "production", "batch",
                    List.of(Map.of("area", 1.0), Map.of("area", 2.0), Map.of("area", 3.0)), List.of(10.0, 20.0, 30.0)));
            sink.capture(CaptureRecord.single(T0.plusSeconds(120), "price", 2, "production", "single", Map.of("area", 4.0), 5.0));
            sink.capture(CaptureRecord.single(T0.plusSeconds(130), "price", 3, "canary", "canary-req", Map.of("area", 4.0), 100.0));
        }
        // AND feedback: rows 0 and 2 of the batch (actual 12 and 27), the single request first as 0 then
        // corrected to 9, the canary's request, and one request never captured
        feedbackAt(T0.plusSeconds(600)).submit("price", List.of(new FeedbackItem("batch", 12, 0),
                new FeedbackItem("batch", 27.0, 2), new FeedbackItem("single", 0, null),
                new FeedbackItem("canary-req", 90, null), new FeedbackItem("ghost", 1, null)), "first");
        feedbackAt(T0.plusSeconds(900)).submitOne("price", new FeedbackItem("single", 9, null), "correction");

        // WHEN quality of version 2 is computed over the hour
        QualityReport report = new FeedbackQuality(registry, artifacts, feedbackAt(T1), null).compute("price", 2, T0, T1);

        // THEN RMSE = sqrt(((10-12)^2 + (30-27)^2 + (5-9)^2) / 3) over 3 labelled rows; the canary's and the
        // never-captured label are unmatched for version 2
        assertThat(report.labelledRows()).isEqualTo(3);
        assertThat(report.rmse()).isCloseTo(Math.sqrt((4 + 9 + 16) / 3.0), within(1e-12));
        assertThat(report.accuracy()).isNull();
        assertThat(report.unmatched()).isEqualTo(2);
    }

    @Test
    void feedback_outside_the_window_is_not_counted() {
        try (BufferedCaptureSink sink = new BufferedCaptureSink(artifacts)) {
            sink.capture(CaptureRecord.single(T0.plusSeconds(60), "price", 2, "production", "r1", Map.of("area", 1.0), 10.0));
        }
        feedbackAt(T1.plusSeconds(5)).submitOne("price", new FeedbackItem("r1", 11, null), "late");

        QualityReport report = new FeedbackQuality(registry, artifacts, feedbackAt(T1), null).compute("price", 2, T0, T1);

        assertThat(report.labelledRows()).isZero();
        assertThat(report.rmse()).isNull();
    }

    @Test
    void a_corrupt_capture_line_is_skipped_and_counted_not_fatal() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(("{\"timestamp\":\"2026-11-29T09:01:00Z\",\"model\":\"price\",\"version\":2,\"requestId\":\"ok\","
                    + "\"rows\":[{\"area\":1}],\"predictions\":[3],\"addedLater\":{\"x\":1}}\n"
                    + "{not json\n").getBytes(StandardCharsets.UTF_8));
        }
        artifacts.put("captures/price/2026/11/29/09/x.jsonl.gz", bytes.toByteArray());
        List<CaptureRecord> seen = new ArrayList<>();

        CaptureLog.Scan scan = new CaptureLog(artifacts).forEach("price", 2, T0, T1, seen::add);

        assertThat(scan.records()).isEqualTo(1);
        assertThat(scan.skippedLines()).isEqualTo(1);
        assertThat(seen).singleElement().satisfies(r -> {
            assertThat(r.requestId()).isEqualTo("ok");
            assertThat(r.predictions()).containsExactly(3.0);
        });
    }
}
