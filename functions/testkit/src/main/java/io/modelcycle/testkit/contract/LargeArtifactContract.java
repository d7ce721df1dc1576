package io.modelcycle.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcycle.core.Hashing;
import io.modelcycle.core.artifact.ArtifactStore;
import io.modelcycle.core.artifact.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Artifacts stream: a {@value #SIZE_MB} MB artifact, generated on the fly, round-trips through the store with its
 * SHA-256 intact. Run it in a JVM with {@code -Xmx128m} (a separate surefire execution), so that a store that
 * buffers whole objects in memory fails with {@link OutOfMemoryError} instead of passing by luck.
 * Subclasses should be named {@code *LargeArtifactTest} so the build can route them to that execution.
 */
public abstract class LargeArtifactContract {

    protected static final int SIZE_MB = 200;
    protected static final long SIZE = SIZE_MB * 1024L * 1024L;
    protected static final long SEED = 20261129L;

    protected ArtifactStore store;

    /** A fresh, empty store. */
    protected abstract ArtifactStore createStore() throws Exception;

    @BeforeEach
    void createLargeStore() throws Exception {
        store = createStore();
    }

    @AfterEach
    void closeLargeStore() throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Test
    void aLargeArtifactStreamsThroughWithItsHash() throws IOException {
        // GIVEN a 200 MB artifact that exists only as a stream, and its SHA-256 computed while it is written
        String key = "models/big/versions/1/model.tar.gz";
        MessageDigest written = Hashing.sha256();
        StoredObject stored;

        // WHEN it is put and read back as a stream
        try (InputStream content = new DigestInputStream(new PseudoRandomInputStream(SEED, SIZE), written)) {
            stored = store.put(key, content);
        }
        String expected = Hashing.hex(written);
        MessageDigest read = Hashing.sha256();
        long count = 0;
        try (InputStream in = store.open(key)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                read.update(buffer, 0, n);
                count += n;
            }
        }

        // THEN the store recorded the right hash and size, and every byte came back
        assertThat(stored.size()).isEqualTo(SIZE);
        assertThat(stored.sha256()).isEqualTo(expected);
        assertThat(count).isEqualTo(SIZE);
        assertThat(Hashing.hex(read)).isEqualTo(expected);
        assertThat(store.stat(key)).hasValueSatisfying(s -> assertThat(s.sha256()).isEqualTo(expected));
        // AND the heap this ran in could never have held the artifact
        assertThat(Runtime.getRuntime().maxMemory()).as("run this test with -Xmx128m").isLessThan(SIZE);
        store.delete(key);
    }
}
