package io.modelcycle.embedded.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.Json;
import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.ValidationException.FieldError;
import io.modelcycle.core.artifact.StoredObject;
import io.modelcycle.core.artifact.TarGzReader;
import io.modelcycle.core.training.TrainingJobSpec;
import io.modelcycle.core.training.TrainingJobState;
import io.modelcycle.core.training.TrainingJobStatus;
import io.modelcycle.embedded.artifact.FileArtifactStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ChildJvmTrainingBackend} with real child JVMs running {@link ContractTrainerMain} (a DJL-free trainer that
 * follows the same container contract) against a real {@link FileArtifactStore}.
 */
class ChildJvmTrainingBackendTest {

    private static final Duration AT_MOST = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    FileArtifactStore store;
    ChildJvmTrainingBackend backend;
    final List<String> progress = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() {
        store = new FileArtifactStore(dir.resolve("store"));
        store.put("datasets/churn/train-1.csv", "a,b,y\n1,2,0\n3,4,1\n5,6,0\n".getBytes(StandardCharsets.UTF_8));
        store.put("datasets/churn/train-2.csv", "a,b,y\n7,8,1\n9,0,0\n".getBytes(StandardCharsets.UTF_8));
        store.put("models/churn/versions/2/input/model.json", "{\"name\":\"churn\"}".getBytes(StandardCharsets.UTF_8));
        backend = backend(null);
    }

    @AfterEach
    void tearDown() {
        backend.close();
    }

