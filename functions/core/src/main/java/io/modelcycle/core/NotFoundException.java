package io.modelcycle.core;

/** The named model, version, alias or artifact does not exist. */
public class NotFoundException extends ModelCycleException {

    public NotFoundException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "NOT_FOUND";
    }
}
