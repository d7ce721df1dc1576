package io.modelcycle.core.artifact;

import io.modelcycle.core.Hashing;
import io.modelcycle.core.IntegrityException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Hashes and counts bytes as they are read, and at end of stream compares them with what was recorded at write
 * time. A truncated object (fewer bytes than recorded) and a corrupted one (same length, other bytes) are both
 * reported, naming the key, so no caller ever acts on damaged bytes without being told.
 */
public final class VerifyingInputStream extends FilterInputStream {

    private final String key;
    private final String expectedSha256;
    private final long expectedSize;
    private final String recorded;
    private final MessageDigest digest = Hashing.sha256();
    private long count;
    private boolean verified;

    public VerifyingInputStream(InputStream in, String key, String expectedSha256, long expectedSize) {
        this(in, key, expectedSha256, expectedSize, "when it was written");
    }

    /**
     * @param recorded where the expected hash and size come from, for the error message, e.g. {@code "in the
     *                 registry"}; the default is {@code "when it was written"}
     */
    public VerifyingInputStream(InputStream in, String key, String expectedSha256, long expectedSize, String recorded) {
        super(in);
        this.key = key;
        this.expectedSha256 = expectedSha256;
        this.expectedSize = expectedSize;
        this.recorded = recorded;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            verify();
        } else {
            digest.update((byte) b);
            count++;
            checkNotLonger();
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n < 0) {
            verify();
        } else {
            digest.update(buffer, offset, n);
            count += n;
            checkNotLonger();
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipping would leave bytes unhashed; read through them instead.
        byte[] sink = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(sink, 0, (int) Math.min(sink.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void checkNotLonger() {
        if (count > expectedSize) {
            throw new IntegrityException("artifact '" + key + "' is longer than the " + expectedSize
                    + " bytes recorded " + recorded);
        }
    }

    private void verify() {
        if (verified) {
            return;
        }
        if (count != expectedSize) {
            throw new IntegrityException("artifact '" + key + "' is truncated: read " + count + " bytes, "
                    + expectedSize + " were recorded " + recorded);
        }
        String actual = Hashing.hex(digest);
        if (!actual.equals(expectedSha256)) {
            throw new IntegrityException("artifact '" + key + "' is corrupted: its SHA-256 is " + actual + ", "
                    + expectedSha256 + " was recorded " + recorded);
        }
        verified = true;
    }
}
