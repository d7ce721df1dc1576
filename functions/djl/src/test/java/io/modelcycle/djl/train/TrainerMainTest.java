package io.modelcycle.djl.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcycle.core.Json;
import io.modelcycle.core.dataset.SyntheticDataset;
import io.modelcycle.core.profile.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerMainTest {

    private static final Pattern PROGRESS = Pattern.compile(
            "epoch=(\\d+)/(\\d+) train_loss=[0-9.]+ val_loss=[0-9.]+ val_metric=[0-9.]+ rows_per_s=[0-9.]+");

    @Test
    void twentyFeatureBinaryModelReachesAuc09OnHeldOutRows(@TempDir Path dir) throws Exception {
        // GIVEN 20 generated features (15 numeric, 5 categorical, 2 % missing) and no validation channel
        JobRoot job = new JobRoot(dir).synthetic(SyntheticDataset.binary(2000, 20, 1))
                .hyperparameters(Map.of("epochs", "5", "batch_size", "128", "seed", "7"));

        // WHEN the trainer runs
        int status = job.run();

        // THEN it succeeds with one parseable progress line per epoch, and the held-out AUC is at least 0.9
        assertThat(status).as(job.stderr).isZero();
        List<String> lines = job.progressLines();
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).matches(PROGRESS));
        Map<String, Double> metrics = job.metrics();
        assertThat(metrics.get("roc_auc")).as(metrics.toString()).isGreaterThanOrEqualTo(0.9);
        assertThat(metrics).containsKeys("accuracy", "macro_f1", "log_loss").doesNotContainKey("champion_roc_auc");
        assertThat(metrics.get("rows_validation")).isEqualTo(400.0);
        assertThat(metrics.get("epochs_run")).isEqualTo((double) lines.size());
        assertThat(metrics.get("missing_values_train")).isGreaterThan(0.0);
        assertThat(job.stdout).contains("done best_epoch=" + metrics.get("best_epoch").intValue());
        assertThat(job.modelDir().resolve("tabular-0000.params")).isNotEmptyFile();
        assertThat(Files.readString(job.modelDir().resolve("card.md")))
                .contains("## Intended use", "## Data", "## Metrics", "## Lineage", "train/part-0.csv", "roc_auc");

        // AND the drift baseline covers the 1600 training rows and the positive-class probability
        Profile profile = Json.read(Files.readString(job.modelDir().resolve("profile.json")), Profile.class);
        assertThat(profile.rows()).isEqualTo(1600);
        assertThat(profile.features()).hasSize(20);
        assertThat(profile.prediction()).isNotNull();
        assertThat(profile.prediction().type()).isEqualTo(io.modelcycle.core.model.FeatureType.NUMERIC);
    }

    @Test
    void sameSeedGivesIdenticalParametersAndMetrics(@TempDir Path dir) throws Exception {
        SyntheticDataset spec = SyntheticDataset.binary(400, 10, 2);
        Map<String, String> hp = Map.of("epochs", "3", "batch_size", "32", "seed", "11", "dropout", "0.2");
        JobRoot first = new JobRoot(dir.resolve("a")).synthetic(spec).hyperparameters(hp);
        JobRoot second = new JobRoot(dir.resolve("b")).synthetic(spec).hyperparameters(hp);
        JobRoot otherSeed = new JobRoot(dir.resolve("c")).synthetic(spec)
                .hyperparameters(Map.of("epochs", "3", "batch_size", "32", "seed", "12", "dropout", "0.2"));

        assertThat(first.run()).isZero();
        assertThat(second.run()).isZero();
        assertThat(otherSeed.run()).isZero();

        byte[] a = Files.readAllBytes(first.modelDir().resolve("tabular-0000.params"));
        assertThat(Files.readAllBytes(second.modelDir().resolve("tabular-0000.params"))).isEqualTo(a);
        assertThat(Files.readString(second.modelDir().resolve("metrics.json")))
                .isEqualTo(Files.readString(first.modelDir().resolve("metrics.json")));
        assertThat(Files.readAllBytes(otherSeed.modelDir().resolve("tabular-0000.params"))).isNotEqualTo(a);
    }

    @Test
    void championIsScoredOnTheSameHeldOutRows(@TempDir Path dir) throws Exception {
        // GIVEN a first model trained with an explicit validation channel
        SyntheticDataset spec = SyntheticDataset.binary(800, 8, 3);
        var holdout = spec.withSeed(33).withRows(300).generate();
        JobRoot first = new JobRoot(dir.resolve("v1")).synthetic(spec).validation(holdout)
                .hyperparameters(Map.of("epochs", "3"));
        assertThat(first.run()).as(first.stderr).isZero();

        // WHEN a second run gets it as the champion, on the same validation rows
        JobRoot second = new JobRoot(dir.resolve("v2")).synthetic(spec.withSeed(4)).validation(holdout)
                .hyperparameters(Map.of("epochs", "2"));
        copy(first.modelDir(), second.root.resolve(ContainerLayout.CHAMPION));
        assertThat(second.run()).as(second.stderr).isZero();

        // THEN the champion's metrics beside the candidate's are exactly the first model's own
        Map<String, Double> v1 = first.metrics();
        Map<String, Double> v2 = second.metrics();
        for (String metric : List.of("accuracy", "macro_f1", "roc_auc", "log_loss")) {
            assertThat(v2.get("champion_" + metric)).as(metric).isCloseTo(v1.get(metric), org.assertj.core.data.Offset.offset(1e-9));
        }
        assertThat(v2.get("rows_validation")).isEqualTo(300.0);

        // AND the same holds when the champion arrives as SageMaker's model.tar.gz
        JobRoot third = new JobRoot(dir.resolve("v3")).synthetic(spec.withSeed(5)).validation(holdout)
                .hyperparameters(Map.of("epochs", "1"));
        Path channel = Files.createDirectories(third.root.resolve(ContainerLayout.CHAMPION));
        Process tar = new ProcessBuilder("tar", "-czf", channel.resolve("model.tar.gz").toString(), "-C",
                first.modelDir().toString(), ".").inheritIO().start();
        assertThat(tar.waitFor()).isZero();
        assertThat(third.run()).as(third.stderr).isZero();
        assertThat(third.metrics().get("champion_roc_auc")).isCloseTo(v1.get("roc_auc"), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void unusableChampionFailsAsBadChampion(@TempDir Path dir) throws Exception {
        JobRoot job = new JobRoot(dir).synthetic(SyntheticDataset.binary(100, 4, 1)).hyperparameters(Map.of("epochs", "1"))
                .write(ContainerLayout.CHAMPION + "/notes.txt", "not a model");

        assertThat(job.run()).isEqualTo(TrainerMain.EXIT_BAD_INPUT);
        assertThat(job.failure()).startsWith("BAD_CHAMPION: ").contains("neither model.json nor model.tar.gz");
    }

    @Test
    void multiclassAndRegressionLearnTheSignal(@TempDir Path dir) throws Exception {
        JobRoot multi = new JobRoot(dir.resolve("m")).synthetic(SyntheticDataset.multiclass(1200, 8, 3, 5))
                .hyperparameters(Map.of("epochs", "5", "batch_size", "64"));
        JobRoot reg = new JobRoot(dir.resolve("r")).synthetic(SyntheticDataset.regression(1200, 8, 5))
                .hyperparameters(Map.of("epochs", "5", "batch_size", "64"));

        assertThat(multi.run()).as(multi.stderr).isZero();
        assertThat(reg.run()).as(reg.stderr).isZero();

        assertThat(multi.metrics().get("accuracy")).as(multi.metrics().toString()).isGreaterThan(0.6); // chance is about 1/3
        assertThat(multi.metrics().get("roc_auc")).isGreaterThan(0.8);
        assertThat(reg.metrics().get("r2")).as(reg.metrics().toString()).isGreaterThan(0.7);
        assertThat(reg.metrics()).containsKeys("rmse", "mae").doesNotContainKey("accuracy");
        Profile profile = Json.read(Files.readString(multi.modelDir().resolve("profile.json")), Profile.class);
        assertThat(profile.prediction().type()).isEqualTo(io.modelcycle.core.model.FeatureType.CATEGORICAL);
    }

    @Test
    void badCsvFailsNamingLineAndColumn(@TempDir Path dir) throws Exception {
        JobRoot job = new JobRoot(dir).synthetic(SyntheticDataset.binary(50, 4, 1).withMissingRate(0));
        Path csv = dir.resolve(ContainerLayout.TRAIN).resolve("part-0.csv");
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(csv));
        lines.set(5, "1.5,oops," + lines.get(5).substring(lines.get(5).indexOf(',', lines.get(5).indexOf(',') + 1) + 1));
        Files.write(csv, lines);

        assertThat(job.run()).isEqualTo(TrainerMain.EXIT_BAD_INPUT);
        assertThat(job.failure()).startsWith("BAD_DATASET: ").contains("part-0.csv: line 6, column 'x2': 'oops' is not a number");
        assertThat(job.modelDir().resolve("metrics.json")).doesNotExist();
    }

    @Test
    void headerWithoutAFeatureIsASchemaMismatch(@TempDir Path dir) throws Exception {
        JobRoot job = new JobRoot(dir).model(SyntheticDataset.binary(50, 4, 1).model("m", "tests"))
                .write(ContainerLayout.TRAIN + "/data.csv", "x1,x2,c1,target\n1,2,a,1\n2,3,b,0\n");

        assertThat(job.run()).isEqualTo(TrainerMain.EXIT_BAD_INPUT);
        assertThat(job.failure()).startsWith("SCHEMA_MISMATCH: ").contains("[x3]");
    }

    @Test
    void unknownOrMalformedHyperparametersFailNamingThem(@TempDir Path dir) throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"epochs\":\"ten\"}", "BAD_HYPERPARAMETER: hyperparameter 'epochs': must be a whole number, got 'ten'");
        cases.put("{\"learnin_rate\":\"0.1\"}", "BAD_HYPERPARAMETER: hyperparameter 'learnin_rate': unknown");
        cases.put("{\"hidden_units\":\"64,x\"}", "BAD_HYPERPARAMETER: hyperparameter 'hidden_units'");
        cases.put("{\"patience\":3}", "BAD_HYPERPARAMETER: hyperparameter 'patience': must be a JSON string");
        cases.put("{\"validation_fraction\":\"1.5\"}", "BAD_HYPERPARAMETER: hyperparameter 'validation_fraction': must be in (0, 1)");
        int i = 0;
        for (Map.Entry<String, String> c : cases.entrySet()) {
            JobRoot job = new JobRoot(dir.resolve("case" + i++)).synthetic(SyntheticDataset.binary(20, 4, 1))
                    .write(ContainerLayout.HYPERPARAMETERS, c.getKey());
            assertThat(job.run()).as(c.getKey()).isEqualTo(TrainerMain.EXIT_BAD_INPUT);
            assertThat(job.failure()).as(c.getKey()).startsWith(c.getValue());
        }
    }

    @Test
    void missingModelDefinitionAndBadArgumentsFail(@TempDir Path dir) throws Exception {
        JobRoot job = new JobRoot(dir).train(SyntheticDataset.binary(20, 4, 1).generate());
        assertThat(job.run()).isEqualTo(TrainerMain.EXIT_BAD_INPUT);
        assertThat(job.failure()).startsWith("BAD_MODEL_DEFINITION: no model definition at");

        assertThat(TrainerMain.run(new String[] {"--rot", "x"}, System.out, new java.io.PrintStream(java.io.OutputStream.nullOutputStream())))
                .isEqualTo(TrainerMain.EXIT_BAD_INPUT);
    }

    static void copy(Path from, Path to) throws java.io.IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
