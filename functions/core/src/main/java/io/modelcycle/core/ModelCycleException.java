package io.modelcycle.core;

/**
 * Root of every domain error. Each subclass has a stable {@link #code()} that APIs return to callers and
 * that workflows match on, so renaming one is a breaking change.
 */
public abstract class ModelCycleException extends RuntimeException {

    protected ModelCycleException(String message) {
        super(message);
    }

    protected ModelCycleException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A short machine-readable error code, for example {@code NOT_FOUND}. */
    public abstract String code();
}
