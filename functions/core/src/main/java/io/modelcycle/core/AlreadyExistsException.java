package io.modelcycle.core;

/** Something with that identity already exists, for example a model of the same name. */
public class AlreadyExistsException extends ConflictException {

    public AlreadyExistsException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "ALREADY_EXISTS";
    }
}
