package io.modelcycle.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.Json;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.artifact.ArtifactKeys;
import io.modelcycle.core.dataset.DatasetFormatException;
import io.modelcycle.core.dataset.SyntheticDataset;
import io.modelcycle.core.lifecycle.TrainingTasks;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.model.Policies;
import io.modelcycle.core.model.Policies.ApprovalPolicy;
import io.modelcycle.core.registry.Change;
import io.modelcycle.core.registry.PageRequest;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.core.registry.VersionStatus;
import io.modelcycle.embedded.artifact.FileArtifactStore;
import io.modelcycle.embedded.registry.SqliteRegistryStore;
import io.modelcycle.testkit.events.SampleEvents;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training-pipeline's Lambda tasks through the handler on the embedded stores, fed {@code events/training/}.
 * Each task delivered twice has the effect of once.
 */
class TrainingTaskHandlerTest {

    static final String BUCKET = "modelcycle-artifacts";
    static final String DATASET = "datasets/churn/2026-11-29.csv";

    @TempDir
    Path home;
    Registry registry;
    FileArtifactStore artifacts;
    TrainingTaskHandler handler;

    @BeforeEach
    void modelAndDataset() throws Exception {
        registry = new Registry(new SqliteRegistryStore(home.resolve("registry.db")));
        artifacts = new FileArtifactStore(home.resolve("artifacts"));
        handler = new TrainingTaskHandler(new TrainingTasks(registry, artifacts,
                new TrainingTasks.Settings(BUCKET, "local", Map.of("epochs", "3")), "test"));
        SyntheticDataset data = SyntheticDataset.binary(400, 5, 7);
        registry.createModel(data.model("churn", "team"), Change.by("test", "setup"));
        Path csv = home.resolve("data.csv");
        data.generate().writeCsv(csv);
        artifacts.put(DATASET, Files.readAllBytes(csv));
    }

