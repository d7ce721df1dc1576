package io.modelcycle.core.model;

import io.modelcycle.core.ValidationException;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A registered model: everything that is true of all its versions.
 *
 * @param name      {@code [a-z0-9][a-z0-9-]{0,62}}; it appears in S3 keys, metric dimensions and URLs
 * @param task      what it predicts
 * @param schema    the ordered input features
 * @param target    the column to predict; not one of the features
 * @param owner     who answers for it (a team or a person)
 * @param tags      free-form labels
 * @param policies  the rules of its life; defaults where null
 * @param createdAt set by the registry when stored; null in a definition not yet stored
 */
public record Model(String name, Task task, FeatureSchema schema, String target, String owner,
                    Map<String, String> tags, Policies policies, Instant createdAt) {

    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public Model {
        requireName(name);
        if (task == null) {
            throw new ValidationException("task", "is required: BINARY_CLASSIFICATION, MULTICLASS_CLASSIFICATION or REGRESSION");
        }
        if (schema == null) {
            throw new ValidationException("schema", "is required");
        }
        if (target == null || target.isBlank()) {
            throw new ValidationException("target", "is required: the column to predict");
        }
        if (schema.feature(target).isPresent()) {
            throw new ValidationException("target", "'" + target + "' is also a feature; the target cannot be an input");
        }
        if (owner == null || owner.isBlank()) {
            throw new ValidationException("owner", "is required");
        }
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        policies = policies == null ? Policies.defaults() : policies;
    }

    /** Throws a {@link ValidationException} on the {@code name} field unless {@code name} is a valid model name. */
    public static String requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ValidationException("name", "model name '" + name + "' must match " + NAME.pattern());
        }
        return name;
    }

    public Model withCreatedAt(Instant at) {
        return new Model(name, task, schema, target, owner, tags, policies, at);
    }
}
