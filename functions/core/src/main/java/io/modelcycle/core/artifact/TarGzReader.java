package io.modelcycle.core.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * Streams the regular files of a {@code .tar.gz} (ustar, GNU and pax archives, as SageMaker and {@code tar}
 * write them), one at a time, without unpacking to disk. Enough to pull {@code model.json} and friends out of a
 * training job's {@code model.tar.gz}.
 */
public final class TarGzReader implements AutoCloseable {

    /** One file in the archive; {@link #content()} is valid until the next call to {@link #next()}. */
    public record Entry(String name, long size, InputStream content) {
    }

    private final InputStream in;
    private long remainingInEntry;
    private long paddingAfterEntry;

    public TarGzReader(InputStream compressed) throws IOException {
        this.in = new GZIPInputStream(compressed, 64 * 1024);
    }

    /** The next regular file, or null at the end of the archive. Names have any leading {@code ./} removed. */
    public Entry next() throws IOException {
        skipFully(remainingInEntry + paddingAfterEntry);
        remainingInEntry = 0;
        paddingAfterEntry = 0;
        String longName = null;
        while (true) {
            byte[] header = in.readNBytes(512);
            if (header.length < 512 || isZero(header)) {
                return null;
            }
            String name = field(header, 0, 100);
            String prefix = field(header, 345, 155);
            long size = octal(header, 124, 12);
            char type = (char) header[156];
            long padding = (512 - size % 512) % 512;
            if (type == 'L') { // GNU long name: the next entry's name is the content
                longName = new String(in.readNBytes((int) size), StandardCharsets.UTF_8).replace("\0", "");
                skipFully(padding);
                continue;
            }
            if (type != '0' && type != '\0') { // directories, links, pax headers: not files we read
                skipFully(size + padding);
                longName = null;
                continue;
            }
            String full = longName != null ? longName : (prefix.isEmpty() ? name : prefix + "/" + name);
            while (full.startsWith("./")) {
                full = full.substring(2);
            }
            remainingInEntry = size;
            paddingAfterEntry = padding;
            return new Entry(full, size, new EntryStream());
        }
    }

    private final class EntryStream extends InputStream {
        @Override
        public int read() throws IOException {
            if (remainingInEntry <= 0) {
                return -1;
            }
            int b = in.read();
            if (b < 0) {
                throw new IOException("archive ends inside an entry");
            }
            remainingInEntry--;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remainingInEntry <= 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, remainingInEntry));
            if (n < 0) {
                throw new IOException("archive ends inside an entry");
            }
            remainingInEntry -= n;
            return n;
        }
    }

    private void skipFully(long n) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("archive ends early");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] header, int offset, int length) throws IOException {
        String text = field(header, offset, length).trim();
        if (text.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(text, 8);
        } catch (NumberFormatException e) {
            throw new IOException("tar header has a malformed size field '" + text + "'");
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
