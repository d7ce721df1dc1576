package io.modelcycle.embedded.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.modelcycle.core.Json;
import io.modelcycle.core.artifact.TarGzReader;
import io.modelcycle.core.dataset.SyntheticDataset;
import io.modelcycle.core.training.TrainingJobSpec;
import io.modelcycle.core.training.TrainingJobState;
import io.modelcycle.core.training.TrainingJobStatus;
import io.modelcycle.embedded.artifact.FileArtifactStore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded backend with the real trainer, {@code io.modelcycle.djl.train.TrainerMain} of {@code functions/djl}, in a
 * child JVM on the CPU: what {@code ./modelcycle demo} does. The DJL jars are on this test's class path only (test
 * scope), which is the class path handed to the child.
 */
class ChildJvmDjlTrainerTest {

    private static final Duration AT_MOST = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    FileArtifactStore store;
    ChildJvmTrainingBackend backend;
    final List<String> progress = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() throws Exception {
        store = new FileArtifactStore(dir.resolve("store"));
        SyntheticDataset data = SyntheticDataset.binary(600, 6, 5);
        store.put("models/synthetic/versions/1/input/model.json",
                Json.write(data.model("synthetic", "tests")).getBytes(StandardCharsets.UTF_8));
        Path csv = dir.resolve("part-0.csv");
        data.generate().writeCsv(csv);
        try (InputStream in = Files.newInputStream(csv)) {
            store.put("datasets/synthetic/part-0.csv", in);
        }
        backend = ChildJvmTrainingBackend.builder()
                .setArtifactStore(store)
                .setClasspath(System.getProperty("java.class.path"))
                .optJvmOptions(List.of("-Xmx512m", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
                        "-Dai.djl.pytorch.num_interop_threads=1"))
                .optWorkDirectory(dir.resolve("work"))
                .optProgressListener((job, line) -> progress.add(line))
                .build();
    }

    @AfterEach
    void tearDown() {
        backend.close();
    }

    private static TrainingJobSpec.Builder spec(String name) {
        return TrainingJobSpec.builder()
                .setJobName(name)
                .setImage("local")
                .setInputChannel("model", "models/synthetic/versions/1/input/model.json")
                .setInputChannel("train", "datasets/synthetic/")
                .setOutputPath("models/synthetic/versions/1/training");
    }

    @Test
    void the_djl_trainer_trains_in_a_child_jvm_and_its_model_lands_in_the_store() throws Exception {
        // WHEN the real trainer runs three epochs on 600 generated rows
        String id = backend.start(spec("djl-binary")
                .optHyperparameter("epochs", "3").optHyperparameter("batch_size", "64").optHyperparameter("seed", "7")
                .build());
        TrainingJobStatus status = backend.await(id, AT_MOST);

        // THEN it completed, relaying one progress line per epoch run, and the archive holds the trainer's model
        assertThat(status.state()).as("%s; trainer log: %s", status, log(id)).isEqualTo(TrainingJobState.COMPLETED);
        String prefix = "models/synthetic/versions/1/training/djl-binary/output/";
        Map<String, Double> metrics = Json.mapperRead(store.read(prefix + "metrics.json"), new TypeReference<>() { });
        assertThat(progress).filteredOn(line -> line.startsWith("epoch="))
                .hasSize(metrics.get("epochs_run").intValue())
                .allSatisfy(line -> assertThat(line).matches("epoch=\\d+/3 train_loss=\\S+ val_loss=\\S+ val_metric=\\S+ rows_per_s=\\S+.*"));
        assertThat(progress.get(progress.size() - 1)).startsWith("done best_epoch=");
        assertThat(metrics).containsKeys("roc_auc", "accuracy", "macro_f1", "log_loss");
        assertThat(metrics.get("rows_train") + metrics.get("rows_validation")).isEqualTo(600.0);
        List<String> names = new ArrayList<>();
        try (TarGzReader tar = new TarGzReader(new ByteArrayInputStream(store.read(status.modelArtifact())))) {
            for (TarGzReader.Entry e = tar.next(); e != null; e = tar.next()) {
                names.add(e.name());
            }
        }
        assertThat(names).contains("tabular-0000.params", "model.json", "metrics.json", "profile.json", "card.md");
        assertThat(store.stat(prefix + "profile.json")).isPresent();
        assertThat(store.stat(prefix + "card.md")).isPresent();
    }

    @Test
    void a_bad_hyperparameter_fails_the_job_with_the_trainers_reason() throws Exception {
        String id = backend.start(spec("djl-bad-epochs").optHyperparameter("epochs", "ten").build());

        TrainingJobStatus status = backend.await(id, AT_MOST);

        assertThat(status.state()).as("%s; trainer log: %s", status, log(id)).isEqualTo(TrainingJobState.FAILED);
        assertThat(status.failureReason()).startsWith("BAD_HYPERPARAMETER").contains("epochs");
    }

    private String log(String job) {
        String key = "models/synthetic/versions/1/training/" + job + "/output/trainer.log";
        return store.stat(key).isPresent() ? new String(store.read(key), StandardCharsets.UTF_8) : "(none)";
    }
}
