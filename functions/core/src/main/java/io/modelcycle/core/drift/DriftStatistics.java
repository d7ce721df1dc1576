package io.modelcycle.core.drift;

import io.modelcycle.core.ValidationException;
import java.util.Arrays;
import org.apache.commons.math3.special.Gamma;

/**
 * The drift statistics, each defined to agree with scipy (checked against values scipy computed, see
 * {@code scripts/drift_reference.py}):
 *
 * <ul>
 *   <li><b>KS on samples</b> ({@link #ks}): statistic as {@code scipy.stats.ks_2samp}, exact; p-value by scipy's
 *       {@code method="auto"}: the exact distribution when both samples have at most 10 000 values, else the
 *       asymptotic one ({@link #kolmogorovSf}).</li>
 *   <li><b>KS on bins</b> ({@link #ksBinned}): both profiles counted on the same edges. The empirical CDFs are known
 *       exactly at every edge, and inside bin {@code i} the difference {@code F1 - F2} lies in
 *       {@code [Δi - qi, Δi + pi]} ({@code Δi} the difference of the cumulative shares before the bin, {@code pi}
 *       and {@code qi} the bin's shares). The statistic returned is the largest difference known to be attained (a
 *       lower bound of the true D); the true D is at most that plus {@code errorBound}, which is below the largest
 *       bin share on either side. The p-value is that of the returned statistic.</li>
 *   <li><b>Wasserstein-1</b> ({@link #wasserstein} exact, as {@code scipy.stats.wasserstein_distance};
 *       {@link #wassersteinBinned}): with the per-bin sums the integral of each empirical CDF over every bin is exact,
 *       so bins where {@code F1 - F2} keeps one sign contribute exactly; only bins where the CDFs may cross add
 *       uncertainty, and only over the part of the bin inside both samples' ranges. The value is the middle of the proven interval, {@code errorBound} its half-width.</li>
 *   <li><b>Jensen–Shannon distance</b> ({@link #jensenShannon}), base 2, so in [0, 1]: as
 *       {@code scipy.spatial.distance.jensenshannon(p, q, base=2)}.</li>
 *   <li><b>Chi-squared</b> ({@link #chiSquared}): as {@code scipy.stats.chisquare(current, expected)} with
 *       {@code expected = n_current * baseline shares}; a baseline share of zero is raised to
 *       {@value #EPSILON} (shares then renormalised) so that a category never seen in the baseline gives a large
 *       finite statistic; cells empty on both sides are left out.</li>
 *   <li><b>PSI</b> ({@link #psi}): {@code sum((q - p) * ln(q / p))} over the cells, each share floored at
 *       {@value #EPSILON}.</li>
 * </ul>
 */
public final class DriftStatistics {

    /** Floor of a share in PSI and chi-squared, so that empty cells give finite values. */
    public static final double EPSILON = 1e-4;

    /** Largest sample size for which the KS p-value uses the exact distribution, as scipy's "auto". */
    public static final int KS_EXACT_MAX_N = 10_000;

    private DriftStatistics() {
    }

    // ---------------------------------------------------------------- Kolmogorov–Smirnov

    /** Two-sample KS, two-sided, on raw samples (any order; the arrays are not modified). */
    public static Measurement ks(double[] a, double[] b) {
        requireNonEmpty(a, "a");
        requireNonEmpty(b, "b");
        double[] x = sortedCopy(a);
        double[] y = sortedCopy(b);
        int n1 = x.length;
        int n2 = y.length;
        double maxDiff = 0;
        double minDiff = 0;
        int i = 0;
        int j = 0;
        while (i < n1 || j < n2) {
            double v = i < n1 && (j >= n2 || x[i] <= y[j]) ? x[i] : y[j];
            while (i < n1 && x[i] <= v) {
                i++;
            }
            while (j < n2 && y[j] <= v) {
                j++;
            }
            // Same floating-point expression as scipy's searchsorted(...)/n1 - searchsorted(...)/n2.
            double diff = (double) i / n1 - (double) j / n2;
            if (diff > maxDiff) {
                maxDiff = diff;
            }
            if (diff < minDiff) {
                minDiff = diff;
            }
        }
        double d = Math.max(maxDiff, Math.min(1, -minDiff));
        return ksResult(d, n1, n2, 0);
    }

