package io.modelcycle.core.registry;

import io.modelcycle.core.ConflictException;

/** An alias may only point at an APPROVED or DEPLOYED version; this one is in another status. */
public class VersionNotServableException extends ConflictException {

    public VersionNotServableException(String model, String alias, int version, VersionStatus status) {
        super("alias '" + alias + "' cannot point at version " + version + " of model '" + model + "': it is " + status
                + ", and only APPROVED or DEPLOYED versions can be served");
    }

    @Override
    public String code() {
        return "VERSION_NOT_SERVABLE";
    }
}
