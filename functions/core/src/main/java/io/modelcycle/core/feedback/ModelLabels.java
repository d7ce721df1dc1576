package io.modelcycle.core.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.Json;
import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.artifact.ArtifactKeys;
import io.modelcycle.core.artifact.ArtifactStore;
import io.modelcycle.core.registry.Alias;
import io.modelcycle.core.registry.Registry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The class labels a classifier was trained on, read from the {@code classes} array of the {@code model.json} the
 * trainer writes beside each version ({@code models/{model}/versions/{n}/model.json}, output order; for a binary
 * model the second label is the positive class). Read as a JSON tree, so core needs nothing of the model library.
 */
public final class ModelLabels {

    /** What a binary model's probability is compared against when its classes are unknown. */
    public static final List<String> DEFAULT_BINARY = List.of("0", "1");

    private ModelLabels() {
    }

    /** The classes of one version; empty when it has no {@code model.json} or the file lists none. */
    public static List<String> ofVersion(ArtifactStore artifacts, String model, int version) {
        String key = ArtifactKeys.versionFile(model, version, ArtifactKeys.MODEL_JSON);
        JsonNode spec;
        try {
            spec = Json.tree(new String(artifacts.read(key), StandardCharsets.UTF_8));
        } catch (NotFoundException e) {
            return List.of();
        }
        List<String> classes = new ArrayList<>();
        JsonNode array = spec.get("classes");
        if (array != null && array.isArray()) {
            array.forEach(c -> classes.add(c.asText()));
        }
        return List.copyOf(classes);
    }

    /**
     * The classes of the version serving the model: {@code production}, else {@code canary}. Empty when neither
     * exists or its {@code model.json} lists none; callers then accept any non-blank label.
     */
    public static List<String> serving(Registry registry, ArtifactStore artifacts, String model) {
        for (String alias : List.of(Alias.PRODUCTION, Alias.CANARY)) {
            Optional<Alias> a = registry.alias(model, alias);
            if (a.isPresent()) {
                List<String> classes = ofVersion(artifacts, model, a.get().version());
                if (!classes.isEmpty()) {
                    return classes;
                }
            }
        }
        return List.of();
    }
}
