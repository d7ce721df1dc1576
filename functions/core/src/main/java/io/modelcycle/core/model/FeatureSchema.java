package io.modelcycle.core.model;

import io.modelcycle.core.ValidationException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The ordered input columns of a model. Order matters: it is the order of the model's input vector. */
public record FeatureSchema(List<Feature> features) {

    public static final int MAX_FEATURES = 1000;

    public FeatureSchema {
        if (features == null || features.isEmpty()) {
            throw new ValidationException("schema.features", "a schema needs at least one feature");
        }
        if (features.size() > MAX_FEATURES) {
            throw new ValidationException("schema.features", "at most " + MAX_FEATURES + " features, got " + features.size());
        }
        features = List.copyOf(features);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < features.size(); i++) {
            Feature feature = features.get(i);
            if (feature == null) {
                throw new ValidationException("schema.features[" + i + "]", "is null");
            }
            if (!seen.add(feature.name())) {
                throw new ValidationException("schema.features[" + i + "].name", "feature '" + feature.name() + "' appears twice");
            }
        }
    }

    public Optional<Feature> feature(String name) {
        return features.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    public List<String> names() {
        return features.stream().map(Feature::name).toList();
    }

    public int size() {
        return features.size();
    }
}
