package io.modelcycle.core.drift;

/**
 * The value of one drift statistic.
 *
 * @param value      the statistic
 * @param pValue     its p-value for the tests (KS, chi-squared), else null
 * @param errorBound how far {@code value} may be from the statistic on the raw data: 0 when computed exactly
 *                   (from the samples or, for PSI, Jensen–Shannon and chi-squared, from counts that are themselves
 *                   the definition), a proven bound when computed from histogram bins
 */
public record Measurement(double value, Double pValue, double errorBound) {

    public static Measurement exact(double value, Double pValue) {
        return new Measurement(value, pValue, 0);
    }

    public boolean exact() {
        return errorBound == 0;
    }
}
