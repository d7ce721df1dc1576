package io.modelcycle.core.registry;

import io.modelcycle.core.ValidationException;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A name that points at a version: {@code production}, {@code canary}, {@code previous} or one of the user's.
 * Only {@code canary} carries a traffic weight, the share of requests sent to it instead of production.
 *
 * @param model     the model's name
 * @param name      {@code [a-z][a-z0-9-]{0,31}}
 * @param version   the version it points at
 * @param weight    for {@code canary}, in (0, 1); null for every other alias
 * @param updatedAt when it last changed (set by the store)
 */
public record Alias(String model, String name, int version, Double weight, Instant updatedAt) {

    public static final String PRODUCTION = "production";
    public static final String CANARY = "canary";
    public static final String PREVIOUS = "previous";
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    public Alias {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ValidationException("alias", "alias name '" + name + "' must match " + NAME.pattern());
        }
        if (version < 1) {
            throw new ValidationException("version", "must be >= 1, got " + version);
        }
        if (CANARY.equals(name)) {
            if (weight == null || !(weight > 0 && weight < 1)) {
                throw new ValidationException("weight", "the canary alias needs a weight in (0, 1), got " + weight);
            }
        } else if (weight != null) {
            throw new ValidationException("weight", "only the canary alias takes a weight; '" + name + "' serves all its traffic");
        }
    }
}
