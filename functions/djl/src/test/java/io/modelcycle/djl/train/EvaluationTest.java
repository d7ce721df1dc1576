package io.modelcycle.djl.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluationTest {

    @Test
    void binaryMetricsMatchHandComputedValues() {
        // GIVEN 4 rows: positives scored 0.8 and 0.4, negatives 0.6 and 0.2 → 3 of 4 pairs ordered right
        int[] truth = {1, 1, 0, 0};
        double[][] probs = {{0.2, 0.8}, {0.6, 0.4}, {0.4, 0.6}, {0.8, 0.2}};

        Map<String, Double> m = Evaluation.classification(truth, probs, 2);

        assertThat(m.get("roc_auc")).isEqualTo(0.75);
        assertThat(m.get("accuracy")).isEqualTo(0.5);
        assertThat(m.get("macro_f1")).isEqualTo(0.5);
        assertThat(m.get("log_loss")).isCloseTo(-(Math.log(0.8) + Math.log(0.4) + Math.log(0.4) + Math.log(0.8)) / 4, offset(1e-12));
    }

    @Test
    void tiesCountHalfAndMulticlassAucIsMacroOneVsRest() {
        assertThat(Evaluation.classification(new int[] {1, 0}, new double[][] {{0.5, 0.5}, {0.5, 0.5}}, 2).get("roc_auc")).isEqualTo(0.5);
        // perfectly separated 3 classes
        int[] truth = {0, 1, 2};
        double[][] probs = {{0.8, 0.1, 0.1}, {0.1, 0.8, 0.1}, {0.1, 0.1, 0.8}};
        Map<String, Double> m = Evaluation.classification(truth, probs, 3);
        assertThat(m.get("roc_auc")).isEqualTo(1.0);
        assertThat(m.get("macro_f1")).isEqualTo(1.0);
    }

    @Test
    void regressionMetrics() {
        Map<String, Double> m = Evaluation.regression(new double[] {1, 2, 3, 4}, new double[] {1, 2, 3, 6});
        assertThat(m.get("rmse")).isEqualTo(1.0);
        assertThat(m.get("mae")).isEqualTo(0.5);
        assertThat(m.get("r2")).isCloseTo(1 - 4 / 5.0, offset(1e-12));
    }
}