    JsonNode run(String event) {
        var out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(SampleEvents.read(event).getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.tree(out.toString(StandardCharsets.UTF_8));
    }

    long auditEvents() {
        return registry.audit("churn", PageRequest.first(100)).items().size();
    }

    @Test
    void validate_dataset_reads_every_row_against_the_schema_and_reports_the_recorded_sha256() {
        JsonNode summary = run("training/validate-dataset.json");
        assertThat(summary.get("rows").asLong()).isEqualTo(400);
        assertThat(summary.get("sha256").asText()).isEqualTo(artifacts.stat(DATASET).orElseThrow().sha256());
        assertThat(summary.get("uri").asText()).isEqualTo("s3://" + BUCKET + "/" + DATASET);
    }

    @Test
    void a_dataset_with_a_bad_value_is_refused_naming_line_and_column() {
        String header = new String(artifacts.read(DATASET), StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
        String badRow = header.replaceAll("[^,]+", "oops");
        artifacts.put(DATASET, (header + "\n" + badRow + "\n").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> run("training/validate-dataset.json"))
                .isInstanceOf(DatasetFormatException.class).hasMessageContaining("line 2");
    }

    @Test
    void a_dataset_outside_the_models_folder_is_refused() {
        assertThatThrownBy(() -> run("training/invalid-dataset-outside-model.json"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("datasets/churn/");
    }

    @Test
    void register_candidate_registers_one_version_per_execution_and_plans_its_job() {
        JsonNode first = run("training/register-candidate.json");
        long events = auditEvents();
        JsonNode second = run("training/register-candidate.json");

        assertThat(first.get("version").asInt()).isEqualTo(1);
        assertThat(second).isEqualTo(first);
        assertThat(auditEvents()).isEqualTo(events);
        assertThat(first.get("jobName").asText()).startsWith("mc-churn-").hasSizeLessThanOrEqualTo(63);
        assertThat(first.get("hyperparameters").get("epochs").asText()).isEqualTo("3");
        assertThat(first.get("outputPrefix").asText()).isEqualTo("models/churn/versions/1/training/");
        assertThat(first.get("channels").findValuesAsText("ChannelName")).containsExactly("model", "train");
        assertThat(first.get("channels").findValuesAsText("S3Uri"))
                .contains("s3://" + BUCKET + "/" + DATASET, "s3://" + BUCKET + "/models/churn/versions/1/input/model.json");
        var version = registry.version("churn", 1);
        assertThat(version.status()).isEqualTo(VersionStatus.TRAINING);
        assertThat(version.lineage().trigger()).isEqualTo("dataset-upload");
        assertThat(version.lineage().jobId()).isEqualTo(first.get("jobName").asText());
        assertThat(Json.read(new String(artifacts.read("models/churn/versions/1/input/model.json"), StandardCharsets.UTF_8),
                Model.class).name()).isEqualTo("churn");
    }

    @Test
    void record_training_result_stores_the_archive_and_its_files_and_marks_trained_once() throws Exception {
        run("training/register-candidate.json");
        jobOutput(Map.of("roc_auc", 0.93, "accuracy", 0.88));

        JsonNode trained = run("training/record-training-result.json");
        long events = auditEvents();
        run("training/record-training-result.json");

        assertThat(trained.get("status").asText()).isEqualTo("TRAINED");
        String archive = "models/churn/versions/1/model.tar.gz";
        assertThat(trained.get("artifact").get("key").asText()).isEqualTo(archive);
        assertThat(trained.get("artifact").get("sha256").asText()).isEqualTo(artifacts.stat(archive).orElseThrow().sha256());
        assertThat(trained.get("metrics").get("roc_auc").asDouble()).isEqualTo(0.93);
        for (String file : new String[] {"model.json", "metrics.json", "profile.json", "card.md"}) {
            assertThat(artifacts.stat(ArtifactKeys.versionFile("churn", 1, file))).as(file).isPresent();
        }
        assertThat(trained.get("profileKey").asText()).isEqualTo("models/churn/versions/1/profile.json");
        assertThat(artifacts.list("models/churn/versions/1/training/")).as("the job's raw output and checkpoints are removed").isEmpty();
        assertThat(artifacts.list("models/churn/versions/1/")).allSatisfy(o -> assertThat(o.sha256()).as(o.key()).isNotNull());
        assertThat(auditEvents()).isEqualTo(events);
    }

    @Test
    void quality_gate_passes_a_candidate_as_good_as_the_champion_and_returns_the_approval_mode() throws Exception {
        run("training/register-candidate.json");
        jobOutput(Map.of("roc_auc", 0.93, "champion_roc_auc", 0.92));
        run("training/record-training-result.json");

        JsonNode verdict = run("training/quality-gate.json");
        assertThat(verdict.get("passed").asBoolean()).isTrue();
        assertThat(verdict.get("metric").asText()).isEqualTo("roc_auc");
        assertThat(verdict.get("approval").asText()).isEqualTo("AUTO");

        JsonNode approved = run("training/approve.json");
        long events = auditEvents();
        run("training/approve.json");
        assertThat(approved.get("status").asText()).isEqualTo("APPROVED");
        assertThat(auditEvents()).isEqualTo(events);
    }

    @Test
    void quality_gate_rejects_a_candidate_worse_than_the_champion_with_the_reason() throws Exception {
        run("training/register-candidate.json");
        jobOutput(Map.of("roc_auc", 0.80, "champion_roc_auc", 0.90));
        run("training/record-training-result.json");

        JsonNode verdict = run("training/quality-gate.json");
        run("training/quality-gate.json");

        assertThat(verdict.get("passed").asBoolean()).isFalse();
        assertThat(verdict.get("reason").asText()).contains("0.8000").contains("0.9000").contains("champion");
        var version = registry.version("churn", 1);
        assertThat(version.status()).isEqualTo(VersionStatus.REJECTED);
        assertThat(version.statusReason()).startsWith("quality gate:");
    }

    @Test
    void manual_approval_parks_the_version_with_its_task_token() throws Exception {
        registry.createModel(new Model("churn-manual", registry.model("churn").task(), registry.model("churn").schema(),
                "target", "team", Map.of(), new Policies(null, new ApprovalPolicy(ApprovalPolicy.Mode.MANUAL), null, null, null, null),
                null), Change.by("test", "manual"));
        run("training/register-candidate.json");
        jobOutput(Map.of("roc_auc", 0.93));
        run("training/record-training-result.json");

        JsonNode waiting = run("training/request-approval.json");
        run("training/request-approval.json");

        assertThat(waiting.get("status").asText()).isEqualTo("PENDING_APPROVAL");
        assertThat(new String(artifacts.read("models/churn/versions/1/approval-token.json"), StandardCharsets.UTF_8))
                .contains("AQCEAAAAKgAAAAMAAAAAAAAAAeXampleTaskToken");
    }

    @Test
    void mark_failed_records_the_cause_on_a_training_candidate_once() {
        run("training/register-candidate.json");
        JsonNode failed = run("training/mark-failed.json");
        long events = auditEvents();
        run("training/mark-failed.json");

        assertThat(failed.get("status").asText()).isEqualTo("FAILED");
        assertThat(failed.get("statusReason").asText()).contains("SageMaker.AmazonSageMakerException").contains("out of memory");
        assertThat(auditEvents()).isEqualTo(events);
        assertThat(registry.alias("churn", "production")).as("serving untouched").isEmpty();
    }

    @Test
    void an_unknown_field_is_named() {
        assertThatThrownBy(() -> run("training/invalid-unknown-field.json"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("force");
    }

    /**
     * What a training job leaves behind: model.tar.gz under the job's output path, packed by tar and written as
     * SageMaker writes it, straight to the bucket with no recorded SHA-256, next to a checkpoint.
     */
    private void jobOutput(Map<String, Double> metrics) throws Exception {
        Path dir = Files.createDirectories(home.resolve("job-model"));
        Files.writeString(dir.resolve("model.json"), "{\"task\":\"BINARY_CLASSIFICATION\"}");
        Files.writeString(dir.resolve("metrics.json"), Json.write(metrics));
        Files.writeString(dir.resolve("profile.json"), "{\"rows\":400}");
        Files.writeString(dir.resolve("card.md"), "# churn v1\n");
        Files.writeString(dir.resolve("tabular-0000.params"), "weights");
        Path tar = home.resolve("model.tar.gz");
        Process p = new ProcessBuilder("tar", "-czf", tar.toString(), "-C", dir.toString(), ".").inheritIO().start();
        assertThat(p.waitFor()).isZero();
        writeAsSageMakerDoes("models/churn/versions/1/training/mc-churn-job/output/model.tar.gz", Files.readAllBytes(tar));
        writeAsSageMakerDoes("models/churn/versions/1/training/checkpoints/epoch-3.params", new byte[] {1, 2, 3});
    }

    private void writeAsSageMakerDoes(String key, byte[] bytes) throws Exception {
        Path file = artifacts.pathOf(key);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }
}
