package io.modelcycle.djl.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Held-out metrics with the names the quality gate uses. Classification: {@code accuracy}, {@code macro_f1}
 * (unweighted mean of per-class F1), {@code roc_auc} (binary: the positive class; multiclass: macro one-vs-rest),
 * {@code log_loss} (natural log, probabilities clipped to [1e-15, 1 − 1e-15]). Regression: {@code rmse},
 * {@code mae}, {@code r2}.
 */
public final class Evaluation {

    private static final double EPS = 1e-15;

    private Evaluation() {
    }

    /**
     * @param truth class index per row
     * @param probs per row, a probability per class
     */
    public static Map<String, Double> classification(int[] truth, double[][] probs, int classes) {
        int n = truth.length;
        int correct = 0;
        double logLoss = 0;
        int[] tp = new int[classes];
        int[] predicted = new int[classes];
        int[] actual = new int[classes];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (probs[i][c] > probs[i][best]) {
                    best = c;
                }
            }
            predicted[best]++;
            actual[truth[i]]++;
            if (best == truth[i]) {
                correct++;
                tp[best]++;
            }
            logLoss -= Math.log(Math.min(1 - EPS, Math.max(EPS, probs[i][truth[i]])));
        }
        double f1 = 0;
        for (int c = 0; c < classes; c++) {
            double denom = predicted[c] + actual[c];
            f1 += denom == 0 ? 0 : 2.0 * tp[c] / denom;
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("accuracy", n == 0 ? Double.NaN : (double) correct / n);
        m.put("macro_f1", f1 / classes);
        double auc;
        if (classes == 2) {
            auc = auc(truth, probs, 1);
        } else {
            double sum = 0;
            int counted = 0;
            for (int c = 0; c < classes; c++) {
                double a = auc(truth, probs, c);
                if (!Double.isNaN(a)) {
                    sum += a;
                    counted++;
                }
            }
            auc = counted == 0 ? Double.NaN : sum / counted;
        }
        m.put("roc_auc", auc);
        m.put("log_loss", n == 0 ? Double.NaN : logLoss / n);
        return m;
    }

    /** Mean log loss alone (the early-stopping criterion for classification). */
    public static double logLoss(int[] truth, double[][] probs) {
        double sum = 0;
        for (int i = 0; i < truth.length; i++) {
            sum -= Math.log(Math.min(1 - EPS, Math.max(EPS, probs[i][truth[i]])));
        }
        return sum / truth.length;
    }

    public static Map<String, Double> regression(double[] truth, double[] predicted) {
        int n = truth.length;
        double mean = Arrays.stream(truth).average().orElse(Double.NaN);
        double se = 0;
        double ae = 0;
        double tot = 0;
        for (int i = 0; i < n; i++) {
            double e = predicted[i] - truth[i];
            se += e * e;
            ae += Math.abs(e);
            tot += (truth[i] - mean) * (truth[i] - mean);
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("rmse", Math.sqrt(se / n));
        m.put("mae", ae / n);
        m.put("r2", tot == 0 ? Double.NaN : 1 - se / tot);
        return m;
    }

    /** One-vs-rest ROC AUC of class {@code positive} by the rank-sum formula, ties averaged; NaN if a side is empty. */
    static double auc(int[] truth, double[][] probs, int positive) {
        int n = truth.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(probs[a][positive], probs[b][positive]));
        double rankSum = 0;
        long pos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && probs[order[j + 1]][positive] == probs[order[i]][positive]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (truth[order[k]] == positive) {
                    rankSum += rank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }
}