    private static Measurement ksResult(double d, long n1, long n2, double bound) {
        if (Math.max(n1, n2) <= KS_EXACT_MAX_N) {
            long g = gcd(n1, n2);
            long lcm = (n1 / g) * n2;
            long h = Math.round(Math.rint(d * lcm));
            double dRounded = (double) h / lcm;
            double p = exactKsSf(n1, n2, g, h);
            if (!Double.isNaN(p)) {
                return new Measurement(bound == 0 ? dRounded : d, clip(p), bound);
            }
        }
        return new Measurement(d, clip(kolmogorovSf(effectiveN(n1, n2), d)), bound);
    }

    /** The KS p-value of statistic {@code d} for samples of sizes {@code n1} and {@code n2} (scipy's "auto" rule). */
    public static double ksPValue(double d, long n1, long n2) {
        return ksResult(d, n1, n2, 0).pValue();
    }

    private static long effectiveN(long n1, long n2) {
        double m = Math.max(n1, n2);
        double n = Math.min(n1, n2);
        return Math.round(Math.rint(m * n / (m + n)));
    }

    /**
     * KS from two histograms on the same edges. See the class comment for the bound; counts are per bin, in the
     * same order, for baseline ({@code c1}) and current ({@code c2}).
     */
    public static Measurement ksBinned(long[] c1, long[] c2) {
        requireSameLength(c1, c2);
        long n1 = sum(c1);
        long n2 = sum(c2);
        if (n1 == 0 || n2 == 0) {
            throw new ValidationException("counts", "KS needs values on both sides");
        }
        long before1 = 0;
        long before2 = 0;
        double lower = 0;
        double upper = 0;
        for (int i = 0; i < c1.length; i++) {
            double delta = (double) before1 / n1 - (double) before2 / n2;
            double p = (double) c1[i] / n1;
            double q = (double) c2[i] / n2;
            lower = Math.max(lower, Math.abs(delta));
            // With one side empty in this bin, the other side's whole jump is attained at its last value in the bin.
            if (c2[i] == 0) {
                lower = Math.max(lower, Math.abs(delta + p));
            }
            if (c1[i] == 0) {
                lower = Math.max(lower, Math.abs(delta - q));
            }
            upper = Math.max(upper, Math.max(Math.abs(delta + p), Math.abs(delta - q)));
            before1 += c1[i];
            before2 += c2[i];
        }
        return ksResult(lower, n1, n2, upper - lower);
    }

    /**
     * P(D >= h / lcm) under H0, exactly, as scipy's {@code _attempt_exact_2kssamp} (two-sided); NaN if the
     * computation leaves floating point range.
     */
    static double exactKsSf(long n1, long n2, long g, long h) {
        if (h == 0) {
            return 1.0;
        }
        double p = n1 == n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
        return Double.isFinite(p) && p >= 0 && p <= 1 ? p : Double.NaN;
    }

    private static double probOutsideSquare(long n, long h) {
        double p = 0;
        long k = n / h;
        while (k >= 0) {
            double p1 = 1.0;
            for (long j = 0; j < h; j++) {
                p1 = (n - k * h - j) * p1 / (n + k * h + j + 1);
            }
            p = p1 * (1.0 - p);
            k--;
        }
        return 2 * p;
    }

