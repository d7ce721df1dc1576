package io.modelcycle.core.dataset;

import io.modelcycle.core.model.FeatureSchema;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One example: feature values in schema order ({@link Double} for numeric, {@link String} for categorical, null
 * when missing) and the target ({@link String} class label or {@link Double} value; null in unlabeled data).
 */
public record Row(List<Object> features, Object target) {

    public Row {
        if (features == null) {
            throw new IllegalArgumentException("features are required");
        }
        // List.copyOf refuses nulls, and null is how a missing value is written.
        features = Collections.unmodifiableList(Arrays.asList(features.toArray()));
    }

    /** Feature values keyed by name, in schema order; the shape the predictor and the inference API take. */
    public Map<String, Object> toMap(FeatureSchema schema) {
        Map<String, Object> map = new LinkedHashMap<>();
        List<String> names = schema.names();
        for (int i = 0; i < names.size(); i++) {
            map.put(names.get(i), features.get(i));
        }
        return map;
    }

    /** How many feature values are missing. */
    public int missingCount() {
        int n = 0;
        for (Object v : features) {
            if (v == null) {
                n++;
            }
        }
        return n;
    }
}
