package io.modelcycle.core.registry;

import io.modelcycle.core.ValidationException;

/**
 * Who makes a change and why; every write to the registry carries one, and it lands in the audit log.
 *
 * @param actor  an IAM principal, a user name, or a workflow such as {@code workflow:training-pipeline}
 * @param reason free text, may be null
 */
public record Change(String actor, String reason) {
    public Change {
        if (actor == null || actor.isBlank()) {
            throw new ValidationException("actor", "every change needs an actor");
        }
        if (reason != null && reason.length() > 2000) {
            throw new ValidationException("reason", "at most 2000 characters");
        }
    }

    public static Change by(String actor, String reason) {
        return new Change(actor, reason);
    }
}
