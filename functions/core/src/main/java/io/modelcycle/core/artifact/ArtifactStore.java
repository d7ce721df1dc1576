package io.modelcycle.core.artifact;

import io.modelcycle.core.IntegrityException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * Port: objects by key, each with the SHA-256 and length recorded when it was written and checked when it is
 * read. Content is streamed both ways, so objects far larger than the heap round-trip. A write is atomic: a
 * reader sees the old object or the new one, never a part.
 *
 * <p>Keys follow {@link ArtifactKeys}; implementations must pass {@code ArtifactStoreContract} in the testkit.
 *
 * <p>Errors: {@link io.modelcycle.core.NotFoundException} when the key does not exist,
 * {@link IntegrityException} when stored bytes do not match their recorded hash or length (raised by the
 * stream at the latest when it reaches the end), {@link io.modelcycle.core.ValidationException} for a bad key,
 * {@link io.modelcycle.core.TransientException} and {@link io.modelcycle.core.StoreException} as for every port.
 */
public interface ArtifactStore {

    /** Stores {@code content} (read to its end, not closed) under {@code key}, replacing any object there. */
    StoredObject put(String key, InputStream content);

    default StoredObject put(String key, byte[] content) {
        return put(key, new java.io.ByteArrayInputStream(content));
    }

    /**
     * Opens the object for reading. The stream throws {@link IntegrityException} if the bytes read do not hash to
     * the recorded SHA-256 or are shorter or longer than the recorded size; callers must read to the end (or use
     * {@link #read}) before trusting what they read.
     */
    InputStream open(String key);

    /** Reads a whole (small) object, verified. */
    default byte[] read(String key) {
        try (InputStream in = open(key)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key, e);
        }
    }

    /**
     * What is known about the object, or empty if there is none. An object written by another tool (not through a
     * store) has a null {@code sha256} until it is {@link #adopt adopted}.
     */
    Optional<StoredObject> stat(String key);

    /**
     * Records the SHA-256 and size of an object that another tool wrote (a dataset uploaded with
     * {@code aws s3 cp}, a file copied into the store's folder), computed from its bytes as they are now, so that it
     * can be read verified from then on. An object already recorded is returned unchanged.
     *
     * @throws io.modelcycle.core.NotFoundException if there is no such object
     * @throws io.modelcycle.core.ConcurrentUpdateException if the object changed while it was being read
     */
    StoredObject adopt(String key);

    /** Every object whose key starts with {@code prefix}, in key order. */
    List<StoredObject> list(String prefix);

    /** Deletes the object; deleting a missing key is not an error. */
    void delete(String key);

    /** A URI a person or another service can use for the object: {@code s3://bucket/key} or {@code file:/…}. */
    String uri(String key);
}
