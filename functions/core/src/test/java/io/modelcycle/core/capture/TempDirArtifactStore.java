package io.modelcycle.core.capture;

import io.modelcycle.core.Hashing;
import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.artifact.ArtifactKeys;
import io.modelcycle.core.artifact.ArtifactStore;
import io.modelcycle.core.artifact.StoredObject;
import io.modelcycle.core.artifact.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A small file-backed {@link ArtifactStore} for core's own tests (core cannot depend on the embedded adapter): real
 * files under a temporary directory, the SHA-256 and size in a {@code .sha256} file beside each object, verified on
 * read through core's {@link VerifyingInputStream}.
 */
public final class TempDirArtifactStore implements ArtifactStore {

    private final Path root;

    public TempDirArtifactStore(Path root) {
        this.root = root;
    }

    public Path pathOf(String key) {
        return root.resolve(ArtifactKeys.require(key));
    }

    @Override
    public StoredObject put(String key, InputStream content) {
        Path path = pathOf(key);
        try {
            Files.createDirectories(path.getParent());
            MessageDigest digest = Hashing.sha256();
            long size;
            try (InputStream in = new DigestInputStream(content, digest)) {
                size = Files.copy(in, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            String sha = Hashing.hex(digest);
            Files.writeString(sidecar(path), sha + " " + size, StandardCharsets.UTF_8);
            return new StoredObject(key, sha, size, Instant.now());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path sidecar(Path path) {
        return path.resolveSibling(path.getFileName() + ".sha256");
    }

    @Override
    public InputStream open(String key) {
        StoredObject object = stat(key).orElseThrow(() -> new NotFoundException("no object " + key));
        try {
            return new VerifyingInputStream(Files.newInputStream(pathOf(key)), key, object.sha256(), object.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<StoredObject> stat(String key) {
        Path path = pathOf(key);
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        try {
            String[] parts = Files.readString(sidecar(path)).split(" ");
            return Optional.of(new StoredObject(key, parts[0], Long.parseLong(parts[1]), Files.getLastModifiedTime(path).toInstant()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public StoredObject adopt(String key) {
        Path path = pathOf(key);
        if (!Files.exists(path)) {
            throw new NotFoundException("artifact '" + key + "' does not exist");
        }
        try {
            if (!Files.exists(sidecar(path))) {
                byte[] bytes = Files.readAllBytes(path);
                Files.writeString(sidecar(path), Hashing.sha256Hex(bytes) + " " + bytes.length);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return stat(key).orElseThrow();
    }

    @Override
    public List<StoredObject> list(String prefix) {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(k -> k.startsWith(prefix) && !k.endsWith(".sha256"))
                    .sorted()
                    .map(k -> stat(k).orElseThrow())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(pathOf(key));
            Files.deleteIfExists(sidecar(pathOf(key)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String uri(String key) {
        return pathOf(key).toUri().toString();
    }
}
