package io.modelcycle.core.registry;

import io.modelcycle.core.ValidationException;
import java.time.Instant;
import java.util.Map;

/**
 * One trained (or training) version of a model. Immutable: every change produces a new record with
 * {@code revision + 1}, and stores apply it only if the stored revision is still the one it was derived from.
 *
 * @param model        the model's name
 * @param number       1, 2, 3 … allocated by the store without gaps
 * @param status       where it is in its life
 * @param lineage      what it was trained from
 * @param artifact     the model artifact, once trained
 * @param metrics      evaluation metrics on the held-out split (and the champion's, prefixed {@code champion_})
 * @param profileKey   artifact key of the baseline profile used for drift checks
 * @param cardKey      artifact key of the model card
 * @param statusReason why it is in its status (a failure cause, a rejection reason), or null
 * @param createdAt    when it was registered
 * @param updatedAt    when it last changed
 * @param revision     1 when registered, +1 on every change
 */
public record ModelVersion(String model, int number, VersionStatus status, Lineage lineage, ArtifactRef artifact,
                           Map<String, Double> metrics, String profileKey, String cardKey, String statusReason,
                           Instant createdAt, Instant updatedAt, long revision) {

    public ModelVersion {
        if (number < 1) {
            throw new ValidationException("number", "version numbers start at 1");
        }
        if (status == null || lineage == null || createdAt == null || updatedAt == null) {
            throw new ValidationException("version", "status, lineage, createdAt and updatedAt are required");
        }
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        if (revision < 1) {
            throw new ValidationException("revision", "must be >= 1");
        }
    }

    /** What this version becomes after a change at {@code at}: same identity, next revision. */
    public ModelVersion next(VersionStatus newStatus, ArtifactRef newArtifact, Map<String, Double> newMetrics,
                             String newProfileKey, String newCardKey, String reason, Lineage newLineage, Instant at) {
        return new ModelVersion(model, number, newStatus, newLineage, newArtifact, newMetrics, newProfileKey,
                newCardKey, reason, createdAt, at, revision + 1);
    }
}