    /** Share of lattice paths that leave the band |x/m - y/n| < h/lcm: scipy's {@code _compute_outer_prob_inside_method}. */
    private static double outerProbInside(long mIn, long nIn, long g, long h) {
        long m = Math.max(mIn, nIn);
        long n = Math.min(mIn, nIn);
        long mg = m / g;
        long ng = n / g;
        int minj = 0;
        int maxj = (int) Math.min(ceilDiv(h, mg), n + 1);
        int curlen = maxj - minj;
        int lenA = (int) Math.min(2L * maxj + 2, n + 1);
        double[] a = new double[lenA];
        Arrays.fill(a, 1.0);
        Arrays.fill(a, minj, maxj, 0.0);
        for (long i = 1; i <= m; i++) {
            int lastminj = minj;
            int lastlen = curlen;
            minj = (int) Math.max(Math.floorDiv(ng * i - h, mg) + 1, 0);
            minj = (int) Math.min(minj, n);
            maxj = (int) Math.min(ceilDiv(ng * i + h, mg), n + 1);
            if (maxj <= minj) {
                return 1.0;
            }
            double val = minj == 0 ? 0.0 : 1.0;
            for (int jj = 0; jj < maxj - minj; jj++) {
                int j = jj + minj;
                val = (a[jj + minj - lastminj] * i + val * j) / (i + j);
                a[jj] = val;
            }
            curlen = maxj - minj;
            if (lastlen > curlen) {
                Arrays.fill(a, maxj - minj, maxj - minj + (lastlen - curlen), 1.0);
            }
        }
        return a[maxj - minj - 1];
    }

    /**
     * P(D_n >= x) for the one-sample two-sided KS statistic by the Pelz–Good (1976) expansion, the approximation
     * scipy's {@code kstwo} uses for large n. Against {@code scipy.stats.kstwo.sf} it differs by at most about
     * 1e-5 for {@code n >= 100}, 2e-7 for {@code n >= 500} and 2e-3 for {@code n >= 10}.
     */
    public static double kolmogorovSf(long n, double x) {
        if (x <= 0) {
            return 1.0;
        }
        if (x >= 1) {
            return 0.0;
        }
        double z = Math.sqrt(n) * x;
        double z2 = z * z;
        double z3 = z2 * z;
        double z4 = z2 * z2;
        double z6 = z4 * z2;
        double pi2 = Math.PI * Math.PI;
        double pi4 = pi2 * pi2;
        double pi6 = pi4 * pi2;
        double qlog = -pi2 / 8 / z2;
        if (qlog < -708) {
            return 1.0;
        }
        double q = Math.exp(qlog);
        double k1a = -z2;
        double k1b = pi2 / 4;
        double k2a = 6 * z6 + 2 * z4;
        double k2b = (2 * z4 - 5 * z2) * pi2 / 4;
        double k2c = pi4 * (1 - 2 * z2) / 16;
        double k3d = pi6 * (5 - 30 * z2) / 64;
        double k3c = pi4 * (-60 * z2 + 212 * z4) / 16;
        double k3b = pi2 * (135 * z4 - 96 * z6) / 4;
        double k3a = -30 * z6 - 90 * z4 * z4;
        double[] k = new double[4];
        int maxk = (int) Math.ceil(16 * z / Math.PI);
        for (int kk = maxk; kk > 0; kk--) {
            double m = 2 * kk - 1;
            double m2 = m * m;
            double m4 = m2 * m2;
            double m6 = m4 * m2;
            double qpower = Math.pow(q, 8 * kk);
            double[] coeffs = {1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6};
            for (int t = 0; t < 4; t++) {
                k[t] = k[t] * qpower + coeffs[t];
            }
        }
        double sqrt2pi = Math.sqrt(2 * Math.PI);
        double[] div = {z, 6 * z4, 72 * z4 * z3, 6480 * z4 * z6};
        for (int t = 0; t < 4; t++) {
            k[t] = k[t] * q * sqrt2pi / div[t];
        }
        double q2 = Math.exp(-pi2 / 2 / z2);
        double k2extra = 0;
        double k3extra = 0;
        double sqrt3z = Math.sqrt(3) * z;
        for (int kk = maxk; kk > 0; kk--) {
            double ks2 = (double) kk * kk;
            double qp = Math.pow(q2, ks2);
            double kspi = Math.PI * kk;
            k2extra += ks2 * qp;
            k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ks2 * qp;
        }
        k[2] += k2extra * pi2 * sqrt2pi / (-36 * z3);
        k[3] += k3extra * pi2 * sqrt2pi / (216 * z6);
        double cdf = 0;
        for (int t = 0; t < 4; t++) {
            cdf += k[t] / Math.pow(n, t / 2.0);
        }
        return clip(1.0 - cdf);
    }

