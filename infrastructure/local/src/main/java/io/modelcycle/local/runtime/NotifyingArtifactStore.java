package io.modelcycle.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.artifact.ArtifactStore;
import io.modelcycle.core.artifact.StoredObject;
import io.modelcycle.local.events.AwsEvents;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The runtime's artifact store: the embedded one, plus S3's event notifications. Every object written under
 * {@code notifyPrefix} (the runtime's: every key, as a bucket with EventBridge notifications enabled does) produces the
 * {@code Object Created} event S3 sends to EventBridge, with the bucket name the workflows' S3 URIs use
 * and the object's MD5 as ETag (a single-part upload's), and hands it to {@code events} after the write is complete.
 */
final class NotifyingArtifactStore implements ArtifactStore {

    private final ArtifactStore delegate;
    private final String bucket;
    private final String notifyPrefix;
    private final Clock clock;
    private volatile Consumer<JsonNode> events = e -> { };

    NotifyingArtifactStore(ArtifactStore delegate, String bucket, String notifyPrefix, Clock clock) {
        this.delegate = Objects.requireNonNull(delegate);
        this.bucket = Objects.requireNonNull(bucket);
        this.notifyPrefix = Objects.requireNonNull(notifyPrefix);
        this.clock = Objects.requireNonNull(clock);
    }

    void onObjectCreated(Consumer<JsonNode> events) {
        this.events = Objects.requireNonNull(events);
    }

    @Override
    public StoredObject put(String key, InputStream content) {
        if (key == null || !key.startsWith(notifyPrefix)) {
            return delegate.put(key, content);
        }
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
        StoredObject stored = delegate.put(key, new DigestInputStream(content, md5));
        events.accept(AwsEvents.objectCreated(bucket, key, stored.size(), HexFormat.of().formatHex(md5.digest()),
                clock.instant()));
        return stored;
    }

    @Override
    public InputStream open(String key) {
        return delegate.open(key);
    }

    @Override
    public Optional<StoredObject> stat(String key) {
        return delegate.stat(key);
    }

    /** Delegates; declared without {@code @Override} so this compiles against core with or without it. */
    public StoredObject adopt(String key) {
        return delegate.adopt(key);
    }

    @Override
    public List<StoredObject> list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public void delete(String key) {
        delegate.delete(key);
    }

    @Override
    public String uri(String key) {
        return delegate.uri(key); // a file: URI a person can open; workflows build their s3:// URIs themselves
    }
}
