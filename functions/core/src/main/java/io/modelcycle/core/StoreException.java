package io.modelcycle.core;

/** A store failed in a way that retrying will not fix: bad configuration, a missing table, denied access. */
public class StoreException extends ModelCycleException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "STORE_FAILURE";
    }
}
