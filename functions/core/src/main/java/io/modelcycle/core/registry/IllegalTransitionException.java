package io.modelcycle.core.registry;

import io.modelcycle.core.ConflictException;

/** A status move the status machine forbids; the message names the current and the requested status. */
public class IllegalTransitionException extends ConflictException {

    private final VersionStatus current;
    private final VersionStatus requested;

    public IllegalTransitionException(String model, int version, VersionStatus current, VersionStatus requested) {
        super("version " + version + " of model '" + model + "' is " + current + " and cannot move to " + requested
                + (current.allowedMoves().isEmpty() ? " (" + current + " is final)" : "; allowed from " + current + ": " + current.allowedMoves()));
        this.current = current;
        this.requested = requested;
    }

    public VersionStatus current() {
        return current;
    }

    public VersionStatus requested() {
        return requested;
    }

    @Override
    public String code() {
        return "ILLEGAL_TRANSITION";
    }
}