    // ---------------------------------------------------------------- Wasserstein

    /** Wasserstein-1 distance between two samples (any order), as {@code scipy.stats.wasserstein_distance}. */
    public static double wasserstein(double[] a, double[] b) {
        requireNonEmpty(a, "a");
        requireNonEmpty(b, "b");
        double[] x = sortedCopy(a);
        double[] y = sortedCopy(b);
        int i = 0;
        int j = 0;
        double total = 0;
        double prev = Math.min(x[0], y[0]);
        while (i < x.length || j < y.length) {
            double v = i < x.length && (j >= y.length || x[i] <= y[j]) ? x[i] : y[j];
            total += Math.abs((double) i / x.length - (double) j / y.length) * (v - prev);
            while (i < x.length && x[i] <= v) {
                i++;
            }
            while (j < y.length && y[j] <= v) {
                j++;
            }
            prev = v;
        }
        return total;
    }

    /**
     * Wasserstein-1 distance from two histograms on the same interior {@code edges}, with per-bin counts and sums
     * and each side's min and max. See the class comment for the bound.
     */
    public static Measurement wassersteinBinned(double[] edges, long[] c1, double[] s1, double min1, double max1,
                                                long[] c2, double[] s2, double min2, double max2) {
        requireSameLength(c1, c2);
        if (c1.length != edges.length + 1 || s1.length != c1.length || s2.length != c2.length) {
            throw new ValidationException("histogram", "needs edges + 1 counts and sums on both sides");
        }
        long n1 = sum(c1);
        long n2 = sum(c2);
        if (n1 == 0 || n2 == 0) {
            throw new ValidationException("counts", "Wasserstein needs values on both sides");
        }
        double lo = Math.min(min1, min2);
        double hi = Math.max(max1, max2);
        long before1 = 0;
        long before2 = 0;
        double exactPart = 0;
        double lowerPart = 0;
        double upperPart = 0;
        for (int i = 0; i < c1.length; i++) {
            double a = i == 0 ? lo : Math.max(lo, edges[i - 1]);
            double b = i == edges.length ? hi : Math.min(hi, edges[i]);
            double cum1 = (double) before1 / n1;
            double cum2 = (double) before2 / n2;
            before1 += c1[i];
            before2 += c2[i];
            if (b <= a) {
                continue;
            }
            double w = b - a;
            // Integral over [a, b) of each empirical CDF: w * share before the bin + sum over the bin of (b - x) / n.
            double int1 = w * cum1 + (c1[i] * b - s1[i]) / n1;
            double int2 = w * cum2 + (c2[i] * b - s2[i]) / n2;
            double integral = int1 - int2;
            double delta = cum1 - cum2;
            double p = (double) c1[i] / n1;
            double q = (double) c2[i] / n2;
            double low = delta - q;
            double high = delta + p;
            if (low >= 0 || high <= 0) {
                exactPart += Math.abs(integral);
            } else {
                // F1 - F2 can only be negative where x >= min2 and x < max1, positive where x >= min1 and x < max2
                // (outside a side's range its CDF is 0 or 1), so the part of the bin each sign can occupy is known.
                double wNeg = Math.max(0, Math.min(b, max1) - Math.max(a, min2));
                double wPos = Math.max(0, Math.min(b, max2) - Math.max(a, min1));
                lowerPart += Math.abs(integral);
                upperPart += Math.max(Math.abs(integral),
                        Math.min(integral - 2 * low * wNeg, -integral + 2 * high * wPos));
            }
        }
        double lower = exactPart + lowerPart;
        double upper = exactPart + upperPart;
        return new Measurement((lower + upper) / 2, null, (upper - lower) / 2);
    }

    // ---------------------------------------------------------------- distributions over cells

