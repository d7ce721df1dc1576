package io.modelcycle.core.registry;

import io.modelcycle.core.Hashing;
import io.modelcycle.core.ValidationException;
import java.util.Map;

/**
 * Exactly what a version was trained from, so it can be reproduced and audited.
 *
 * @param datasetUri      where the training data was read, e.g. {@code s3://bucket/datasets/churn/2026-11-01.csv}
 * @param datasetSha256   SHA-256 of that data, null until it has been read
 * @param trainingImage   the container image (or {@code local} for the embedded backend)
 * @param hyperparameters as given to the trainer (all strings, as SageMaker passes them)
 * @param jobId           the training job's id, null until started
 * @param parentVersion   the version this one was meant to replace, null for the first
 * @param trigger         what started it: {@code manual}, {@code dataset-upload}, {@code drift}, {@code schedule}
 */
public record Lineage(String datasetUri, String datasetSha256, String trainingImage, Map<String, String> hyperparameters,
                      String jobId, Integer parentVersion, String trigger) {

    public Lineage {
        if (datasetUri == null || datasetUri.isBlank()) {
            throw new ValidationException("lineage.datasetUri", "is required");
        }
        if (datasetSha256 != null && !Hashing.isSha256Hex(datasetSha256)) {
            throw new ValidationException("lineage.datasetSha256", "must be 64 lower-case hex digits");
        }
        hyperparameters = hyperparameters == null ? Map.of() : Map.copyOf(hyperparameters);
        trigger = trigger == null ? "manual" : trigger;
        if (parentVersion != null && parentVersion < 1) {
            throw new ValidationException("lineage.parentVersion", "must be >= 1");
        }
    }

    public Lineage withJobId(String id) {
        return new Lineage(datasetUri, datasetSha256, trainingImage, hyperparameters, id, parentVersion, trigger);
    }

    public Lineage withDatasetSha256(String sha) {
        return new Lineage(datasetUri, sha, trainingImage, hyperparameters, jobId, parentVersion, trigger);
    }
}
