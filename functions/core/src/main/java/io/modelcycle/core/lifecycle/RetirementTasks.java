package io.modelcycle.core.lifecycle;

import io.modelcycle.core.IntegrityException;
import io.modelcycle.core.artifact.ArtifactKeys;
import io.modelcycle.core.artifact.ArtifactStore;
import io.modelcycle.core.artifact.StoredObject;
import io.modelcycle.core.model.Policies.RetentionPolicy;
import io.modelcycle.core.registry.Alias;
import io.modelcycle.core.registry.Change;
import io.modelcycle.core.registry.IllegalTransitionException;
import io.modelcycle.core.registry.ModelVersion;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.core.registry.VersionInUseException;
import io.modelcycle.core.registry.VersionStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * Retirement, in the order that keeps serving safe: refuse while any alias points at the version, mark it
 * RETIRED (after which no alias can be pointed at it), then archive or delete its artifacts per the model's
 * retention policy. Marking before removing artifacts closes the window in which someone could point an alias
 * at a version whose files are being moved. Metadata and the audit trail are always kept.
 */
public final class RetirementTasks {

    /** What {@link #applyRetention} did. */
    public record RetentionResult(RetentionPolicy.Action action, int objects, long bytes) {
    }

    private final Registry registry;
    private final ArtifactStore artifacts;
    private final String actor;

    public RetirementTasks(Registry registry, ArtifactStore artifacts, String actor) {
        this.registry = Objects.requireNonNull(registry);
        this.artifacts = Objects.requireNonNull(artifacts);
        this.actor = Objects.requireNonNull(actor);
    }

    /** Fails with {@link VersionInUseException} while aliases point at the version, or if it cannot be retired. */
    public ModelVersion checkRetirable(VersionRef ref) {
        ModelVersion version = registry.version(ref.model(), ref.version());
        if (version.status() == VersionStatus.RETIRED) {
            return version;
        }
        if (!version.status().canMoveTo(VersionStatus.RETIRED)) {
            throw new IllegalTransitionException(ref.model(), ref.version(), version.status(), VersionStatus.RETIRED);
        }
        List<String> serving = registry.aliases(ref.model()).stream()
                .filter(a -> a.version() == ref.version()).map(Alias::name).toList();
        if (!serving.isEmpty()) {
            throw new VersionInUseException(ref.model(), ref.version(), serving);
        }
        return version;
    }

    /** Re-checks the aliases (they may have changed since the check) and moves the version to RETIRED. */
    public ModelVersion markRetired(VersionRef ref) {
        checkRetirable(ref);
        return registry.transition(ref.model(), ref.version(), VersionStatus.RETIRED,
                Change.by(actor, "retired by the retirement workflow"));
    }

    /**
     * Archives (copies under {@code archive/}, verified, then deletes) or deletes the version's artifacts. Only
     * RETIRED versions are touched. Running it again finds nothing left to move and does nothing.
     */
    public RetentionResult applyRetention(VersionRef ref) {
        ModelVersion version = registry.version(ref.model(), ref.version());
        if (version.status() != VersionStatus.RETIRED) {
            throw new IllegalTransitionException(ref.model(), ref.version(), version.status(), VersionStatus.RETIRED);
        }
        RetentionPolicy.Action action = registry.model(ref.model()).policies().retention().action();
        int count = 0;
        long bytes = 0;
        for (StoredObject object : artifacts.list(ArtifactKeys.versionPrefix(ref.model(), ref.version()))) {
            if (action == RetentionPolicy.Action.ARCHIVE) {
                archive(object);
            }
            artifacts.delete(object.key());
            count++;
            bytes += object.size();
        }
        return new RetentionResult(action, count, bytes);
    }

    private void archive(StoredObject object) {
        String target = ArtifactKeys.archived(object.key());
        StoredObject copy;
        try (InputStream in = artifacts.open(object.key())) {
            copy = artifacts.put(target, in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot archive " + object.key(), e);
        }
        // The original is deleted next, so the copy must be proven identical first.
        if (!copy.sha256().equals(object.sha256()) || copy.size() != object.size()) {
            throw new IntegrityException("archived copy of '" + object.key() + "' differs from the original; original kept");
        }
    }
}
