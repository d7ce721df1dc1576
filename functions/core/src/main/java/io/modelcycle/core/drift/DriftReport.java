package io.modelcycle.core.drift;

import io.modelcycle.core.ValidationException;
import java.util.List;

/**
 * The result of one drift check: a verdict per feature, the dataset verdict and prediction drift. Serialises with
 * {@link io.modelcycle.core.Json}.
 *
 * @param baselineRows        rows in the baseline profile
 * @param rowsChecked         rows in the current window
 * @param features            one verdict per feature, in schema order
 * @param driftedFeatures     how many features drifted
 * @param driftedShare        {@code driftedFeatures / features.size()}
 * @param driftShareThreshold the policy's share that makes the dataset drifted
 * @param datasetDrift        {@code driftedShare >= driftShareThreshold}
 * @param prediction          drift of the model's outputs, or null when either profile has no predictions
 */
public record DriftReport(long baselineRows, long rowsChecked, List<FeatureDrift> features, int driftedFeatures,
                          double driftedShare, double driftShareThreshold, boolean datasetDrift, FeatureDrift prediction) {

    public DriftReport {
        if (features == null || features.isEmpty()) {
            throw new ValidationException("drift.features", "a report needs at least one feature");
        }
        features = List.copyOf(features);
    }

    /** Whether the model's predictions drifted ({@code false} when they were not compared). */
    public boolean predictionDrift() {
        return prediction != null && prediction.drifted();
    }
}
