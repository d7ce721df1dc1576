/**
 * Drift: how far the current data (a {@link io.modelcycle.core.profile.Profile} of the capture window) has moved
 * from the baseline profile of the deployed version. {@link io.modelcycle.core.drift.DriftStatistics} holds the
 * statistics (PSI, Kolmogorov–Smirnov, normalised Wasserstein, Jensen–Shannon, chi-squared), each checked against
 * scipy; {@link io.modelcycle.core.drift.DriftDetector} picks a method per feature from the model's
 * {@link io.modelcycle.core.model.Policies.DriftPolicy} and writes a {@link io.modelcycle.core.drift.DriftReport}.
 */
package io.modelcycle.core.drift;
