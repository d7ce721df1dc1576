package io.modelcycle.embedded.training;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Packs a directory into a {@code .tar.gz} the way SageMaker packs {@code /opt/ml/model}: the directory's contents
 * at the archive's top level, POSIX ustar format (which {@code tar}, DJL's and core's readers all read), regular files
 * only, in name order so the same files give the same archive listing. A path longer than ustar can name (100
 * characters, or 155 + 100 split at a '/') is refused naming the file, rather than silently truncated.
 */
final class TarGzWriter {

    private static final int BLOCK = 512;
    private static final long MAX_SIZE = 077777777777L; // 11 octal digits

    private TarGzWriter() {
    }

    /** Writes every regular file under {@code directory} to {@code target}; returns the number of files. */
    static int pack(Path directory, OutputStream target) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        GZIPOutputStream gzip = new GZIPOutputStream(target, 64 * 1024);
        byte[] buffer = new byte[64 * 1024];
        for (Path file : files) {
            String name = directory.relativize(file).toString().replace(java.io.File.separatorChar, '/');
            long size = Files.size(file);
            gzip.write(header(name, size, Files.getLastModifiedTime(file).toMillis() / 1000));
            long written = 0;
            try (InputStream in = Files.newInputStream(file)) {
                for (int n = in.read(buffer); n >= 0 && written < size; n = in.read(buffer)) {
                    int take = (int) Math.min(n, size - written);
                    gzip.write(buffer, 0, take);
                    written += take;
                }
            }
            if (written != size) {
                throw new IOException(file + " shrank while it was being packed (" + written + " of " + size + " bytes)");
            }
            int padding = (int) ((BLOCK - size % BLOCK) % BLOCK);
            gzip.write(new byte[padding]);
        }
        gzip.write(new byte[2 * BLOCK]); // end of archive: two zero blocks
        gzip.finish();
        return files.size();
    }

    private static byte[] header(String name, long size, long mtimeSeconds) throws IOException {
        if (size > MAX_SIZE) {
            throw new IOException("'" + name + "' is " + size + " bytes, more than a ustar archive can hold");
        }
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = new byte[0];
        if (nameBytes.length > 100) {
            int split = splitPoint(name);
            if (split < 0) {
                throw new IOException("'" + name + "' is too long a path for a ustar archive");
            }
            prefix = name.substring(0, split).getBytes(StandardCharsets.UTF_8);
            nameBytes = name.substring(split + 1).getBytes(StandardCharsets.UTF_8);
        }
        byte[] header = new byte[BLOCK];
        System.arraycopy(nameBytes, 0, header, 0, nameBytes.length);
        octal(header, 100, 8, 0644);
        octal(header, 108, 8, 0);
        octal(header, 116, 8, 0);
        octal(header, 124, 12, size);
        octal(header, 136, 12, Math.max(0, mtimeSeconds));
        header[156] = '0';
        ascii(header, 257, "ustar\0");
        ascii(header, 263, "00");
        System.arraycopy(prefix, 0, header, 345, prefix.length);
        // The checksum is computed with its own field read as spaces.
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        String checksum = String.format("%06o", sum);
        ascii(header, 148, checksum);
        header[154] = 0;
        header[155] = ' ';
        return header;
    }

    /** Where to split {@code name} into a ustar prefix (at most 155 bytes) and name (at most 100), or -1. */
    private static int splitPoint(String name) {
        for (int i = name.length() - 1; i > 0; i--) {
            if (name.charAt(i) == '/') {
                int prefixLength = name.substring(0, i).getBytes(StandardCharsets.UTF_8).length;
                int nameLength = name.substring(i + 1).getBytes(StandardCharsets.UTF_8).length;
                if (nameLength > 100) {
                    return -1;
                }
                if (prefixLength <= 155 && nameLength > 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static void octal(byte[] header, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        String padded = "0".repeat(length - 1 - digits.length()) + digits;
        ascii(header, offset, padded);
        header[offset + length - 1] = 0;
    }

    private static void ascii(byte[] header, int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }
}
