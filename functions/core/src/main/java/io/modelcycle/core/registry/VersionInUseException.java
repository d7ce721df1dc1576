package io.modelcycle.core.registry;

import io.modelcycle.core.ConflictException;
import java.util.List;

/** A version cannot leave service (be retired) while aliases still route traffic to it. */
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
