package io.modelcycle.core.profile;

import io.modelcycle.core.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * Summary of one numeric column.
 *
 * @param count          non-missing values
 * @param missing        missing values (null, absent or NaN)
 * @param mean           mean of the values, null when {@code count == 0}
 * @param std            population standard deviation (ddof = 0, as numpy's default), null when {@code count == 0}
 * @param min            smallest value, null when {@code count == 0}
 * @param max            largest value, null when {@code count == 0}
 * @param distinctValues the distinct values, sorted, while there are at most {@value #DISTINCT_LIMIT}; null when
 *                       there are more (drift methods only need to know "few" versus "many")
 * @param histogram      counts and sums on fixed edges
 * @param sample         all values, sorted, while {@code count <= sampleLimit} of the profile; null otherwise. With
 *                       samples on both sides, KS and Wasserstein are computed exactly instead of on bins
 */
public record NumericProfile(long count, long missing, Double mean, Double std, Double min, Double max,
                             List<Double> distinctValues, Histogram histogram, List<Double> sample) {

    /** How many distinct values a profile remembers. */
    public static final int DISTINCT_LIMIT = 20;

    public NumericProfile {
        if (count < 0 || missing < 0) {
            throw new ValidationException("numeric.count", "count and missing must be >= 0");
        }
        if (histogram == null) {
            throw new ValidationException("numeric.histogram", "is required");
        }
        if (histogram.total() != count) {
            throw new ValidationException("numeric.histogram", "holds " + histogram.total() + " values, count is " + count);
        }
        if (count > 0 && (mean == null || std == null || min == null || max == null)) {
            throw new ValidationException("numeric.mean", "mean, std, min and max are required when count > 0");
        }
        distinctValues = distinctValues == null ? null : List.copyOf(distinctValues);
        sample = sample == null ? null : List.copyOf(sample);
        if (sample != null && sample.size() != count) {
            throw new ValidationException("numeric.sample", "holds " + sample.size() + " values, count is " + count);
        }
    }

    /** Share of missing values among all rows, 0 when there are no rows. */
    public double missingShare() {
        long rows = count + missing;
        return rows == 0 ? 0 : (double) missing / rows;
    }

    /** The number of distinct values if it is at most {@value #DISTINCT_LIMIT}, else empty. */
    public OptionalInt distinctCount() {
        return distinctValues == null ? OptionalInt.empty() : OptionalInt.of(distinctValues.size());
    }

    /** The sorted values, or null when the profile holds too many to keep them. */
    public double[] sampleArray() {
        return sample == null ? null : Arrays2.unboxed(sample);
    }

    /**
     * The {@code q}-quantile, with numpy's default linear interpolation when the exact sample is kept. Otherwise it
     * interpolates inside the histogram bin that holds rank {@code q * count}; its rank error is then at most that
     * bin's share of the values (about {@code 1 / bins} on a baseline's own equal-mass edges).
     */
    public double quantile(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new ValidationException("q", "a quantile must be in [0, 1], got " + q);
        }
        if (count == 0) {
            return Double.NaN;
        }
        if (sample != null) {
            double pos = q * (count - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(lo + 1, (int) count - 1);
            return sample.get(lo) + (pos - lo) * (sample.get(hi) - sample.get(lo));
        }
        double[] edges = histogram.edgeArray();
        long[] counts = histogram.countArray();
        double target = q * count;
        long cumulative = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                continue;
            }
            if (cumulative + counts[i] >= target) {
                double lo = i == 0 ? min : Math.max(min, edges[i - 1]);
                double hi = i == edges.length ? max : Math.min(max, edges[i]);
                double within = (target - cumulative) / counts[i];
                return lo + within * (hi - lo);
            }
            cumulative += counts[i];
        }
        return max;
    }

    /**
     * The summary of both data sets together. Both must be binned on the same edges.
     *
     * @param sampleLimit the most values a merged profile keeps as an exact sample
     */
    public NumericProfile merge(NumericProfile other, int sampleLimit) {
        if (!histogram.edges().equals(other.histogram.edges())) {
            throw new ValidationException("histogram.edges", "cannot merge profiles binned on different edges; build "
                    + "both against the same baseline");
        }
        long n = count + other.count;
        long[] counts = histogram.countArray();
        double[] sums = histogram.sumArray();
        long[] otherCounts = other.histogram.countArray();
        double[] otherSums = other.histogram.sumArray();
        for (int i = 0; i < counts.length; i++) {
            counts[i] += otherCounts[i];
            sums[i] += otherSums[i];
        }
        Histogram merged = Histogram.of(histogram.edgeArray(), counts, sums);
        if (count == 0 || other.count == 0) {
            NumericProfile nonEmpty = count == 0 ? other : this;
            List<Double> mergedSample = sample != null && other.sample != null && n <= sampleLimit
                    ? nonEmpty.sample : null;
            return new NumericProfile(n, missing + other.missing, nonEmpty.mean, nonEmpty.std, nonEmpty.min,
                    nonEmpty.max, mergeDistinct(other), merged, mergedSample);
        }
        // Chan et al.'s pairwise update: exact for mean and M2, no loss from catastrophic cancellation.
        double delta = other.mean - mean;
        double mergedMean = mean + delta * other.count / n;
        double m2 = std * std * count + other.std * other.std * other.count + delta * delta * ((double) count * other.count / n);
        List<Double> mergedSample = null;
        if (sample != null && other.sample != null && n <= sampleLimit) {
            List<Double> all = new ArrayList<>(sample);
            all.addAll(other.sample);
            all.sort(null);
            mergedSample = all;
        }
        return new NumericProfile(n, missing + other.missing, mergedMean, Math.sqrt(Math.max(0, m2 / n)),
                Math.min(min, other.min), Math.max(max, other.max), mergeDistinct(other), merged, mergedSample);
    }

    private List<Double> mergeDistinct(NumericProfile other) {
        if (distinctValues == null || other.distinctValues == null) {
            return null;
        }
        TreeSet<Double> union = new TreeSet<>(distinctValues);
        union.addAll(other.distinctValues);
        return union.size() > DISTINCT_LIMIT ? null : new ArrayList<>(union);
    }
}
