package io.modelcycle.monitoring;

import static io.modelcycle.monitoring.MonitoringFixture.DATA;
import static io.modelcycle.monitoring.MonitoringFixture.NOW;
import static io.modelcycle.monitoring.MonitoringFixture.WINDOW_END;
import static io.modelcycle.monitoring.MonitoringFixture.WINDOW_START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.Json;
import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.capture.CaptureRecord;
import io.modelcycle.core.dataset.Dataset;
import io.modelcycle.core.dataset.DatasetReader;
import io.modelcycle.core.feedback.FeedbackItem;
import io.modelcycle.core.feedback.FeedbackStore;
import io.modelcycle.core.feedback.QualityMetrics;
import io.modelcycle.core.lifecycle.DriftCheckReport;
import io.modelcycle.core.lifecycle.MonitoringTasks;
import io.modelcycle.core.metrics.Datapoint;
import io.modelcycle.core.metrics.DriftAlarms;
import io.modelcycle.core.metrics.MetricId;
import io.modelcycle.core.metrics.MetricQuery;
import io.modelcycle.core.metrics.Statistic;
import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.model.Task;
import io.modelcycle.core.registry.Change;
import io.modelcycle.testkit.events.SampleEvents;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drift-check tasks through the handler, on the embedded stores, fed the sample events of
 * {@code events/monitoring/}: real baseline profile, real capture files, real feedback files. Every task run twice
 * has the effect of once.
 */
class MonitoringTaskHandlerTest {

    static final Map<String, Double> SHIFTED = Map.of("x1", 1.5, "x2", 1.5, "x3", 1.5, "x4", 1.5, "x5", 1.5, "x6", 1.5);

    @TempDir
    Path home;
    MonitoringFixture fixture;

    @BeforeEach
    void churnInProduction() {
        fixture = MonitoringFixture.productionChurn(home);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    /** Runs the sample event {@code events/<event>}. */
    JsonNode run(String event) {
        return payload(SampleEvents.read(event));
    }

    JsonNode payload(String json) {
        var out = new ByteArrayOutputStream();
        fixture.handler.handleRequest(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.tree(out.toString(StandardCharsets.UTF_8));
    }

    List<Datapoint> points(MetricId metric, Statistic statistic) {
        return fixture.metrics.read(MetricQuery.covering(metric, statistic, Duration.ofMinutes(1),
                NOW.minusSeconds(600), NOW.plusSeconds(600)));
    }

    String text(String key) {
        return new String(fixture.artifacts.read(key), StandardCharsets.UTF_8);
    }

    @Test
    void shifted_traffic_is_reported_as_drift_with_a_json_and_an_html_report() throws Exception {
        // GIVEN an hour of traffic whose six numeric features moved by 1.5 standard deviations
        fixture.capture(DATA.withSeed(2).withShifts(SHIFTED), 500);

        // WHEN the drift check of the sample event runs
        JsonNode result = run("monitoring/drift-check.json");

        // THEN drift is found over the 500 captured rows, against production version 1
        assertThat(result.get("drifted").asBoolean()).as(result.toString()).isTrue();
        assertThat(result.get("rowsChecked").asLong()).isEqualTo(500);
        assertThat(result.get("version").asInt()).isEqualTo(1);
        assertThat(result.get("driftedShare").asDouble()).isGreaterThanOrEqualTo(0.75);
        assertThat(result.get("predictionDrift").asBoolean()).isTrue();
        assertThat(result.get("reason").asText()).startsWith("drift: ").contains("x1");
        // AND the report is stored under the key derived from the window, readable as JSON
        assertThat(result.get("reportKey").asText()).isEqualTo("reports/churn/drift/20261129T100000Z-60m-v1.json");
        DriftCheckReport report = Json.read(text(result.get("reportKey").asText()), DriftCheckReport.class);
        assertThat(report.windowStart()).isEqualTo(WINDOW_START);
        assertThat(report.windowEnd()).isEqualTo(WINDOW_END);
        assertThat(report.trigger()).isEqualTo("alarm");
        assertThat(report.drift().features()).hasSize(8);
        assertThat(report.drift().features().stream().filter(f -> f.feature().startsWith("x")))
                .allSatisfy(f -> assertThat(f.drifted()).as(f.feature()).isTrue());
        // AND beside it a self-contained HTML page drawing both distributions of every feature
        String html = text(result.get("htmlKey").asText());
        assertThat(result.get("htmlKey").asText()).isEqualTo("reports/churn/drift/20261129T100000Z-60m-v1.html");
        assertThat(html).startsWith("<!DOCTYPE html>").contains("Dataset drift").contains("DRIFT");
        assertThat(html.split("<svg", -1)).hasSize(1 + 8 + 1);
        for (String feature : List.of("x1", "x6", "c1", "c2")) {
            assertThat(html).contains(">" + feature + " <span");
        }
        assertThat(html).doesNotContain("<script").doesNotContain("src=").doesNotContain("href=").doesNotContain("http");
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "drift-report-drifted.html"), html);
    }

