package io.modelcycle.core.model;

/** The drift statistics a policy can choose for a feature. */
public enum DriftMethod {
    /** Population stability index over the baseline's bins; drift when {@code psi >= threshold}. */
    PSI,
    /** Two-sample Kolmogorov–Smirnov; drift when {@code p < threshold}. */
    KS,
    /** Wasserstein-1 distance divided by the baseline standard deviation; drift when {@code >= threshold}. */
    WASSERSTEIN,
    /** Jensen–Shannon distance (base 2); drift when {@code >= threshold}. */
    JENSEN_SHANNON,
    /** Chi-squared goodness of fit of current counts against baseline frequencies; drift when {@code p < threshold}. */
    CHI_SQUARED
}
