package io.modelcycle.djl.train;

import io.modelcycle.core.ModelCycleException;

/**
 * A training input that is missing or unusable, other than a dataset's content or a hyperparameter: the codes are
 * {@link #BAD_MODEL_DEFINITION}, {@link #BAD_CHAMPION} and {@link #NO_TRAINING_DATA}.
 */
public class TrainingInputException extends ModelCycleException {

    public static final String BAD_MODEL_DEFINITION = "BAD_MODEL_DEFINITION";
    public static final String BAD_CHAMPION = "BAD_CHAMPION";
    public static final String NO_TRAINING_DATA = "NO_TRAINING_DATA";

    private final String code;

    public TrainingInputException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }
}
