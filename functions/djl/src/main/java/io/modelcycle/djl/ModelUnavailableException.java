package io.modelcycle.djl;

import io.modelcycle.core.ModelCycleException;

/** A model directory that cannot be loaded: {@code model.json} missing or damaged, or DJL refusing the parameters. */
public class ModelUnavailableException extends ModelCycleException {

    public ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "MODEL_UNAVAILABLE";
    }
}
