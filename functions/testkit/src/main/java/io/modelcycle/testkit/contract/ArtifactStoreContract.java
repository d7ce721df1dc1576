package io.modelcycle.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcycle.core.Hashing;
import io.modelcycle.core.IntegrityException;
import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.artifact.ArtifactStore;
import io.modelcycle.core.artifact.StoredObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link ArtifactStore} must have: streaming put and read, SHA-256 and size recorded on
 * write and checked on read, ordered listing by prefix, idempotent delete, atomic overwrite, and clear errors
 * for missing keys, bad keys and damaged bytes. Extend it once per adapter.
 *
 * <p>The large-object (200 MB under {@code -Xmx128m}) check is in {@link LargeArtifactContract}, run in its own
 * JVM. If the store is {@link AutoCloseable} the contract closes it after each test.
 */
public abstract class ArtifactStoreContract {

    protected static final String KEY = "models/churn/versions/1/model.tar.gz";

    protected ArtifactStore store;

    /** A fresh, empty store. */
    protected abstract ArtifactStore createStore() throws Exception;

    /**
     * Replaces the bytes stored under {@code key} with {@code bytes} behind the store's back, leaving the recorded
     * SHA-256 and size as they were: what a disk error, a partial copy or a tampering would do.
     */
    protected abstract void overwriteBehindTheStoresBack(ArtifactStore store, String key, byte[] bytes) throws Exception;

    /**
     * Writes {@code bytes} under {@code key} the way another tool would (an {@code aws s3 cp}, a file copied into the
     * folder): the object exists, but no SHA-256 or size is recorded for it.
     */
    protected abstract void writeAsAnotherTool(ArtifactStore store, String key, byte[] bytes) throws Exception;

    @BeforeEach
    void createArtifactStore() throws Exception {
        store = createStore();
    }

    @AfterEach
    void closeArtifactStore() throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Test
    void putRecordsHashAndSizeAndReadReturnsTheSameBytes() {
        // GIVEN some bytes
        byte[] bytes = "a small model".getBytes(StandardCharsets.UTF_8);

        // WHEN they are stored
        StoredObject stored = store.put(KEY, bytes);

        // THEN the store recorded their SHA-256 and length, and gives them back unchanged
        assertThat(stored.key()).isEqualTo(KEY);
        assertThat(stored.sha256()).isEqualTo(Hashing.sha256Hex(bytes));
        assertThat(stored.size()).isEqualTo(bytes.length);
        assertThat(stored.lastModified()).isNotNull();
        assertThat(store.stat(KEY)).hasValueSatisfying(s -> {
            assertThat(s.sha256()).isEqualTo(stored.sha256());
            assertThat(s.size()).isEqualTo(stored.size());
        });
        assertThat(store.read(KEY)).isEqualTo(bytes);
    }

    @Test
    void openStreamsTheVerifiedBytes() throws IOException {
        // GIVEN an object of a few hundred kilobytes
        byte[] bytes = new PseudoRandomInputStream(7, 300_000).readAllBytes();
        store.put(KEY, new ByteArrayInputStream(bytes));

        // WHEN it is read through the stream in small pieces
        byte[] read;
        try (InputStream in = store.open(KEY)) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[1000];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
            read = out.toByteArray();
        }

