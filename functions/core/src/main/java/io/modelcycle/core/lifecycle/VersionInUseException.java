package io.modelcycle.core.lifecycle;

import io.modelcycle.core.ConflictException;
import java.util.List;

/** A version cannot be retired (or its artifacts removed) while aliases still route traffic to it. */
public class VersionInUseException extends ConflictException {

    public VersionInUseException(String model, int version, List<String> aliases) {
        super("version " + version + " of model '" + model + "' is still served by alias(es) " + aliases
                + "; point them elsewhere first");
    }

    @Override
    public String code() {
        return "VERSION_IN_USE";
    }
}