    /** Jensen–Shannon distance (base 2) between two frequency vectors, each normalised to sum 1. */
    public static double jensenShannon(double[] p, double[] q) {
        requireSameLength(p, q);
        double sp = 0;
        double sq = 0;
        for (int i = 0; i < p.length; i++) {
            sp += p[i];
            sq += q[i];
        }
        if (!(sp > 0) || !(sq > 0)) {
            throw new ValidationException("frequencies", "Jensen-Shannon needs positive totals on both sides");
        }
        double left = 0;
        double right = 0;
        for (int i = 0; i < p.length; i++) {
            double pi = p[i] / sp;
            double qi = q[i] / sq;
            double m = (pi + qi) / 2.0;
            left += relEntr(pi, m);
            right += relEntr(qi, m);
        }
        double js = (left + right) / 2.0;
        return Math.sqrt(Math.max(0, js / Math.log(2)));
    }

    private static double relEntr(double x, double y) {
        if (x > 0 && y > 0) {
            return x * Math.log(x / y);
        }
        return x == 0 && y >= 0 ? 0 : Double.POSITIVE_INFINITY;
    }

    /** {@link #jensenShannon(double[], double[])} of two count vectors. */
    public static double jensenShannon(long[] p, long[] q) {
        return jensenShannon(toDouble(p), toDouble(q));
    }

    /** Chi-squared goodness of fit of {@code current} counts against the {@code baseline} counts' shares. */
    public static Measurement chiSquared(long[] baseline, long[] current) {
        requireSameLength(baseline, current);
        int cells = 0;
        for (int i = 0; i < baseline.length; i++) {
            if (baseline[i] != 0 || current[i] != 0) {
                cells++;
            }
        }
        long nb = sum(baseline);
        long nc = sum(current);
        if (nb == 0 || nc == 0) {
            throw new ValidationException("counts", "chi-squared needs values on both sides");
        }
        double[] shares = new double[cells];
        long[] observed = new long[cells];
        double total = 0;
        int k = 0;
        for (int i = 0; i < baseline.length; i++) {
            if (baseline[i] != 0 || current[i] != 0) {
                shares[k] = Math.max((double) baseline[i] / nb, EPSILON);
                observed[k] = current[i];
                total += shares[k];
                k++;
            }
        }
        double statistic = 0;
        for (int i = 0; i < cells; i++) {
            double expected = shares[i] / total * nc;
            double d = observed[i] - expected;
            statistic += d * d / expected;
        }
        int df = cells - 1;
        double p = df <= 0 ? Double.NaN : Gamma.regularizedGammaQ(df / 2.0, statistic / 2.0);
        return Measurement.exact(statistic, df <= 0 ? 1.0 : clip(p));
    }

    /** Population stability index of {@code current} against {@code baseline} over the same cells. */
    public static double psi(long[] baseline, long[] current) {
        requireSameLength(baseline, current);
        long nb = sum(baseline);
        long nc = sum(current);
        if (nb == 0 || nc == 0) {
            throw new ValidationException("counts", "PSI needs values on both sides");
        }
        double psi = 0;
        for (int i = 0; i < baseline.length; i++) {
            double p = Math.max((double) baseline[i] / nb, EPSILON);
            double q = Math.max((double) current[i] / nc, EPSILON);
            psi += (q - p) * Math.log(q / p);
        }
        return psi;
    }

    // ---------------------------------------------------------------- helpers

    private static double clip(double p) {
        return p < 0 ? 0 : (p > 1 ? 1 : p);
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    static long sum(long[] values) {
        long s = 0;
        for (long v : values) {
            s += v;
        }
        return s;
    }

    private static double[] toDouble(long[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = values[i];
        }
        return d;
    }

    private static double[] sortedCopy(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }

    private static void requireNonEmpty(double[] values, String name) {
        if (values == null || values.length == 0) {
            throw new ValidationException(name, "needs at least one value");
        }
        for (double v : values) {
            if (Double.isNaN(v)) {
                throw new ValidationException(name, "contains NaN; drop missing values before comparing samples");
            }
        }
    }

    private static void requireSameLength(long[] a, long[] b) {
        if (a == null || b == null || a.length != b.length || a.length == 0) {
            throw new ValidationException("counts", "both sides need the same, non-zero number of cells");
        }
    }

    private static void requireSameLength(double[] a, double[] b) {
        if (a == null || b == null || a.length != b.length || a.length == 0) {
            throw new ValidationException("frequencies", "both sides need the same, non-zero number of cells");
        }
    }
}
