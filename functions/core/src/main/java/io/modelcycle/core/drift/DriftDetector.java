package io.modelcycle.core.drift;

import io.modelcycle.core.ValidationException;
import io.modelcycle.core.model.DriftMethod;
import io.modelcycle.core.model.FeatureType;
import io.modelcycle.core.model.Policies.DriftPolicy;
import io.modelcycle.core.model.Policies.DriftRule;
import io.modelcycle.core.profile.CategoricalProfile;
import io.modelcycle.core.profile.FeatureProfile;
import io.modelcycle.core.profile.NumericProfile;
import io.modelcycle.core.profile.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compares a current profile with its baseline under a {@link DriftPolicy}.
 *
 * <p><b>Default method per feature</b> (any can be overridden per feature in {@link DriftPolicy#features()}):
 * numeric features with more than {@value #FEW_UNIQUE} distinct baseline values use KS (drift when
 * {@code p < 0.05}) when the sample size is at most {@value #SMALL_SAMPLE}, normalised Wasserstein (drift when
 * {@code >= 0.1}) above; categorical features and numeric ones with few distinct values use chi-squared
 * ({@code p < 0.05}) up to {@value #SMALL_SAMPLE}, Jensen–Shannon distance ({@code >= 0.1}) above. The sample size
 * is the smaller of the baseline's and the current window's non-missing counts: a test's power grows with
 * {@code n*m/(n+m)}, which lies within a factor 2 of that minimum, so above it p-values flag differences too small
 * to matter and a distance with a fixed threshold is used instead. PSI defaults to a threshold of 0.1.
 *
 * <p>A feature also drifts when its share of missing values rises by at least the policy's
 * {@code missingShareIncrease}. The dataset drifts when the share of drifted features is at least
 * {@code driftShare}. The model's predictions are judged the same way, with {@code predictionThreshold} when set.
 *
 * <p><b>Cells.</b> Chi-squared, Jensen–Shannon and PSI compare frequencies over cells: for categorical features the
 * allowed values plus one out-of-set cell; for numeric features with at most
 * {@value NumericProfile#DISTINCT_LIMIT} distinct baseline values, one cell per value (the baseline's bins); for
 * other numeric features, {@value #COARSE_CELLS} cells of equal baseline mass made by grouping the baseline's bins
 * (fine bins would inflate PSI and JS with sampling noise). Missing values are judged by the missing-share rule,
 * not as a cell.
 */
public final class DriftDetector {

    public static final int SMALL_SAMPLE = 1000;
    public static final int FEW_UNIQUE = 5;
    public static final int COARSE_CELLS = 10;
    public static final double DEFAULT_P_VALUE = 0.05;
    public static final double DEFAULT_WASSERSTEIN = 0.1;
    public static final double DEFAULT_JENSEN_SHANNON = 0.1;
    public static final double DEFAULT_PSI = 0.1;
    /** Normalising floor for Wasserstein when the baseline is constant (as Evidently). */
    public static final double MIN_STD = 1e-3;

    private final DriftPolicy policy;

    public DriftDetector(DriftPolicy policy) {
        this.policy = policy == null ? DriftPolicy.DEFAULT : policy;
    }

    /** Compares {@code current} (built against {@code baseline}) with {@code baseline}. */
    public DriftReport detect(Profile baseline, Profile current) {
        if (baseline == null || current == null) {
            throw new ValidationException("profile", "a drift check needs a baseline and a current profile");
        }
        for (String name : policy.features().keySet()) {
            if (baseline.feature(name).isEmpty()) {
                throw new ValidationException("policies.drift.features." + name, "the model has no feature '" + name + "'");
            }
        }
        List<FeatureDrift> results = new ArrayList<>();
        int drifted = 0;
        for (FeatureProfile base : baseline.features()) {
            FeatureProfile cur = current.feature(base.name()).orElseThrow(() -> new ValidationException(
                    "current.features", "the current profile lacks feature '" + base.name() + "'"));
            FeatureDrift result = compare(base, cur, policy.features().get(base.name()), null);
            results.add(result);
            if (result.drifted()) {
                drifted++;
            }
        }
        FeatureDrift prediction = null;
        if (baseline.prediction() != null && current.prediction() != null) {
            prediction = compare(baseline.prediction(), current.prediction(), null, policy.predictionThreshold());
        }
        double share = (double) drifted / results.size();
        return new DriftReport(baseline.rows(), current.rows(), results, drifted, share, policy.driftShare(),
                share >= policy.driftShare(), prediction);
    }

    /** The method the policy's defaults pick for a column, given its baseline and current profiles. */
    public static DriftMethod defaultMethod(FeatureProfile base, FeatureProfile cur) {
        long n = Math.min(base.count(), cur.count());
        boolean small = n <= SMALL_SAMPLE;
        if (base.numericType() && !fewUnique(base.numeric())) {
            return small ? DriftMethod.KS : DriftMethod.WASSERSTEIN;
        }
        return small ? DriftMethod.CHI_SQUARED : DriftMethod.JENSEN_SHANNON;
    }

    private static boolean fewUnique(NumericProfile p) {
        return p.distinctCount().isPresent() && p.distinctCount().getAsInt() <= FEW_UNIQUE;
    }

    static boolean usesPValue(DriftMethod method) {
        return method == DriftMethod.KS || method == DriftMethod.CHI_SQUARED;
    }

    public static double defaultThreshold(DriftMethod method) {
        return switch (method) {
            case KS, CHI_SQUARED -> DEFAULT_P_VALUE;
            case WASSERSTEIN -> DEFAULT_WASSERSTEIN;
            case JENSEN_SHANNON -> DEFAULT_JENSEN_SHANNON;
            case PSI -> DEFAULT_PSI;
        };
    }

    private FeatureDrift compare(FeatureProfile base, FeatureProfile cur, DriftRule rule, Double thresholdOverride) {
        if (base.type() != cur.type()) {
            throw new ValidationException("current.features." + base.name(), "is " + cur.type() + " in the current profile, "
                    + base.type() + " in the baseline");
        }
        DriftMethod method = rule != null ? rule.method() : defaultMethod(base, cur);
        if (!base.numericType() && (method == DriftMethod.KS || method == DriftMethod.WASSERSTEIN)) {
            throw new ValidationException("policies.drift.features." + base.name() + ".method",
                    method + " needs a numeric feature; '" + base.name() + "' is categorical");
        }
        double threshold = rule != null && rule.threshold() != null ? rule.threshold()
                : thresholdOverride != null ? thresholdOverride : defaultThreshold(method);
        double baseMissing = base.missingShare();
        double curMissing = cur.missingShare();
        boolean missingDrifted = curMissing - baseMissing >= policy.missingShareIncrease() - 1e-12;
        Measurement m = null;
        String note = null;
        if (base.count() == 0 || cur.count() == 0) {
            note = (base.count() == 0 ? "the baseline" : "the current window") + " has no values for this feature";
        } else {
            m = measure(method, base, cur);
        }
        FeatureDrift result = new FeatureDrift(base.name(), base.type(), method, m == null ? null : m.value(),
                m == null ? null : m.pValue(), threshold, m == null ? null : m.errorBound(), base.count(), cur.count(),
                baseMissing, curMissing, missingDrifted, false, note);
        boolean drifted = result.statisticDrifted() || missingDrifted;
        return new FeatureDrift(result.feature(), result.type(), method, result.statistic(), result.pValue(), threshold,
                result.errorBound(), result.baselineCount(), result.currentCount(), baseMissing, curMissing,
                missingDrifted, drifted, note);
    }

    private static Measurement measure(DriftMethod method, FeatureProfile base, FeatureProfile cur) {
        if (base.numericType()) {
            NumericProfile b = base.numeric();
            NumericProfile c = cur.numeric();
            if (!b.histogram().edges().equals(c.histogram().edges())) {
                throw new ValidationException("current.features." + base.name(), "is binned on other edges than the "
                        + "baseline; build the current profile with ProfileBuilder.against(baseline)");
            }
            double[] bs = b.sampleArray();
            double[] cs = c.sampleArray();
            switch (method) {
                case KS:
                    return bs != null && cs != null ? DriftStatistics.ks(bs, cs)
                            : DriftStatistics.ksBinned(b.histogram().countArray(), c.histogram().countArray());
                case WASSERSTEIN: {
                    double norm = Math.max(b.std(), MIN_STD);
                    Measurement w = bs != null && cs != null ? Measurement.exact(DriftStatistics.wasserstein(bs, cs), null)
                            : DriftStatistics.wassersteinBinned(b.histogram().edgeArray(), b.histogram().countArray(),
                            b.histogram().sumArray(), b.min(), b.max(), c.histogram().countArray(),
                            c.histogram().sumArray(), c.min(), c.max());
                    return new Measurement(w.value() / norm, null, w.errorBound() / norm);
                }
                default: {
                    long[][] cells = numericCells(b, c);
                    return overCells(method, cells[0], cells[1]);
                }
            }
        }
        long[][] cells = categoricalCells(base.categorical(), cur.categorical());
        return overCells(method, cells[0], cells[1]);
    }

    private static Measurement overCells(DriftMethod method, long[] base, long[] cur) {
        return switch (method) {
            case CHI_SQUARED -> DriftStatistics.chiSquared(base, cur);
            case JENSEN_SHANNON -> Measurement.exact(DriftStatistics.jensenShannon(base, cur), null);
            case PSI -> Measurement.exact(DriftStatistics.psi(base, cur), null);
            default -> throw new IllegalArgumentException(method + " is not computed over cells");
        };
    }

    /** Baseline and current counts per cell of a categorical feature: allowed values (sorted), then out-of-set. */
    static long[][] categoricalCells(CategoricalProfile base, CategoricalProfile cur) {
        if (!base.counts().keySet().equals(cur.counts().keySet())) {
            throw new ValidationException("current.features", "the current profile lists other allowed values than the baseline");
        }
        int k = base.counts().size();
        long[] b = new long[k + 1];
        long[] c = new long[k + 1];
        int i = 0;
        for (Map.Entry<String, Long> e : base.counts().entrySet()) {
            b[i] = e.getValue();
            c[i] = cur.counts().get(e.getKey());
            i++;
        }
        b[k] = base.outOfSet();
        c[k] = cur.outOfSet();
        return new long[][] {b, c};
    }

    /**
     * Baseline and current counts per cell of a numeric feature: the bins themselves when the baseline has few
     * distinct values, else {@value #COARSE_CELLS} groups of bins of equal baseline mass (bin {@code i} goes to
     * group {@code min(C - 1, floor(C * baselineCountBefore(i) / baselineCount))}).
     */
    static long[][] numericCells(NumericProfile base, NumericProfile cur) {
        long[] b = base.histogram().countArray();
        long[] c = cur.histogram().countArray();
        if (base.distinctValues() != null) {
            return new long[][] {b, c};
        }
        long total = DriftStatistics.sum(b);
        long[] gb = new long[COARSE_CELLS];
        long[] gc = new long[COARSE_CELLS];
        long before = 0;
        for (int i = 0; i < b.length; i++) {
            int group = (int) Math.min(COARSE_CELLS - 1, COARSE_CELLS * before / total);
            gb[group] += b[i];
            gc[group] += c[i];
            before += b[i];
        }
        return new long[][] {gb, gc};
    }

}