    private ChildJvmTrainingBackend backend(String bucket) {
        return ChildJvmTrainingBackend.builder()
                .setArtifactStore(store)
                .setClasspath(System.getProperty("java.class.path"))
                .optMainClass(ContractTrainerMain.class.getName())
                .optJvmOptions(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"))
                .optWorkDirectory(dir.resolve("work"))
                .optBucket(bucket)
                .optProgressListener((job, line) -> progress.add(job + " " + line))
                .optStopGracePeriod(Duration.ofSeconds(2))
                .build();
    }

    private static TrainingJobSpec.Builder spec(String jobName) {
        return TrainingJobSpec.builder()
                .setJobName(jobName)
                .setImage("local")
                .setInputChannel("train", "datasets/churn/")
                .setInputChannel("model", "models/churn/versions/2/input/model.json")
                .setOutputPath("models/churn/versions/2/training");
    }

    @Test
    void a_finished_job_leaves_its_model_in_the_store_where_sagemaker_would() throws Exception {
        // GIVEN a job over two training files and the model definition
        TrainingJobSpec spec = spec("churn-v2").optHyperparameter("epochs", "3").optHyperparameter("seed", "7").build();

        // WHEN it runs to the end
        String id = backend.start(spec);
        TrainingJobStatus status = backend.await(id, AT_MOST);

        // THEN it completed, and the archive is under <output>/<job>/output/ with the four files beside it
        String prefix = "models/churn/versions/2/training/churn-v2/output/";
        assertThat(status.state()).as("status %s", status).isEqualTo(TrainingJobState.COMPLETED);
        assertThat(status.modelArtifact()).isEqualTo(prefix + "model.tar.gz");
        assertThat(status.message()).isEqualTo("Completed");
        assertThat(status.failureReason()).isNull();
        assertThat(status.endedAt()).isAfterOrEqualTo(status.startedAt());
        assertThat(store.list(prefix)).extracting(StoredObject::key).containsExactly(prefix + "card.md",
                prefix + "metrics.json", prefix + "model.json", prefix + "model.tar.gz", prefix + "profile.json",
                prefix + "trainer.log");

        // AND the archive holds the whole model directory
        Map<String, byte[]> archive = untar(status.modelArtifact());
        assertThat(archive).containsOnlyKeys("card.md", "metrics.json", "model.json", "profile.json", "tabular-0000.params");
        assertThat(archive.get("tabular-0000.params")).containsExactly(1, 2, 3, 4);
        assertThat(archive.get("model.json")).isEqualTo(store.read(prefix + "model.json"));

        // AND the trainer saw every channel file where the contract puts it, all rows, and the hyperparameters
        JsonNode seen = Json.tree(new String(store.read(prefix + "model.json"), StandardCharsets.UTF_8));
        assertThat(seen.get("rows_train").asInt()).isEqualTo(5);
        assertThat(seen.get("channels").toString()).isEqualTo(
                "{\"model\":[\"model.json\"],\"train\":[\"train-1.csv\",\"train-2.csv\"]}");
        assertThat(seen.get("hyperparameters").toString()).isEqualTo("{\"epochs\":\"3\",\"seed\":\"7\"}");

        // AND each progress line was relayed as it came, and the trainer's stderr was kept
        assertThat(progress).containsExactly(
                "churn-v2 epoch=1/3 train_loss=1.000000 val_loss=1.100000 val_metric=0.600000 rows_per_s=1000.0",
                "churn-v2 epoch=2/3 train_loss=0.500000 val_loss=0.550000 val_metric=0.700000 rows_per_s=1000.0",
                "churn-v2 epoch=3/3 train_loss=0.333333 val_loss=0.366667 val_metric=0.800000 rows_per_s=1000.0",
                progress.get(3));
        assertThat(progress.get(3)).startsWith("churn-v2 done best_epoch=3 epochs_run=3 model_dir=");
        assertThat(new String(store.read(prefix + "trainer.log"), StandardCharsets.UTF_8)).contains("contract trainer starting");

        // AND the temporary root is gone
        try (var left = Files.list(dir.resolve("work"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void a_failing_trainer_reports_its_failure_file_and_stores_no_model() throws Exception {
        String reason = "BAD_HYPERPARAMETER: epochs must be a positive integer, got 'ten'";
        String id = backend.start(spec("bad-epochs").optHyperparameter("fail", reason).build());

        TrainingJobStatus status = backend.await(id, AT_MOST);

        assertThat(status.state()).isEqualTo(TrainingJobState.FAILED);
        assertThat(status.failureReason()).isEqualTo(reason);
        assertThat(status.modelArtifact()).isNull();
        assertThat(store.stat("models/churn/versions/2/training/bad-epochs/output/model.tar.gz")).isEmpty();
    }

    @Test
    void a_trainer_that_dies_without_a_failure_file_is_reported_with_its_status_and_stderr() throws Exception {
        String id = backend.start(spec("crashed").optHyperparameter("crash", "disk on fire").build());

        TrainingJobStatus status = backend.await(id, AT_MOST);

        assertThat(status.state()).isEqualTo(TrainingJobState.FAILED);
        assertThat(status.failureReason())
                .startsWith("AlgorithmError: the trainer exited with status 3 and wrote no output/failure")
                .contains("about to crash: disk on fire");
    }

    @Test
    void a_channel_object_corrupted_in_the_store_fails_the_job_before_the_trainer_sees_it() throws Exception {
        // GIVEN a training file whose bytes changed behind the store's back (same length, other content)
        Path file = store.pathOf("datasets/churn/train-2.csv");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 2] = (byte) '9';
        Files.write(file, bytes);

        // WHEN a job reads it
        String id = backend.start(spec("corrupted").build());
        TrainingJobStatus status = backend.await(id, AT_MOST);

        // THEN the job fails naming the object, and the trainer never ran
        assertThat(status.state()).isEqualTo(TrainingJobState.FAILED);
        assertThat(status.failureReason()).startsWith("ClientError: artifact 'datasets/churn/train-2.csv' is corrupted");
        assertThat(progress).noneMatch(line -> line.startsWith("corrupted "));
    }

    @Test
    void a_trainer_that_cannot_start_fails_the_job_saying_why() throws Exception {
        ChildJvmTrainingBackend wrongClass = ChildJvmTrainingBackend.builder()
                .setArtifactStore(store)
                .setClasspath(System.getProperty("java.class.path"))
                .optMainClass("io.modelcycle.djl.train.NoSuchTrainer")
                .optWorkDirectory(dir.resolve("work"))
                .build();
        try (wrongClass) {
            String id = wrongClass.start(spec("no-trainer").build());

            TrainingJobStatus status = wrongClass.await(id, AT_MOST);

            assertThat(status.state()).isEqualTo(TrainingJobState.FAILED);
            assertThat(status.failureReason()).contains("exited with status 1")
                    .contains("io.modelcycle.djl.train.NoSuchTrainer");
        }
    }

    @Test
    void stop_ends_the_trainer_and_every_process_it_started() throws Exception {
        // GIVEN a long job whose trainer has started a process of its own and is training
        Path pids = dir.resolve("pids");
        String id = backend.start(spec("long-one").optHyperparameter("epochs", "100000")
                .optHyperparameter("sleep_ms", "100").optHyperparameter("pid_file", pids.toString()).build());
        waitFor(() -> backend.describe(id).message().startsWith("epoch=") && Files.exists(pids));
        List<Long> tree = Files.readAllLines(pids).stream().filter(s -> !s.isBlank()).map(Long::parseLong).toList();
        assertThat(tree).hasSize(2);

        // WHEN it is stopped
        backend.stop(id);

        // THEN it passes through STOPPING to STOPPED with no model, and neither process is left running
        assertThat(backend.describe(id).state()).isIn(TrainingJobState.STOPPING, TrainingJobState.STOPPED);
        TrainingJobStatus status = backend.await(id, AT_MOST);
        assertThat(status.state()).isEqualTo(TrainingJobState.STOPPED);
        assertThat(status.message()).isEqualTo("Stopped");
        assertThat(status.modelArtifact()).isNull();
        try {
            for (long pid : tree) {
                ProcessHandle.of(pid).ifPresent(process -> process.onExit().orTimeout(30, TimeUnit.SECONDS).join());
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("process %d", pid).isNotEqualTo(
                        java.util.Optional.of(true));
            }
        } finally {
            // Should the backend have left one behind, do not leave it to outlive the build.
            tree.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
        assertThat(store.stat("models/churn/versions/2/training/long-one/output/model.tar.gz")).isEmpty();

        // AND stopping it again, once ended, changes nothing
        backend.stop(id);
        assertThat(backend.describe(id).state()).isEqualTo(TrainingJobState.STOPPED);
    }

    @Test
    void a_job_past_its_maximum_runtime_is_stopped() throws Exception {
        String id = backend.start(spec("too-slow").optMaxRuntime(Duration.ofSeconds(1))
                .optHyperparameter("epochs", "100000").optHyperparameter("sleep_ms", "100").build());

        TrainingJobStatus status = backend.await(id, AT_MOST);

        assertThat(status.state()).isEqualTo(TrainingJobState.STOPPED);
        assertThat(status.message()).startsWith("MaxRuntimeExceeded: the trainer ran longer than PT1S");
    }

    @Test
    void starting_the_same_name_again_returns_the_running_job_and_trains_once() throws Exception {
        String first = backend.start(spec("twice").build());
        String second = backend.start(spec("twice").optHyperparameter("epochs", "7").build());

        TrainingJobStatus status = backend.await(first, AT_MOST);

        assertThat(second).isEqualTo(first);
        assertThat(status.state()).isEqualTo(TrainingJobState.COMPLETED);
        assertThat(progress).filteredOn(line -> line.startsWith("twice done")).hasSize(1);
        assertThat(progress).filteredOn(line -> line.startsWith("twice epoch=")).hasSize(3);
    }

    @Test
    void an_empty_or_foreign_location_is_refused_before_any_job_exists() {
        assertThatThrownBy(() -> backend.start(spec("empty").setInputChannel("train", "datasets/nothing-here/").build()))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactly("inputChannels.train"))
                .hasMessageContaining("no objects under 'datasets/nothing-here/'");
        assertThatThrownBy(() -> backend.start(spec("foreign").setInputChannel("train", "s3://elsewhere/datasets/churn/").build()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("inputChannels.train: 's3://elsewhere/datasets/churn/' is not in this embedded backend's artifact store");
        assertThatThrownBy(() -> backend.describe("empty")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> backend.stop("never-started")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("never-started");
    }

    @Test
    void with_a_bucket_it_takes_and_gives_s3_uris_as_a_sagemaker_workflow_does() throws Exception {
        try (ChildJvmTrainingBackend local = backend("local-artifacts")) {
            String id = local.start(spec("by-uri")
                    .setInputChannel("train", "s3://local-artifacts/datasets/churn/train-2.csv")
                    .setOutputPath("s3://local-artifacts/models/churn/versions/2/training/")
                    .build());

            TrainingJobStatus status = local.await(id, AT_MOST);

            assertThat(status.modelArtifact())
                    .isEqualTo("s3://local-artifacts/models/churn/versions/2/training/by-uri/output/model.tar.gz");
            JsonNode seen = Json.tree(new String(store.read("models/churn/versions/2/training/by-uri/output/model.json"),
                    StandardCharsets.UTF_8));
            assertThat(seen.get("rows_train").asInt()).isEqualTo(2);
        }
    }

    @Test
    void the_class_path_can_come_from_a_maven_build_classpath_file() throws IOException {
        Path file = dir.resolve("classpath.txt");
        Files.writeString(file, "/a/djl.jar" + java.io.File.pathSeparator + "/b/api.jar\n/c/more.jar\n");

        assertThat(ChildJvmTrainingBackend.classpathFromFile(file))
                .isEqualTo(String.join(java.io.File.pathSeparator, "/a/djl.jar", "/b/api.jar", "/c/more.jar"));
        assertThatThrownBy(() -> ChildJvmTrainingBackend.classpathFromFile(dir.resolve("missing.txt")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("cannot read class path file");
    }

    private Map<String, byte[]> untar(String key) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (TarGzReader tar = new TarGzReader(new ByteArrayInputStream(store.read(key)))) {
            for (TarGzReader.Entry entry = tar.next(); entry != null; entry = tar.next()) {
                files.put(entry.name(), entry.content().readAllBytes());
            }
        }
        return files;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + AT_MOST.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + AT_MOST);
            }
            Thread.sleep(50);
        }
    }
}