    @Test
    void traffic_like_the_training_data_is_not_drift_and_publishes_the_metrics_the_alarm_watches() throws Exception {
        // GIVEN an hour of traffic drawn from the training distribution (another seed)
        fixture.capture(DATA.withSeed(3), 500);

        // WHEN the check runs
        JsonNode result = run("monitoring/drift-check.json");

        // THEN no drift, and a reason that says how many features moved
        assertThat(result.get("drifted").asBoolean()).as(result.toString()).isFalse();
        assertThat(result.get("driftedShare").asDouble()).isLessThan(0.5);
        assertThat(result.get("reason").asText()).startsWith("no dataset drift: ");
        // AND DriftedShare is published on {model} (the alarm's series) and on {model, version}
        assertThat(points(DriftAlarms.driftedShare("churn"), Statistic.MAXIMUM)).singleElement()
                .satisfies(p -> assertThat(p.value()).isEqualTo(result.get("driftedShare").asDouble()));
        assertThat(points(DriftAlarms.driftedShare("churn", 1), Statistic.MAXIMUM)).hasSize(1);
        assertThat(points(DriftAlarms.rowsChecked("churn", 1), Statistic.SUM)).singleElement()
                .satisfies(p -> assertThat(p.value()).isEqualTo(500));
        assertThat(points(DriftAlarms.driftScore("churn", 1, "x1"), Statistic.MAXIMUM)).hasSize(1);
        assertThat(points(DriftAlarms.driftScore("churn", 1, "c2"), Statistic.MAXIMUM)).hasSize(1);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "drift-report-stable.html"), text(result.get("htmlKey").asText()));
    }

    @Test
    void the_same_window_twice_writes_one_report_and_publishes_once() {
        fixture.capture(DATA.withSeed(2).withShifts(SHIFTED), 200);
        JsonNode first = run("monitoring/drift-check.json");
        var stored = fixture.artifacts.stat(first.get("reportKey").asText()).orElseThrow();

        JsonNode again = run("monitoring/drift-check.json");

        assertThat(again).isEqualTo(first);
        assertThat(fixture.artifacts.stat(first.get("reportKey").asText()).orElseThrow().sha256()).isEqualTo(stored.sha256());
        assertThat(fixture.artifacts.list("reports/churn/drift/")).hasSize(2);
        assertThat(points(DriftAlarms.driftedShare("churn"), Statistic.SAMPLE_COUNT)).singleElement()
                .satisfies(p -> assertThat(p.value()).isEqualTo(1));
    }

    @Test
    void an_explicit_window_reads_only_the_captures_inside_it() {
        fixture.capture(DATA.withSeed(2), 400);
        // GIVEN the window 08:00-10:00 (two hours) and, separately, the last 20 minutes
        JsonNode wide = run("monitoring/drift-check-explicit-window.json");
        JsonNode narrow = payload("{\"action\":\"driftCheck\",\"model\":\"churn\",\"windowMinutes\":20,"
                + "\"windowEnd\":\"2026-11-29T10:00:00Z\"}");

        assertThat(wide.get("rowsChecked").asLong()).isEqualTo(400);
        assertThat(wide.get("reportKey").asText()).endsWith("/20261129T100000Z-120m-v1.json");
        // request i is served at 09:00:01 + i * 8.75 s: requests 275 to 399 fall in 09:40-10:00
        assertThat(narrow.get("rowsChecked").asLong()).isEqualTo(125);
        assertThat(narrow.get("reportKey").asText()).endsWith("/20261129T100000Z-20m-v1.json");
    }

    @Test
    void a_window_ending_inside_a_second_keeps_the_traffic_of_that_second() {
        fixture.capture(DATA.withSeed(2), 400);
        // GIVEN the last request (served at 09:58:12.250) and a check started later in that second, at 09:58:12.900
        JsonNode result = payload("{\"action\":\"driftCheck\",\"model\":\"churn\",\"windowMinutes\":1,"
                + "\"windowEnd\":\"2026-11-29T09:58:12.900Z\"}");
        // THEN the window ends at the next whole second, so that request counts: 7 rows in [09:57:13, 09:58:13)
        // (truncating the end to 09:58:12 would have left it out and counted 6)
        assertThat(result.get("reportKey").asText()).endsWith("/20261129T095813Z-1m-v1.json");
        assertThat(result.get("rowsChecked").asLong()).isEqualTo(7);
    }

    @Test
    void too_few_rows_is_a_decision_not_an_error() {
        fixture.capture(DATA.withSeed(2).withShifts(SHIFTED), 12);

        JsonNode result = run("monitoring/drift-check.json");

        assertThat(result.get("drifted").asBoolean()).isFalse();
        assertThat(result.get("rowsChecked").asLong()).isEqualTo(12);
        assertThat(result.get("reason").asText()).contains("only 12 captured rows").contains("at least 30");
        assertThat(text(result.get("htmlKey").asText())).contains("Not enough data");
        assertThat(points(DriftAlarms.driftedShare("churn"), Statistic.MAXIMUM)).as("no drift verdict, no alarm input").isEmpty();
        assertThat(points(DriftAlarms.rowsChecked("churn", 1), Statistic.SUM)).singleElement()
                .satisfies(p -> assertThat(p.value()).isEqualTo(12));
    }

    @Test
    void a_model_without_production_version_is_not_found_with_a_clear_message() {
        fixture.registry.createModel(new Model("fraud", Task.BINARY_CLASSIFICATION,
                new FeatureSchema(List.of(Feature.numeric("amount"))), "fraud", "risk", Map.of(), null, null),
                Change.by("test", null));
        assertThatThrownBy(() -> payload("{\"action\":\"driftCheck\",\"model\":\"fraud\"}"))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("'fraud' has no production version");
    }

    @Test
    void labelled_traffic_gives_accuracy_beside_drift() {
        // GIVEN 40 captured requests with feedback, 30 agreeing with the model's prediction, and 2 labels for requests
        // that were never captured
        List<CaptureRecord> records = fixture.capture(DATA.withSeed(4), 100);
        List<FeedbackItem> items = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            double p = (Double) records.get(i).predictions().get(0);
            String predicted = p >= 0.5 ? "1" : "0";
            String wrong = predicted.equals("1") ? "0" : "1";
            items.add(new FeedbackItem(records.get(i).requestId(), i < 30 ? predicted : wrong, null));
        }
        items.add(new FeedbackItem("never-captured-1", "1", null));
        items.add(new FeedbackItem("never-captured-2", 0, null));
        new FeedbackStore(fixture.registry, fixture.artifacts, Clock.fixed(WINDOW_START.plusSeconds(3000), ZoneOffset.UTC))
                .submit("churn", items, "batch-1");

        // WHEN the check runs
        JsonNode result = run("monitoring/drift-check.json");

        // THEN accuracy is 30/40 over 40 labelled rows, published under modelcycle/quality with model and version
        assertThat(result.get("accuracy").asDouble()).isEqualTo(0.75);
        assertThat(result.get("labelledRows").asLong()).isEqualTo(40);
        assertThat(result.has("rmse")).isFalse();
        assertThat(points(QualityMetrics.metric(QualityMetrics.ACCURACY, "churn", 1), Statistic.MAXIMUM)).singleElement()
                .satisfies(p -> assertThat(p.value()).isEqualTo(0.75));
        assertThat(points(QualityMetrics.metric(QualityMetrics.LABELLED_ROWS, "churn", 1), Statistic.SUM)).singleElement()
                .satisfies(p -> assertThat(p.value()).isEqualTo(40));
        assertThat(points(QualityMetrics.metric(QualityMetrics.UNMATCHED_FEEDBACK, "churn", 1), Statistic.SUM))
                .singleElement().satisfies(p -> assertThat(p.value()).isEqualTo(2));
    }

    @Test
    void prepare_retraining_joins_the_training_data_with_labelled_traffic_once() throws Exception {
        // GIVEN drifted traffic, 25 requests of which were labelled, and the drift check's report
        List<CaptureRecord> records = fixture.capture(DATA.withSeed(2).withShifts(SHIFTED), 300);
        List<FeedbackItem> items = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            items.add(new FeedbackItem(records.get(i).requestId(), i % 2 == 0 ? "1" : "0", null));
        }
        new FeedbackStore(fixture.registry, fixture.artifacts, Clock.fixed(WINDOW_START.plusSeconds(3500), ZoneOffset.UTC))
                .submit("churn", items, "labels");
        assertThat(run("monitoring/drift-check.json").get("drifted").asBoolean()).isTrue();

        // WHEN the retraining dataset is prepared for that report, twice
        JsonNode dataset = run("monitoring/prepare-retraining.json");
        var stored = fixture.artifacts.stat(dataset.get("datasetKey").asText()).orElseThrow();
        JsonNode again = run("monitoring/prepare-retraining.json");

        // THEN it holds the 2 000 training rows and the 25 labelled ones, as a CSV the training stage reads
        assertThat(dataset.get("datasetKey").asText()).isEqualTo("retraining/churn/20261129T100000Z-60m-v1.csv");
        assertThat(dataset.get("rows").asLong()).isEqualTo(2025);
        assertThat(dataset.get("baseDatasetKey").asText()).isEqualTo("datasets/churn/train.csv");
        assertThat(dataset.get("labelledRows").asLong()).isEqualTo(25);
        String csv = text(dataset.get("datasetKey").asText());
        assertThat(csv.lines().findFirst()).hasValue("x1,x2,x3,x4,x5,x6,c1,c2,target");
        Dataset read = new DatasetReader(DATA.schema(), "target", Task.BINARY_CLASSIFICATION)
                .read(new StringReader(csv), "retraining.csv");
        assertThat(read.size()).isEqualTo(2025);
        assertThat(read.rows().get(2000).features().get(0)).isEqualTo(((Number) records.get(0).rows().get(0).get("x1")).doubleValue());
        assertThat(read.rows().get(2000).target()).isEqualTo("1");
        // AND the second run returns the same dataset without writing it again
        assertThat(again.get("datasetKey").asText()).isEqualTo(dataset.get("datasetKey").asText());
        assertThat(again.get("rows").asLong()).isEqualTo(2025);
        assertThat(fixture.artifacts.stat(dataset.get("datasetKey").asText()).orElseThrow().sha256()).isEqualTo(stored.sha256());
        assertThat(fixture.artifacts.list("retraining/churn/")).hasSize(1);
        assertThat(fixture.artifacts.list("datasets/churn/")).as("no upload-triggering key written").hasSize(1);
    }

    @Test
    void prepare_retraining_needs_the_report() {
        assertThatThrownBy(() -> run("monitoring/prepare-retraining.json"))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("drift report");
    }

    @Test
    void bad_task_input_is_refused_with_the_field_named() {
        assertThatThrownBy(() -> run("monitoring/invalid-window.json"))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("windowMinutes"));
        assertThatThrownBy(() -> run("monitoring/invalid-report-key.json"))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("reportKey"));
    }

    @Test
    void the_handler_serves_exactly_the_actions_the_state_machine_calls() throws Exception {
        JsonNode asl = Json.tree(Files.readString(SampleEvents.root().resolveSibling("statemachines")
                .resolve("drift-check.asl.json")));
        List<String> called = new ArrayList<>();
        asl.get("States").forEach(state -> {
            JsonNode action = state.path("Parameters").path("Payload").path("action");
            if (action.isTextual()) {
                called.add(action.asText());
            }
        });
        assertThat(fixture.handler.router().actions()).containsExactlyInAnyOrderElementsOf(called);
        assertThat(MonitoringTasks.reportKey("churn", 3, Instant.parse("2026-11-29T09:00:00Z"), WINDOW_END))
                .isEqualTo("reports/churn/drift/20261129T100000Z-60m-v3.json");
    }
}