        // THEN every byte arrives
        assertThat(read).isEqualTo(bytes);
    }

    @Test
    void anEmptyObjectRoundTrips() {
        // GIVEN / WHEN an empty object is stored
        StoredObject stored = store.put(KEY, new byte[0]);

        // THEN it exists, is empty, and hashes to the SHA-256 of nothing
        assertThat(stored.size()).isZero();
        assertThat(stored.sha256()).isEqualTo(Hashing.sha256Hex(new byte[0]));
        assertThat(store.read(KEY)).isEmpty();
        assertThat(store.stat(KEY)).isPresent();
    }

    @Test
    void putReadsTheStreamToItsEndWithoutClosingIt() {
        // GIVEN a stream the caller owns
        AtomicBoolean closed = new AtomicBoolean();
        InputStream content = new ByteArrayInputStream(new byte[] {1, 2, 3}) {
            @Override
            public void close() {
                closed.set(true);
            }
        };

        // WHEN it is stored
        store.put(KEY, content);

        // THEN it was read to its end and left open for the caller to close
        assertThat(closed).isFalse();
        assertThat(store.read(KEY)).containsExactly(1, 2, 3);
    }

    @Test
    void overwriteReplacesTheObjectAndItsRecordedHash() {
        // GIVEN an object
        store.put(KEY, "version one".getBytes(StandardCharsets.UTF_8));

        // WHEN the same key is written again with other bytes
        byte[] second = "version two, longer".getBytes(StandardCharsets.UTF_8);
        StoredObject stored = store.put(KEY, second);

        // THEN the new bytes and their hash are what the store holds
        assertThat(store.read(KEY)).isEqualTo(second);
        assertThat(store.stat(KEY)).hasValueSatisfying(s -> {
            assertThat(s.sha256()).isEqualTo(Hashing.sha256Hex(second)).isEqualTo(stored.sha256());
            assertThat(s.size()).isEqualTo(second.length);
        });
        assertThat(store.list("models/")).extracting(StoredObject::key).containsExactly(KEY);
    }

    @Test
    void aPutThatFailsMidStreamLeavesTheOldObjectIntact() {
        // GIVEN an object
        byte[] original = "the good model".getBytes(StandardCharsets.UTF_8);
        store.put(KEY, original);

        // WHEN a replacement fails part-way through its content
        InputStream failing = new InputStream() {
            private int served;

            @Override
            public int read() throws IOException {
                if (served++ >= 10_000) {
                    throw new IOException("network dropped");
                }
                return 'x';
            }
        };
        assertThatThrownBy(() -> store.put(KEY, failing)).isInstanceOf(RuntimeException.class);

        // THEN the old object is still there, whole, and nothing else appeared
        assertThat(store.read(KEY)).isEqualTo(original);
        assertThat(store.list("")).extracting(StoredObject::key).containsExactly(KEY);
    }

    @Test
    void listReturnsObjectsUnderAPrefixInKeyOrder() {
        // GIVEN objects written out of order, some outside the prefix
        for (String key : List.of("models/churn/versions/2/model.json", "models/churn/versions/1/model.tar.gz",
                "models/churn/versions/1/card.md", "models/churnx/versions/1/model.json", "datasets/churn/a.csv",
                "models/fraud/versions/1/model.json")) {
            store.put(key, key.getBytes(StandardCharsets.UTF_8));
        }

        // WHEN / THEN a listing holds exactly the keys starting with the prefix, sorted, with their metadata
        assertThat(store.list("models/churn/")).extracting(StoredObject::key).containsExactly(
                "models/churn/versions/1/card.md", "models/churn/versions/1/model.tar.gz",
                "models/churn/versions/2/model.json");
        assertThat(store.list("models/churn")).extracting(StoredObject::key).containsExactly(
                "models/churn/versions/1/card.md", "models/churn/versions/1/model.tar.gz",
                "models/churn/versions/2/model.json", "models/churnx/versions/1/model.json");
        assertThat(store.list("models/churn/versions/1/m")).singleElement().satisfies(s -> {
            assertThat(s.key()).isEqualTo("models/churn/versions/1/model.tar.gz");
            assertThat(s.sha256()).isEqualTo(Hashing.sha256Hex("models/churn/versions/1/model.tar.gz"));
            assertThat(s.size()).isEqualTo("models/churn/versions/1/model.tar.gz".length());
        });
        assertThat(store.list("")).hasSize(6);
        assertThat(store.list("reports/")).isEmpty();
    }

    @Test
    void deleteRemovesTheObjectAndIsIdempotent() {
        // GIVEN two objects
        store.put(KEY, new byte[] {1});
        store.put("models/churn/versions/1/card.md", new byte[] {2});

        // WHEN one is deleted, twice
        store.delete(KEY);
        store.delete(KEY);

        // THEN it is gone everywhere, and the other is untouched
        assertThat(store.stat(KEY)).isEmpty();
        assertThatThrownBy(() -> store.open(KEY)).isInstanceOf(NotFoundException.class).hasMessageContaining(KEY);
        assertThat(store.list("models/")).extracting(StoredObject::key).containsExactly("models/churn/versions/1/card.md");
        // AND deleting a key that never existed is not an error
        store.delete("models/never/written");
    }

    @Test
    void aMissingKeyIsNotFound() {
        // GIVEN an empty store
        // WHEN / THEN reading a key that does not exist says so, naming the key
        assertThat(store.stat(KEY)).isEmpty();
        assertThatThrownBy(() -> store.open(KEY)).isInstanceOf(NotFoundException.class).hasMessageContaining(KEY);
        assertThatThrownBy(() -> store.read(KEY)).isInstanceOf(NotFoundException.class).hasMessageContaining(KEY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/absolute/key", "trailing/", "a//b", "../escape", "models/../../etc/passwd",
            "models/./x", "back\\slash", "with space", "new\nline"})
    void anInvalidKeyIsRefusedAndNothingIsWritten(String key) {
        // WHEN / THEN every operation refuses the key with a validation error
        assertThatThrownBy(() -> store.put(key, new byte[] {1})).isInstanceOf(ValidationException.class)
                .hasMessageContaining("key");
        assertThatThrownBy(() -> store.open(key)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.stat(key)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.delete(key)).isInstanceOf(ValidationException.class);
        assertThat(store.list("")).isEmpty();
    }

    @Test
    void aNullKeyIsRefused() {
        // WHEN / THEN a missing key is a validation error, not a NullPointerException
        assertThatThrownBy(() -> store.put(null, new byte[] {1})).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.open(null)).isInstanceOf(ValidationException.class);
    }

    @Test
    void corruptedBytesOfTheSameLengthAreDetectedNamingTheKey() throws Exception {
        // GIVEN an object whose bytes were changed behind the store's back, keeping the length
        byte[] original = "weights: 0.1 0.2 0.3".getBytes(StandardCharsets.UTF_8);
        store.put(KEY, original);
        byte[] corrupted = original.clone();
        corrupted[3] ^= 0x01;
        overwriteBehindTheStoresBack(store, KEY, corrupted);

        // WHEN / THEN reading it fails with an integrity error that names the key
        assertThatThrownBy(() -> store.read(KEY)).isInstanceOf(IntegrityException.class)
                .hasMessageContaining(KEY).hasMessageContaining("corrupted");
        assertThatThrownBy(() -> {
            try (InputStream in = store.open(KEY)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        }).isInstanceOf(IntegrityException.class).hasMessageContaining(KEY);
        // AND the recorded hash is still the original's (the store did not "learn" the damage)
        assertThat(store.stat(KEY)).hasValueSatisfying(s -> assertThat(s.sha256()).isEqualTo(Hashing.sha256Hex(original)));
    }

    @Test
    void aTruncatedObjectIsDetectedNamingTheKey() throws Exception {
        // GIVEN an object cut short behind the store's back
        byte[] original = new PseudoRandomInputStream(3, 10_000).readAllBytes();
        store.put(KEY, original);
        overwriteBehindTheStoresBack(store, KEY, Arrays.copyOf(original, 6_000));

        // WHEN / THEN reading it fails with an integrity error that names the key and says it is truncated
        assertThatThrownBy(() -> store.read(KEY)).isInstanceOf(IntegrityException.class)
                .hasMessageContaining(KEY).hasMessageContaining("truncated");
    }

    @Test
    void anObjectThatGrewIsDetected() throws Exception {
        // GIVEN an object with bytes appended behind the store's back
        byte[] original = "model".getBytes(StandardCharsets.UTF_8);
        store.put(KEY, original);
        overwriteBehindTheStoresBack(store, KEY, "model and more".getBytes(StandardCharsets.UTF_8));

        // WHEN / THEN reading it fails with an integrity error naming the key
        assertThatThrownBy(() -> store.read(KEY)).isInstanceOf(IntegrityException.class).hasMessageContaining(KEY);
    }

    @Test
    void uriNamesTheObject() {
        // GIVEN an object
        store.put(KEY, new byte[] {1});

        // WHEN / THEN its URI is absolute and ends with the key
        String uri = store.uri(KEY);
        assertThat(java.net.URI.create(uri).isAbsolute()).isTrue();
        assertThat(uri).matches("(s3|file):.*").endsWith(KEY);
        assertThatThrownBy(() -> store.uri("../x")).isInstanceOf(ValidationException.class);
    }

    /**
     * A reader racing with writers sees one whole version or the other, never a mix and never a false integrity
     * error: the put is atomic together with its recorded hash.
     */
    @Test
    void readersNeverSeeAHalfWrittenOverwrite() throws Exception {
        // GIVEN two versions of an object of different lengths and contents
        byte[] a = new byte[64 * 1024];
        Arrays.fill(a, (byte) 'a');
        byte[] b = new byte[48 * 1024];
        Arrays.fill(b, (byte) 'b');
        store.put(KEY, a);

        // WHEN a writer alternates between them while two readers read
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<?>> futures = new ArrayList<>();
        try {
            futures.add(pool.submit(() -> {
                try {
                    for (int i = 0; i < 40; i++) {
                        store.put(KEY, i % 2 == 0 ? b : a);
                    }
                } finally {
                    writing.set(false);
                }
                return null;
            }));
            for (int r = 0; r < 2; r++) {
                futures.add(pool.submit(() -> {
                    do {
                        byte[] read = store.read(KEY); // throws IntegrityException if bytes and hash were mixed
                        reads.incrementAndGet();
                        assertThat(Arrays.equals(read, a) || Arrays.equals(read, b))
                                .as("a read returned %d bytes that are neither version", read.length).isTrue();
                    } while (writing.get());
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        // THEN every read was whole, and the last write won
        assertThat(reads.get()).isGreaterThanOrEqualTo(2);
        assertThat(store.read(KEY)).isEqualTo(a);
        assertThat(store.list("")).extracting(StoredObject::key).containsExactly(KEY);
    }

    @Test
    void an_object_written_by_another_tool_is_listed_unverified_and_refused_until_adopted() throws Exception {
        // GIVEN a dataset uploaded by another tool
        byte[] bytes = "a,b\n1,2\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String key = "datasets/churn/uploaded.csv";
        writeAsAnotherTool(store, key, bytes);
        // THEN it exists without a recorded hash, and reading it unverified is refused
        assertThat(store.stat(key)).hasValueSatisfying(o -> assertThat(o.sha256()).isNull());
        assertThatThrownBy(() -> store.read(key)).isInstanceOf(io.modelcycle.core.IntegrityException.class)
                .hasMessageContaining(key);
        // WHEN it is adopted
        var adopted = store.adopt(key);
        // THEN its hash and size are those of its bytes, and it reads back verified; adopting again changes nothing
        assertThat(adopted.sha256()).isEqualTo(io.modelcycle.core.Hashing.sha256Hex(bytes));
        assertThat(adopted.size()).isEqualTo(bytes.length);
        assertThat(store.read(key)).isEqualTo(bytes);
        assertThat(store.adopt(key).sha256()).isEqualTo(adopted.sha256());
        assertThat(store.stat(key)).hasValueSatisfying(o -> assertThat(o.sha256()).isEqualTo(adopted.sha256()));
    }

    @Test
    void adopting_a_missing_object_is_not_found() {
        assertThatThrownBy(() -> store.adopt("datasets/churn/missing.csv")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("missing.csv");
    }
}
