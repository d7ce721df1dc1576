package io.modelcycle.djl;

import io.modelcycle.core.model.FeatureType;
import java.util.List;

/**
 * How one feature becomes input columns, as learned from the training split and stored in {@code model.json}.
 *
 * @param name   the feature
 * @param type   numeric or categorical
 * @param mean   numeric: the training mean of the present values (a missing value is imputed with it, i.e. 0
 *               after standardisation); 0 for categorical
 * @param std    numeric: the training standard deviation, 1 when it was 0 or undefined; 1 for categorical
 * @param levels categorical: the schema's allowed values, one input column each; empty for numeric
 */
public record FeatureEncoding(String name, FeatureType type, double mean, double std, List<String> levels) {

    public FeatureEncoding {
        if (name == null || type == null) {
            throw new IllegalArgumentException("name and type are required");
        }
        if (!Double.isFinite(mean) || !(std > 0) || !Double.isFinite(std)) {
            throw new IllegalArgumentException("feature '" + name + "' needs a finite mean and a positive std");
        }
        levels = levels == null ? List.of() : List.copyOf(levels);
    }

    /** Input columns: the value and a missing flag (numeric), or one per level and a missing flag (categorical). */
    public int width() {
        return type == FeatureType.NUMERIC ? 2 : levels.size() + 1;
    }
}
