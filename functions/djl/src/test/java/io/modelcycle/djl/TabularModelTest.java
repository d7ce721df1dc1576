package io.modelcycle.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcycle.core.ValidationException;
import io.modelcycle.core.dataset.Dataset;
import io.modelcycle.core.dataset.Row;
import io.modelcycle.core.dataset.SyntheticDataset;
import io.modelcycle.djl.train.Evaluation;
import io.modelcycle.djl.train.JobRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TabularModelTest {

    @TempDir
    static Path dir;
    static SyntheticDataset spec;
    static Dataset holdout;
    static Path modelDir;

    @BeforeAll
    static void trainOnce() throws Exception {
        spec = SyntheticDataset.binary(800, 8, 21).withMissingRate(0.05);
        holdout = spec.withSeed(22).withRows(200).generate();
        JobRoot job = new JobRoot(dir).synthetic(spec).validation(holdout).hyperparameters(Map.of("epochs", "3"));
        assertThat(job.run()).as(job.stderr).isZero();
        modelDir = job.modelDir();
    }

    @Test
    void loadedModelReproducesTheMetricsTheTrainerWrote() throws Exception {
        // GIVEN the model directory the trainer wrote, loaded back
        try (TabularModel model = TabularModel.load(modelDir)) {
            // WHEN it predicts the held-out rows by name, as the inference API would
            List<Map<String, Object>> rows = holdout.rows().stream().map(r -> r.toMap(holdout.schema())).toList();
            List<Prediction> predictions = model.predict(rows);

            // THEN the metrics computed from those predictions are the ones in metrics.json, to the last digit
            int[] truth = holdout.rows().stream().mapToInt(r -> model.spec().classes().indexOf((String) r.target())).toArray();
            double[][] probs = predictions.stream()
                    .map(p -> model.spec().classes().stream().mapToDouble(c -> p.probabilities().get(c)).toArray())
                    .toArray(double[][]::new);
            Map<String, Double> recomputed = Evaluation.classification(truth, probs, 2);
            @SuppressWarnings("unchecked")
            Map<String, Double> written = io.modelcycle.core.Json.mapper()
                    .readValue(Files.readString(modelDir.resolve("metrics.json")), Map.class);
            assertThat(recomputed.get("roc_auc")).isEqualTo(written.get("roc_auc"));
            assertThat(recomputed.get("log_loss")).isEqualTo(written.get("log_loss"));
            assertThat(model.spec().classes()).containsExactly("0", "1");
            assertThat(model.spec().engineVersion()).isEqualTo("2.7.1");
        }
    }

    @Test
    void twoLoadsOneRowAndBatchGiveIdenticalPredictions() {
        List<Map<String, Object>> rows = holdout.rows().subList(0, 100).stream().map(r -> r.toMap(holdout.schema())).toList();
        try (TabularModel a = TabularModel.load(modelDir); TabularModel b = TabularModel.load(modelDir)) {
            List<Prediction> batch = a.predict(rows);
            List<Prediction> single = new ArrayList<>();
            for (Map<String, Object> row : rows) {
                single.add(b.predict(row));
            }
            assertThat(batch).hasSize(100);
            for (int i = 0; i < 100; i++) {
                assertThat(single.get(i).label()).isEqualTo(batch.get(i).label());
                assertThat(single.get(i).probabilities().get("1"))
                        .isCloseTo(batch.get(i).probabilities().get("1"), org.assertj.core.data.Offset.offset(1e-6));
            }
            assertThat(batch.get(0).probabilities().values().stream().mapToDouble(Double::doubleValue).sum())
                    .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void concurrentCallersGetTheSamePredictionsAsOneCaller() throws Exception {
        List<Map<String, Object>> rows = holdout.rows().stream().map(r -> r.toMap(holdout.schema())).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (TabularModel model = TabularModel.load(modelDir)) {
            List<Prediction> expected = model.predict(rows);
            List<Future<List<Prediction>>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> model.predict(rows)));
            }
            for (Future<List<Prediction>> f : futures) {
                assertThat(f.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void badRequestRowsAreRefusedWithEveryProblemNamed() {
        try (TabularModel model = TabularModel.load(modelDir)) {
            Map<String, Object> row = new HashMap<>(holdout.rows().get(0).toMap(holdout.schema()));
            row.put("x1", "abc");
            row.put("c1", "zzz");
            row.put("x99", 1.0);
            assertThatThrownBy(() -> model.predict(row))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                            .extracting(ValidationException.FieldError::field).containsExactly("x1", "c1", "x99"));

            // missing and absent features are allowed: they are imputed and flagged
            Map<String, Object> sparse = new HashMap<>();
            sparse.put("x1", null);
            sparse.put("x2", "1.25");
            assertThat(model.predict(sparse).label()).isIn("0", "1");
        }
    }

    @Test
    void damagedDirectoryIsModelUnavailable(@TempDir Path empty) throws Exception {
        assertThatThrownBy(() -> TabularModel.load(empty)).isInstanceOf(ModelUnavailableException.class)
                .hasMessageContaining("model.json");
        Files.copy(modelDir.resolve("model.json"), empty.resolve("model.json"));
        assertThatThrownBy(() -> TabularModel.load(empty)).isInstanceOf(ModelUnavailableException.class)
                .hasMessageContaining("parameters");
    }

    @Test
    void encoderStandardisesWithTrainingStatisticsAndFlagsGaps() {
        Dataset data = spec.withRows(300).generate();
        FeatureEncoder encoder = FeatureEncoder.fit(data);
        // x1..x6 numeric (2 columns each), c1 with 3 levels and c2 with 4 levels (+1 missing flag each)
        assertThat(encoder.width()).isEqualTo(6 * 2 + 4 + 5);
        double sum = 0;
        int n = 0;
        float[] out = new float[encoder.width()];
        for (Row row : data.rows()) {
            encoder.encode(row.features(), out, 0);
            if (row.features().get(0) != null) {
                sum += out[0];
                n++;
                assertThat(out[1]).isZero();
            } else {
                assertThat(out[0]).isZero();
                assertThat(out[1]).isEqualTo(1f);
            }
        }
        assertThat(sum / n).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-4));
    }
}
