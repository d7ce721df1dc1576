package io.modelcycle.djl.train;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Unpacks a {@code .tar.gz} (ustar/GNU, regular files and directories only), which is how SageMaker hands back a
 * job's model directory; small enough not to need a compression library.
 */
final class TarGz {

    private TarGz() {
    }

    /** Extracts {@code archive} into {@code target}; entries that would land outside {@code target} are refused. */
    static void extract(Path archive, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive), 1 << 16)) {
            byte[] header = new byte[512];
            String longName = null;
            while (readFully(in, header)) {
                if (isZero(header)) {
                    break;
                }
                String name = longName != null ? longName : text(header, 0, 100);
                longName = null;
                String prefix = text(header, 345, 155);
                if (!prefix.isEmpty() && header[257] == 'u') {
                    name = prefix + "/" + name;
                }
                long size = Long.parseLong(text(header, 124, 12).trim().isEmpty() ? "0" : text(header, 124, 12).trim(), 8);
                char type = (char) header[156];
                byte[] data = null;
                if (type == 'L' || type == '0' || type == '\0') {
                    data = in.readNBytes((int) size);
                    if (data.length != size) {
                        throw new IOException("truncated entry " + name);
                    }
                    in.skipNBytes((512 - size % 512) % 512);
                } else if (size > 0) {
                    in.skipNBytes(size + (512 - size % 512) % 512);
                }
                if (type == 'L') { // GNU long name for the next entry
                    longName = new String(data, StandardCharsets.UTF_8).replace("\0", "");
                    continue;
                }
                Path out = root.resolve(name).normalize();
                if (!out.startsWith(root)) {
                    throw new IOException("entry '" + name + "' escapes the target directory");
                }
                if (type == '5') {
                    Files.createDirectories(out);
                } else if (type == '0' || type == '\0') {
                    Files.createDirectories(out.getParent());
                    Files.write(out, data);
                }
            }
        }
    }

    private static boolean readFully(InputStream in, byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, block.length);
        return n == block.length;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] b, int offset, int length) {
        int end = offset;
        while (end < offset + length && b[end] != 0) {
            end++;
        }
        return new String(b, offset, end - offset, StandardCharsets.UTF_8);
    }
}
