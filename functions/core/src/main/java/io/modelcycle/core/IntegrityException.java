package io.modelcycle.core;

/**
 * Stored bytes are not the bytes that were written: the SHA-256 or the length differs from what was recorded
 * at write time, or an audit chain is broken. Never retried: the data must be repaired or re-created.
 */
public class IntegrityException extends ModelCycleException {

    public IntegrityException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "INTEGRITY_FAILURE";
    }
}
