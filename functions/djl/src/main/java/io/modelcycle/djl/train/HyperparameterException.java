package io.modelcycle.djl.train;

import io.modelcycle.core.ModelCycleException;

/** An unknown hyperparameter name or a malformed value; {@link #name()} says which. */
public class HyperparameterException extends ModelCycleException {

    private final String name;

    public HyperparameterException(String name, String detail) {
        super("hyperparameter '" + name + "': " + detail);
        this.name = name;
    }

    public String name() {
        return name;
    }

    @Override
    public String code() {
        return "BAD_HYPERPARAMETER";
    }
}
