package io.modelcycle.registryapi;

import io.modelcycle.core.ValidationException;
import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.model.Policies;
import io.modelcycle.core.model.Task;
import io.modelcycle.core.registry.Alias;
import io.modelcycle.core.registry.Lineage;
import java.util.List;
import java.util.Map;

/**
 * The request and response bodies of the registry API that are not core records themselves. Request records
 * refuse unknown fields (through {@link io.modelcycle.core.Json}) and validate what the core records do not.
 */
public final class RegistryRequests {

    private RegistryRequests() {
    }

    /** Body of {@code POST /models}: a model definition; the registry sets {@code createdAt}. */
    public record CreateModel(String name, Task task, FeatureSchema schema, String target, String owner,
                              Map<String, String> tags, Policies policies) {
        /** The model this request defines; throws a {@link ValidationException} naming the first bad field. */
        public Model toModel() {
            return new Model(name, task, schema, target, owner, tags, policies, null);
        }
    }

    /** Body of {@code POST /models/{name}/versions}: registers the next version, in status TRAINING. */
    public record RegisterVersion(Lineage lineage, String reason) {
        public RegisterVersion {
            if (lineage == null) {
                throw new ValidationException("lineage", "is required: at least {\"datasetUri\": \"…\"}");
            }
        }
    }

    /** Optional body of {@code POST …/approve}. */
    public record Approve(String reason) {
    }

    /** Body of {@code POST …/reject}; a rejection without a reason is refused. */
    public record Reject(String reason) {
        public Reject {
            if (reason == null || reason.isBlank()) {
                throw new ValidationException("reason", "a rejection needs a reason");
            }
        }
    }

    /**
     * Body of {@code PUT /models/{name}/aliases/{alias}}: point the alias at {@code version} if it now points at
     * {@code expectedVersion} (omit it when the alias must not exist yet).
     */
    public record SetAlias(Integer version, Integer expectedVersion, Double weight, String reason) {
        public SetAlias {
            if (version == null) {
                throw new ValidationException("version", "is required: the version the alias should point at");
            }
            if (expectedVersion != null && expectedVersion < 1) {
                throw new ValidationException("expectedVersion", "must be >= 1, or omitted when the alias does not exist yet");
            }
        }
    }

    /** Response of {@code GET /models/{name}} and {@code POST /models}: the model and where its aliases point. */
    public record ModelDetails(Model model, List<Alias> aliases) {
        public ModelDetails {
            aliases = List.copyOf(aliases);
        }
    }
}
