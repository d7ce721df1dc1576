package io.modelcycle.core.registry;

import io.modelcycle.core.Hashing;
import io.modelcycle.core.ValidationException;

/**
 * Where a version's model artifact lives and what its bytes must hash to. Serving refuses an artifact whose
 * SHA-256 differs from this record.
 *
 * @param key    the key in the artifact store, e.g. {@code models/churn/versions/3/model.tar.gz}
 * @param sha256 lower-case hex SHA-256 of the bytes
 * @param size   length in bytes
 */
public record ArtifactRef(String key, String sha256, long size) {
    public ArtifactRef {
        if (key == null || key.isBlank()) {
            throw new ValidationException("artifact.key", "is required");
        }
        if (!Hashing.isSha256Hex(sha256)) {
            throw new ValidationException("artifact.sha256", "must be 64 lower-case hex digits");
        }
        if (size < 0) {
            throw new ValidationException("artifact.size", "must be >= 0");
        }
    }
}
