package io.modelcycle.testkit.contract;

import java.io.InputStream;

/**
 * A deterministic stream of {@code length} pseudo-random bytes (xorshift64*), generated as it is read, so tests
 * can push artifacts far larger than the heap through a store without ever holding them. Two streams with the
 * same seed and length yield the same bytes.
 */
public final class PseudoRandomInputStream extends InputStream {

    private final long length;
    private long state;
    private long position;
    private long word;
    private int bytesLeftInWord;

    public PseudoRandomInputStream(long seed, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, got " + length);
        }
        this.length = length;
        this.state = seed == 0 ? 0x9E3779B97F4A7C15L : seed; // xorshift must not start at 0
    }

    private int nextByte() {
        if (bytesLeftInWord == 0) {
            state ^= state >>> 12;
            state ^= state << 25;
            state ^= state >>> 27;
            word = state * 0x2545F4914F6CDD1DL;
            bytesLeftInWord = 8;
        }
        int b = (int) (word & 0xFF);
        word >>>= 8;
        bytesLeftInWord--;
        return b;
    }

    @Override
    public int read() {
        if (position >= length) {
            return -1;
        }
        position++;
        return nextByte();
    }

    @Override
    public int read(byte[] buffer, int offset, int len) {
        java.util.Objects.checkFromIndexSize(offset, len, buffer.length);
        if (len == 0) {
            return 0;
        }
        if (position >= length) {
            return -1;
        }
        int n = (int) Math.min(len, length - position);
        for (int i = 0; i < n; i++) {
            buffer[offset + i] = (byte) nextByte();
        }
        position += n;
        return n;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, length - position);
    }
}
