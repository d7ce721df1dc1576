package io.modelcycle.core.profile;

import io.modelcycle.core.ValidationException;
import java.util.List;

/**
 * Counts of a numeric feature on fixed bin edges. {@code edges} are the interior cut points
 * {@code e_1 < … < e_k}; there are {@code k + 1} bins: {@code (-inf, e_1), [e_1, e_2), …, [e_k, +inf)}, so a value
 * {@code x} falls in bin {@code #{edges <= x}} (numpy's {@code searchsorted(edges, x, side="right")}). The outer
 * bins are bounded in practice by the profile's min and max.
 *
 * <p>{@code sums} holds the sum of the values in each bin. With it the integral of the empirical CDF over every bin
 * is exact, which is what makes the binned Wasserstein distance tight (see
 * {@link io.modelcycle.core.drift.DriftStatistics}), and quantiles interpolate around the bin's mean.
 *
 * @param edges  interior edges, strictly increasing, finite; may be empty (one bin)
 * @param counts values per bin, {@code edges.size() + 1} entries, each {@code >= 0}
 * @param sums   sum of values per bin, {@code edges.size() + 1} entries
 */
public record Histogram(List<Double> edges, List<Long> counts, List<Double> sums) {

    public Histogram {
        if (edges == null || counts == null || sums == null) {
            throw new ValidationException("histogram", "needs edges, counts and sums");
        }
        edges = List.copyOf(edges);
        counts = List.copyOf(counts);
        sums = List.copyOf(sums);
        if (counts.size() != edges.size() + 1 || sums.size() != counts.size()) {
            throw new ValidationException("histogram.counts", "needs edges + 1 = " + (edges.size() + 1)
                    + " counts and sums, got " + counts.size() + " counts and " + sums.size() + " sums");
        }
        for (int i = 0; i < edges.size(); i++) {
            double e = edges.get(i);
            if (!Double.isFinite(e) || (i > 0 && e <= edges.get(i - 1))) {
                throw new ValidationException("histogram.edges[" + i + "]", "edges must be finite and strictly increasing");
            }
        }
        for (int i = 0; i < counts.size(); i++) {
            if (counts.get(i) < 0) {
                throw new ValidationException("histogram.counts[" + i + "]", "must be >= 0");
            }
        }
    }

    static Histogram of(double[] edges, long[] counts, double[] sums) {
        return new Histogram(Arrays2.boxed(edges), Arrays2.boxed(counts), Arrays2.boxed(sums));
    }

    public double[] edgeArray() {
        return Arrays2.unboxed(edges);
    }

    public long[] countArray() {
        return Arrays2.unboxedLongs(counts);
    }

    public double[] sumArray() {
        return Arrays2.unboxed(sums);
    }

    public int bins() {
        return counts.size();
    }

    public long total() {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    /** The bin of {@code x} on these edges: the number of edges {@code <= x}. */
    public static int binOf(double[] edges, double x) {
        int lo = 0;
        int hi = edges.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (edges[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
