/**
 * Data profiles: compact, mergeable summaries of a data set that drift checks compare instead of raw rows.
 *
 * <p>A {@link io.modelcycle.core.profile.Profile} holds, per numeric feature, count, missing, mean, standard
 * deviation, min, max, up to {@value io.modelcycle.core.profile.NumericProfile#DISTINCT_LIMIT} distinct values, a
 * {@link io.modelcycle.core.profile.Histogram} on fixed edges (with per-bin sums, which doubles as the quantile
 * sketch) and, while the feature has at most {@code sampleLimit} values, the exact sorted values; per categorical
 * feature, counts per allowed value, out-of-set and missing; and the same for the model's own predictions.
 *
 * <p>Profiles are built by a {@link io.modelcycle.core.profile.ProfileBuilder} in one streaming pass with memory
 * bounded by the schema and the settings, never by the number of rows. A baseline derives its bin edges from its
 * own data; a current profile is built {@linkplain io.modelcycle.core.profile.ProfileBuilder#against against} the
 * baseline and reuses its edges, so both count on exactly the same bins. Profiles on the same edges merge into the
 * profile of the combined data.
 */
package io.modelcycle.core.profile;
