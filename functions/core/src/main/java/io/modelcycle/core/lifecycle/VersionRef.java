package io.modelcycle.core.lifecycle;

import io.modelcycle.core.ValidationException;
import io.modelcycle.core.model.Model;

/**
 * One version of one model: the input of most lifecycle tasks ({@code {"model": "churn", "version": 3}} in a
 * workflow's task payload). Validated here, so a malformed payload fails naming the field.
 */
public record VersionRef(String model, Integer version) {
    public VersionRef {
        Model.requireName(model);
        if (version == null || version < 1) {
            throw new ValidationException("version", "is required and must be >= 1");
        }
    }
}
