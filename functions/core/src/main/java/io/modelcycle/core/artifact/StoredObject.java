package io.modelcycle.core.artifact;

import java.time.Instant;

/**
 * What a store knows about one object.
 *
 * @param key          its key
 * @param sha256       lower-case hex SHA-256 recorded when it was written
 * @param size         length in bytes recorded when it was written
 * @param lastModified when it was written
 */
public record StoredObject(String key, String sha256, long size, Instant lastModified) {
}
