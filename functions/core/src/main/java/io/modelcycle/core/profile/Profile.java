package io.modelcycle.core.profile;

import io.modelcycle.core.ValidationException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The profile of a data set: one {@link FeatureProfile} per feature in schema order, plus the distribution of the
 * model's predictions when there are any. Immutable; serialises with {@link io.modelcycle.core.Json} (the trainer
 * writes a baseline as {@code models/{model}/versions/{n}/profile.json}) and reads back equal.
 *
 * @param rows        rows profiled
 * @param sampleLimit columns with at most this many values keep them exactly (see {@link NumericProfile#sample})
 * @param features    per feature, in schema order
 * @param prediction  the model's outputs, or null when the data carried none (a training set)
 */
public record Profile(long rows, int sampleLimit, List<FeatureProfile> features, FeatureProfile prediction) {

    /** The name of the prediction column; a feature cannot have it, so the two never clash in reports. */
    public static final String PREDICTION = "__prediction__";

    public Profile {
        if (rows < 0) {
            throw new ValidationException("profile.rows", "must be >= 0");
        }
        if (sampleLimit < 0) {
            throw new ValidationException("profile.sampleLimit", "must be >= 0");
        }
        if (features == null || features.isEmpty()) {
            throw new ValidationException("profile.features", "a profile needs at least one feature");
        }
        features = List.copyOf(features);
        Set<String> names = new HashSet<>();
        for (FeatureProfile f : features) {
            if (!names.add(f.name())) {
                throw new ValidationException("profile.features", "feature '" + f.name() + "' appears twice");
            }
        }
    }

    public Optional<FeatureProfile> feature(String name) {
        return features.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /**
     * The profile of both data sets together, as if one builder had seen every row of both. The two must describe
     * the same columns on the same bin edges: profiles built {@linkplain ProfileBuilder#against against} the same
     * baseline (or with the same explicit edges) always do.
     */
    public Profile merge(Profile other) {
        if (features.size() != other.features.size()) {
            throw new ValidationException("profile.features", "cannot merge profiles of " + features.size() + " and "
                    + other.features.size() + " features");
        }
        if ((prediction == null) != (other.prediction == null)) {
            throw new ValidationException("profile.prediction", "cannot merge a profile with predictions and one without");
        }
        int limit = Math.min(sampleLimit, other.sampleLimit);
        List<FeatureProfile> merged = new ArrayList<>(features.size());
        for (int i = 0; i < features.size(); i++) {
            merged.add(features.get(i).merge(other.features.get(i), limit));
        }
        return new Profile(rows + other.rows, limit, merged,
                prediction == null ? null : prediction.merge(other.prediction, limit));
    }
}
