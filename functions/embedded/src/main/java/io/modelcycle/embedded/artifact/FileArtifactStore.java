package io.modelcycle.embedded.artifact;

import io.modelcycle.core.Hashing;
import io.modelcycle.core.IntegrityException;
import io.modelcycle.core.Json;
import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.StoreException;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.artifact.ArtifactKeys;
import io.modelcycle.core.artifact.ArtifactStore;
import io.modelcycle.core.artifact.StoredObject;
import io.modelcycle.core.artifact.VerifyingInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@link ArtifactStore} on a local directory: key {@code a/b/c} is the file {@code root/a/b/c}, so artifacts can
 * be inspected with ordinary tools. Next to each object lies a sidecar {@code c#sha256} holding the SHA-256, size
 * and write time recorded when it was written; temporary files are named {@code c#tmp.*}. {@code #} cannot appear
 * in a key ({@link ArtifactKeys}), so neither can collide with an object, and listings skip both.
 *
 * <p>A put streams into a temporary file in the target's directory while hashing, forces it to disk, writes the
 * sidecar the same way, then renames both into place (atomic within one file system) and forces the directory.
 * A failed put leaves the previous object untouched. The two renames are one step for readers in this JVM: they
 * happen under a per-key write lock, and a reader takes the read lock only while it reads the sidecar and opens
 * the object, so an overwrite never shows it new bytes with an old hash (open file handles keep reading the file
 * they opened). A crash between the two renames leaves an object whose bytes and sidecar disagree, which the next
 * read reports as an {@link IntegrityException} rather than serving silently. Readers in other processes are not
 * covered by the lock; the embedded runtime runs in one process.
 *
 * <p>A key cannot name both an object and a folder of other objects ({@code a} and {@code a/b}), as a file system
 * cannot hold both; such a put is refused with a {@link ValidationException}.
 */
public final class FileArtifactStore implements ArtifactStore {

    /** Separates an object's file name from its sidecar's and temporaries' suffix; never part of a key. */
    static final String MARK = "#";
    static final String SIDECAR_SUFFIX = MARK + "sha256";
    private static final String TEMP_INFIX = MARK + "tmp.";
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._=+/-]*");
    private static final int BUFFER = 64 * 1024;

    /** Striped, shared by every store in this JVM, so two instances on one root still exclude each other. */
    private static final ReadWriteLock[] LOCKS = new ReadWriteLock[256];

    static {
        for (int i = 0; i < LOCKS.length; i++) {
            LOCKS[i] = new ReentrantReadWriteLock();
        }
    }

    private final Path root;
    private final Clock clock;

    /** What the sidecar records about an object when it is written. */
    record Sidecar(String sha256, long size, Instant written) {
        Sidecar {
            if (!Hashing.isSha256Hex(sha256) || size < 0 || written == null) {
                throw new IllegalArgumentException("a sidecar needs a SHA-256, a size >= 0 and a time");
            }
        }
    }

    /** A store under {@code root}, created if missing. */
    public FileArtifactStore(Path root, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        try {
            this.root = Files.createDirectories(Objects.requireNonNull(root, "root")).toRealPath();
        } catch (IOException e) {
            throw new StoreException("cannot use '" + root + "' as the artifact root: " + e.getMessage(), e);
        }
    }

    public FileArtifactStore(Path root) {
        this(root, Clock.systemUTC());
    }

    /** The directory objects are stored under. */
    public Path root() {
        return root;
    }

    /** The file holding {@code key}'s bytes. Validates the key. */
    public Path pathOf(String key) {
        ArtifactKeys.require(key);
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            // ArtifactKeys already forbids '..' segments; this is the last line of defence.
            throw new ValidationException("key", "artifact key '" + key + "' leaves the store's root");
        }
        return path;
    }

    static Path sidecarOf(Path object) {
        return object.resolveSibling(object.getFileName() + SIDECAR_SUFFIX);
    }

    @Override
    public StoredObject put(String key, InputStream content) {
        Objects.requireNonNull(content, "content");
        Path target = pathOf(key);
        if (Files.isDirectory(target)) {
            throw new ValidationException("key", "artifact key '" + key + "' is a folder of other artifacts; "
                    + "a key cannot name both an object and a folder");
        }
        Path dir = target.getParent();
        for (Path p = dir; !p.equals(root); p = p.getParent()) {
            if (Files.isRegularFile(p)) {
                throw new ValidationException("key", "artifact key '" + key + "' lies under the existing object '"
                        + root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/")
                        + "'; a key cannot name both an object and a folder");
            }
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreException("cannot create the folder of artifact '" + key + "': " + e.getMessage(), e);
        }
        String suffix = TEMP_INFIX + Long.toHexString(ThreadLocalRandom.current().nextLong());
        Path tempObject = dir.resolve(target.getFileName() + suffix);
        Path tempSidecar = dir.resolve(target.getFileName() + SIDECAR_SUFFIX + suffix);
        try {
            Sidecar sidecar = writeObject(key, content, tempObject);
            writeFully(tempSidecar, Json.write(sidecar).getBytes(StandardCharsets.UTF_8));
            ReadWriteLock lock = lockOf(target);
            lock.writeLock().lock();
            try {
                Files.move(tempObject, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tempSidecar, sidecarOf(target), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } finally {
                lock.writeLock().unlock();
            }
            forceDirectory(dir);
            return new StoredObject(key, sidecar.sha256(), sidecar.size(), sidecar.written());
        } catch (IOException e) {
            throw new StoreException("cannot write artifact '" + key + "': " + e.getMessage(), e);
        } finally {
            deleteQuietly(tempObject);
            deleteQuietly(tempSidecar);
        }
    }

    /** Streams {@code content} into {@code file} while hashing it, and forces it to disk. */
    private Sidecar writeObject(String key, InputStream content, Path file) throws IOException {
        MessageDigest digest = Hashing.sha256();
        long size = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[BUFFER];
            ByteBuffer wrapped = ByteBuffer.wrap(buffer);
            for (int n; (n = content.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
                size += n;
                wrapped.clear().limit(n);
                while (wrapped.hasRemaining()) {
                    channel.write(wrapped);
                }
            }
            channel.force(true);
        }
        return new Sidecar(Hashing.hex(digest), size, clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }

    private static void writeFully(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /** Makes the renames themselves durable; not every platform can open a directory, and that is not fatal. */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Best effort: the data files themselves were forced before the rename.
        }
    }

    @Override
    public InputStream open(String key) {
        Path path = pathOf(key);
        ReadWriteLock lock = lockOf(path);
        Sidecar sidecar;
        InputStream in;
        lock.readLock().lock();
        try {
            if (!Files.isRegularFile(path)) {
                throw new NotFoundException("artifact '" + key + "' does not exist");
            }
            sidecar = readSidecar(key, path)
                    .orElseThrow(() -> new IntegrityException("artifact '" + key + "' has no recorded SHA-256 and size "
                            + "(its sidecar " + sidecarOf(path).getFileName() + " is missing), so it cannot be trusted"));
            in = Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("artifact '" + key + "' does not exist");
        } catch (IOException e) {
            throw new StoreException("cannot open artifact '" + key + "': " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
        return new VerifyingInputStream(new BufferedInputStream(in, BUFFER), key, sidecar.sha256(), sidecar.size());
    }

    @Override
    public Optional<StoredObject> stat(String key) {
        Path path = pathOf(key);
        ReadWriteLock lock = lockOf(path);
        lock.readLock().lock();
        try {
            if (!Files.isRegularFile(path)) {
                return Optional.empty();
            }
            Optional<Sidecar> sidecar = readSidecar(key, path);
            if (sidecar.isEmpty()) {
                // Copied in by another tool: known to exist, not yet verifiable (see adopt).
                return Optional.of(new StoredObject(key, null, Files.size(path), Files.getLastModifiedTime(path).toInstant()));
            }
            return Optional.of(new StoredObject(key, sidecar.get().sha256(), sidecar.get().size(), sidecar.get().written()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException("cannot read artifact '" + key + "': " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public StoredObject adopt(String key) {
        Path path = pathOf(key);
        ReadWriteLock lock = lockOf(path);
        lock.writeLock().lock();
        try {
            if (!Files.isRegularFile(path)) {
                throw new NotFoundException("artifact '" + key + "' does not exist");
            }
            Optional<Sidecar> existing = readSidecar(key, path);
            if (existing.isPresent()) {
                return new StoredObject(key, existing.get().sha256(), existing.get().size(), existing.get().written());
            }
            MessageDigest digest = Hashing.sha256();
            long size = 0;
            try (InputStream in = Files.newInputStream(path)) {
                byte[] buffer = new byte[BUFFER];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    digest.update(buffer, 0, n);
                    size += n;
                }
            }
            Sidecar sidecar = new Sidecar(Hashing.hex(digest), size, clock.instant());
            Path temp = path.resolveSibling(path.getFileName() + SIDECAR_SUFFIX + TEMP_INFIX
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            try {
                writeFully(temp, Json.write(sidecar).getBytes(StandardCharsets.UTF_8));
                Files.move(temp, sidecarOf(path), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                deleteQuietly(temp);
            }
            forceDirectory(path.getParent());
            return new StoredObject(key, sidecar.sha256(), sidecar.size(), sidecar.written());
        } catch (NoSuchFileException e) {
            throw new NotFoundException("artifact '" + key + "' does not exist");
        } catch (IOException e) {
            throw new StoreException("cannot adopt artifact '" + key + "': " + e.getMessage(), e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private Optional<Sidecar> readSidecar(String key, Path object) {
        Path file = sidecarOf(object);
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException("cannot read the recorded hash of artifact '" + key + "': " + e.getMessage(), e);
        }
        try {
            return Optional.of(Json.read(json, Sidecar.class));
        } catch (RuntimeException e) {
            throw new IntegrityException("the recorded SHA-256 and size of artifact '" + key + "' are damaged ("
                    + file.getFileName() + ")");
        }
    }

    @Override
    public List<StoredObject> list(String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches() || prefix.startsWith("/") || prefix.contains("//")) {
            throw new ValidationException("prefix", "artifact key prefix '" + prefix + "' must be made of "
                    + "[A-Za-z0-9._=+-] and '/', not starting with '/'");
        }
        // Walk only the deepest folder the prefix names in full; the rest of the prefix filters file names.
        int slash = prefix.lastIndexOf('/');
        Path base = slash < 0 ? root : pathOf(prefix.substring(0, slash));
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(base)) {
            files.filter(p -> !p.getFileName().toString().contains(MARK))
                    .map(p -> root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/"))
                    .filter(k -> !k.isEmpty() && k.startsWith(prefix))
                    .forEach(keys::add);
        } catch (IOException | UncheckedIOException e) {
            throw new StoreException("cannot list artifacts under '" + prefix + "': " + e.getMessage(), e);
        }
        List<StoredObject> objects = new ArrayList<>();
        for (String key : keys) {
            if (Files.isRegularFile(root.resolve(key))) {
                stat(key).ifPresent(objects::add); // absent if deleted while listing
            }
        }
        objects.sort(Comparator.comparing(StoredObject::key));
        return objects;
    }

    @Override
    public void delete(String key) {
        Path path = pathOf(key);
        ReadWriteLock lock = lockOf(path);
        lock.writeLock().lock();
        try {
            if (Files.isDirectory(path)) {
                return; // a folder of other keys, not an object: nothing stored under this key
            }
            Files.deleteIfExists(path);
            Files.deleteIfExists(sidecarOf(path));
        } catch (IOException e) {
            throw new StoreException("cannot delete artifact '" + key + "': " + e.getMessage(), e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String uri(String key) {
        return pathOf(key).toUri().toString();
    }

    private static ReadWriteLock lockOf(Path path) {
        return LOCKS[Math.floorMod(path.hashCode(), LOCKS.length)];
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A leftover temporary is harmless: listings skip it, and it is named so nothing mistakes it for an object.
        }
    }

    @Override
    public String toString() {
        return "FileArtifactStore[" + root + "]";
    }
}
