package io.modelcycle.core.profile;

import io.modelcycle.core.ValidationException;
import io.modelcycle.core.model.FeatureType;

/**
 * The profile of one column: a feature, or the model's predictions. Exactly one of {@code numeric} and
 * {@code categorical} is set, matching {@code type}.
 */
public record FeatureProfile(String name, FeatureType type, NumericProfile numeric, CategoricalProfile categorical) {

    public FeatureProfile {
        if (name == null || name.isBlank()) {
            throw new ValidationException("profile.features.name", "is required");
        }
        if (type == null) {
            throw new ValidationException("profile.features." + name + ".type", "is required");
        }
        if ((type == FeatureType.NUMERIC) != (numeric != null) || (type == FeatureType.CATEGORICAL) != (categorical != null)) {
            throw new ValidationException("profile.features." + name, "a " + type + " column needs exactly its "
                    + type.name().toLowerCase() + " summary");
        }
    }

    public boolean numericType() {
        return type == FeatureType.NUMERIC;
    }

    /** Non-missing values. */
    public long count() {
        return numericType() ? numeric.count() : categorical.count();
    }

    public double missingShare() {
        return numericType() ? numeric.missingShare() : categorical.missingShare();
    }

    FeatureProfile merge(FeatureProfile other, int sampleLimit) {
        if (!name.equals(other.name) || type != other.type) {
            throw new ValidationException("profile.features", "cannot merge column " + name + " (" + type + ") with "
                    + other.name + " (" + other.type + ")");
        }
        return numericType()
                ? new FeatureProfile(name, type, numeric.merge(other.numeric, sampleLimit), null)
                : new FeatureProfile(name, type, null, categorical.merge(other.categorical));
    }
}
