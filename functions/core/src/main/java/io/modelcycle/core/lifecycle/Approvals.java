package io.modelcycle.core.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.Json;
import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.artifact.ArtifactKeys;
import io.modelcycle.core.registry.Change;
import io.modelcycle.core.registry.ModelVersion;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.core.workflow.WorkflowLauncher;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A person's approval or rejection of a version. The registry records it; if a training pipeline is waiting on
 * the version (manual approval policy), its task token is answered so the workflow goes on to deployment, or
 * ends as rejected.
 */
public final class Approvals {

    /** The error a rejected version's waiting workflow receives; the training pipeline catches it by this name. */
    public static final String REJECTED_ERROR = "VersionRejected";

    private final Registry registry;
    private final io.modelcycle.core.artifact.ArtifactStore artifacts;
    private final WorkflowLauncher workflows;

    public Approvals(Registry registry, io.modelcycle.core.artifact.ArtifactStore artifacts, WorkflowLauncher workflows) {
        this.registry = Objects.requireNonNull(registry);
        this.artifacts = Objects.requireNonNull(artifacts);
        this.workflows = Objects.requireNonNull(workflows);
    }

    static String tokenKey(String model, int version) {
        return ArtifactKeys.versionFile(model, version, "approval-token.json");
    }

    public ModelVersion approve(String model, int version, Change change) {
        ModelVersion approved = registry.approve(model, version, change);
        pendingToken(model, version).ifPresent(token -> {
            workflows.sendTaskSuccess(token, Json.write(Map.of("approvedBy", change.actor(), "version", version)));
            artifacts.delete(tokenKey(model, version));
        });
        return approved;
    }

    public ModelVersion reject(String model, int version, Change change) {
        ModelVersion rejected = registry.reject(model, version, change);
        pendingToken(model, version).ifPresent(token -> {
            workflows.sendTaskFailure(token, REJECTED_ERROR, "rejected by " + change.actor() + ": " + change.reason());
            artifacts.delete(tokenKey(model, version));
        });
        return rejected;
    }

    private Optional<String> pendingToken(String model, int version) {
        try {
            JsonNode node = Json.tree(new String(artifacts.read(tokenKey(model, version)), java.nio.charset.StandardCharsets.UTF_8));
            return Optional.of(node.get("taskToken").asText());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }
}
