package io.modelcycle.core.drift;

import io.modelcycle.core.ValidationException;
import io.modelcycle.core.model.DriftMethod;
import io.modelcycle.core.model.FeatureType;

/**
 * The drift verdict for one feature (or for the model's predictions).
 *
 * @param feature              the feature's name, or {@link io.modelcycle.core.profile.Profile#PREDICTION}
 * @param type                 numeric or categorical
 * @param method               the statistic used
 * @param statistic            its value; null when either side has no values
 * @param pValue               the p-value for KS and chi-squared, else null
 * @param threshold            drift when {@code pValue < threshold} (KS, chi-squared) or
 *                             {@code statistic >= threshold} (Wasserstein, Jensen–Shannon, PSI)
 * @param errorBound           how far {@code statistic} may be from its value on the raw rows (0 when exact)
 * @param baselineCount        non-missing values in the baseline
 * @param currentCount         non-missing values in the current window
 * @param baselineMissingShare share of missing values in the baseline
 * @param currentMissingShare  share of missing values in the current window
 * @param missingDrifted       whether the missing share rose by at least the policy's {@code missingShareIncrease}
 * @param drifted              the verdict: the statistic crossed its threshold, or the missing share rose
 * @param note                 why a statistic could not be computed, else null
 */
public record FeatureDrift(String feature, FeatureType type, DriftMethod method, Double statistic, Double pValue,
                           double threshold, Double errorBound, long baselineCount, long currentCount,
                           double baselineMissingShare, double currentMissingShare, boolean missingDrifted,
                           boolean drifted, String note) {

    public FeatureDrift {
        if (feature == null || type == null || method == null) {
            throw new ValidationException("drift.feature", "feature, type and method are required");
        }
    }

    /** Whether the method's statistic, on its own, says drift. */
    public boolean statisticDrifted() {
        if (statistic == null) {
            return false;
        }
        return DriftDetector.usesPValue(method) ? pValue != null && pValue < threshold : statistic >= threshold;
    }
}
