package io.modelcycle.core.dataset;

import io.modelcycle.core.ModelCycleException;

/** A dataset whose columns do not fit the model: a feature or the target is missing from the header, or a class is unknown. */
public class SchemaMismatchException extends ModelCycleException {

    public SchemaMismatchException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "SCHEMA_MISMATCH";
    }
}
