package io.modelcycle.core;

/**
 * The change cannot be applied to the current state: another writer got there first, the thing already
 * exists, or the state forbids it. Retrying the same request unchanged will fail again; re-read first.
 */
public class ConflictException extends ModelCycleException {

    public ConflictException(String message) {
        super(message);
    }

    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "CONFLICT";
    }
}
