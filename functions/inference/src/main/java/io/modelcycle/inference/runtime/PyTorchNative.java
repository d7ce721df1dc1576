package io.modelcycle.inference.runtime;

import io.modelcycle.core.Hashing;
import io.modelcycle.core.IntegrityException;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.artifact.ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Brings the PyTorch native library into a Lambda environment at init. The CPU build ({@code libtorch_cpu.so} and
 * friends) is about 450 MB unpacked, over the 250 MB limit of a deployment package, so the package leaves it out and
 * the handler fetches it from the artifact store instead: the archive is DJL's own
 * {@code ai.djl.pytorch:pytorch-native-cpu:<version>:linux-x86_64} jar, uploaded unchanged under the bucket's
 * {@code runtime/} prefix (see {@code functions/inference/publish-pytorch-native.sh}), and pinned by its SHA-256 in the
 * function's configuration.
 *
 * <p>{@link #install} streams the jar, extracts its {@code pytorch/cpu/linux-x86_64/} libraries into
 * {@code <root>/<sha256>/} while hashing every byte, and keeps the directory only if the whole archive matched the
 * pin (the store checks its own recorded hash as well); otherwise nothing is left behind and an
 * {@link IntegrityException} is thrown. An environment that already installed the same archive reuses it.
 * {@link Installed#apply} then points DJL at the directory, the documented offline set-up of the PyTorch engine:
 * {@code PYTORCH_LIBRARY_PATH} (the directory with {@code libtorch.so}), {@code PYTORCH_VERSION} and
 * {@code PYTORCH_FLAVOR} (so DJL neither looks on the class path nor downloads), {@code ENGINE_CACHE_DIR} (a writable
 * place under {@code /tmp} for the small JNI library DJL copies out of the {@code pytorch-jni} jar) and
 * {@code ai.djl.offline=true}. DJL reads each as an environment variable or, failing that, a system property, so it
 * must run before the engine is first used. On SnapStart all of it happens once, before the snapshot.
 */
public final class PyTorchNative {

    /** Where the libraries sit inside DJL's native jar. */
    static final String LIBRARY_PREFIX = "pytorch/cpu/linux-x86_64/";
    static final String PROPERTIES = "native/lib/pytorch.properties";
    private static final String COMPLETE = ".complete";

    private PyTorchNative() {
    }

    /**
     * An installed native library.
     *
     * @param libraryDir the directory holding {@code libtorch.so}
     * @param version    the PyTorch version, e.g. {@code 2.7.1}
     * @param flavor     the build flavor, e.g. {@code cpu}
     */
    public record Installed(Path libraryDir, String version, String flavor) {

        /** The settings that point DJL at this directory, offline. */
        public Map<String, String> settings(Path engineCacheDir) {
            Map<String, String> out = new LinkedHashMap<>();
            out.put("PYTORCH_LIBRARY_PATH", libraryDir.toString());
            out.put("PYTORCH_VERSION", version);
            out.put("PYTORCH_FLAVOR", flavor);
            out.put("ENGINE_CACHE_DIR", engineCacheDir.toString());
            out.put("ai.djl.offline", "true");
            return out;
        }

        /** Sets {@link #settings} as system properties; call before the PyTorch engine is first used. */
        public Installed apply(Path engineCacheDir) {
            try {
                Files.createDirectories(engineCacheDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + engineCacheDir, e);
            }
            settings(engineCacheDir).forEach(System::setProperty);
            return this;
        }
    }

    /**
     * Fetches and extracts the archive under {@code root}, or reuses an earlier extraction of the same archive.
     *
     * @throws IntegrityException  the archive does not hash to {@code sha256} (or to what the store recorded)
     * @throws ValidationException the archive is not a PyTorch native jar
     */
    public static Installed install(ArtifactStore store, String key, String sha256, Path root) {
        Path target = root.resolve(sha256);
        if (Files.exists(target.resolve(COMPLETE))) {
            return read(target);
        }
        Path work;
        try {
            Files.createDirectories(root);
            work = Files.createTempDirectory(root, sha256.substring(0, 12) + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory under " + root, e);
        }
        try {
            MessageDigest digest = Hashing.sha256();
            try (InputStream raw = store.open(key); DigestInputStream in = new DigestInputStream(raw, digest)) {
                extract(key, in, work);
                in.transferTo(OutputStream.nullOutputStream()); // the central directory: hashed too, and the store verifies at the end
            }
            String actual = Hashing.hex(digest);
            if (!actual.equals(sha256)) {
                throw new IntegrityException("PyTorch native archive '" + key + "' has SHA-256 " + actual + ", but "
                        + sha256 + " is pinned; refusing to load it");
            }
            Files.writeString(work.resolve(COMPLETE), key + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(work, target);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                deleteQuietly(work); // another process finished first: use its copy
            }
            return read(target);
        } catch (IOException e) {
            deleteQuietly(work);
            throw new UncheckedIOException("cannot extract PyTorch native archive '" + key + "'", e);
        } catch (RuntimeException e) {
            deleteQuietly(work);
            throw e;
        }
    }

    private static void extract(String key, InputStream in, Path work) throws IOException {
        ZipInputStream zip = new ZipInputStream(in);
        boolean properties = false;
        boolean libtorch = false;
        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
            String name = entry.getName();
            if (entry.isDirectory()) {
                continue;
            }
            if (name.equals(PROPERTIES)) {
                Files.copy(zip, work.resolve("pytorch.properties"));
                properties = true;
            } else if (name.startsWith(LIBRARY_PREFIX) && name.indexOf('/', LIBRARY_PREFIX.length()) < 0) {
                String file = name.substring(LIBRARY_PREFIX.length());
                Files.createDirectories(work.resolve("lib"));
                Files.copy(zip, work.resolve("lib").resolve(file));
                libtorch |= file.equals("libtorch.so");
            }
        }
        if (!properties || !libtorch) {
            throw new ValidationException("PYTORCH_NATIVE_KEY", "'" + key + "' is not a DJL pytorch-native-cpu "
                    + "linux-x86_64 jar: it lacks " + (properties ? LIBRARY_PREFIX + "libtorch.so" : PROPERTIES));
        }
    }

    private static Installed read(Path dir) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve("pytorch.properties"))) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve("pytorch.properties"), e);
        }
        String version = p.getProperty("version", "");
        int dash = version.indexOf('-'); // "2.7.1-20250812": DJL wants the release, not the build date
        return new Installed(dir.resolve("lib"), dash < 0 ? version : version.substring(0, dash),
                p.getProperty("flavor", "cpu"));
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a leftover directory under /tmp is harmless; it is never marked complete
        }
    }
}
