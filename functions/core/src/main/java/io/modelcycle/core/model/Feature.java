package io.modelcycle.core.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.modelcycle.core.ValidationException;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One input column. Categorical features list the values they accept; a value outside the list is refused at
 * serving time rather than silently mapped to "unknown", because silent mapping hides upstream bugs.
 *
 * @param name          column name, {@code [A-Za-z_][A-Za-z0-9_.-]{0,127}}
 * @param type          numeric or categorical
 * @param allowedValues for categorical features, the accepted values (non-empty, distinct); empty for numeric
 */
public record Feature(String name, FeatureType type, List<String> allowedValues) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,127}");

    public Feature {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ValidationException("name", "feature name '" + name + "' must match " + NAME.pattern());
        }
        if (type == null) {
            throw new ValidationException("type", "feature '" + name + "' needs a type: NUMERIC or CATEGORICAL");
        }
        allowedValues = allowedValues == null ? List.of() : List.copyOf(allowedValues);
        if (type == FeatureType.CATEGORICAL && allowedValues.isEmpty()) {
            throw new ValidationException("allowedValues", "categorical feature '" + name + "' needs allowedValues");
        }
        if (type == FeatureType.NUMERIC && !allowedValues.isEmpty()) {
            throw new ValidationException("allowedValues", "numeric feature '" + name + "' cannot list allowedValues");
        }
        if (new HashSet<>(allowedValues).size() != allowedValues.size()) {
            throw new ValidationException("allowedValues", "feature '" + name + "' lists a value twice");
        }
    }

    public static Feature numeric(String name) {
        return new Feature(name, FeatureType.NUMERIC, List.of());
    }

    public static Feature categorical(String name, List<String> allowedValues) {
        return new Feature(name, FeatureType.CATEGORICAL, allowedValues);
    }

    /** Derived from {@link #type()}; kept out of JSON so a written feature reads back (unknown properties are refused). */
    @JsonIgnore
    public boolean isNumeric() {
        return type == FeatureType.NUMERIC;
    }
}
