package io.modelcycle.core;

/**
 * A store or service was briefly unavailable (throttling, timeouts, a busy database). The same call may
 * succeed later; workflows retry this error, and only this one, with backoff.
 */
public class TransientException extends ModelCycleException {

    public TransientException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "TRANSIENT";
    }
}
