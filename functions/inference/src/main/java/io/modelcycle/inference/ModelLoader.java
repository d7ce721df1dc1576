package io.modelcycle.inference;

import io.modelcycle.core.IntegrityException;
import io.modelcycle.core.artifact.ArtifactStore;
import io.modelcycle.core.artifact.TarGzReader;
import io.modelcycle.core.artifact.VerifyingInputStream;
import io.modelcycle.core.registry.ArtifactRef;
import io.modelcycle.core.registry.ModelVersion;
import io.modelcycle.djl.ModelUnavailableException;
import io.modelcycle.djl.TabularModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Loads a version's {@code model.tar.gz} from the {@link ArtifactStore}: streams it, unpacks it into a fresh temporary
 * directory while hashing every byte, and only when the whole archive hashes to the SHA-256 (and has the size) that
 * the <em>registry</em> recorded for the version does it hand the directory to {@link TabularModel#load}. The store
 * checks its own recorded hash too; both must agree, so an artifact replaced in the bucket behind the registry's back
 * is refused just like a damaged one.
 */
final class ModelLoader {

    private final ArtifactStore store;
    private final Path workDir;

    /**
     * @param store   where the archives are
     * @param workDir where archives are unpacked (Lambda: under {@code /tmp}); each load gets its own directory,
     *                deleted once the model is in memory
     */
    ModelLoader(ArtifactStore store, Path workDir) {
        this.store = store;
        this.workDir = workDir;
    }

    /**
     * @throws IntegrityException        the bytes do not match the registry's (or the store's) SHA-256 or size
     * @throws ModelUnavailableException the version has no artifact, or the archive is not a loadable model
     */
    TabularModel load(ModelVersion version) {
        ArtifactRef ref = version.artifact();
        if (ref == null) {
            throw new ModelUnavailableException("version " + version.number() + " of model '" + version.model()
                    + "' has no model artifact", null);
        }
        Path dir;
        try {
            Files.createDirectories(workDir);
            dir = Files.createTempDirectory(workDir, version.model() + "-v" + version.number() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory under " + workDir, e);
        }
        try {
            unpackVerified(ref, dir);
            return TabularModel.load(dir);
        } finally {
            deleteQuietly(dir);
        }
    }

    /**
     * Unpacks the archive while hashing every byte read; at its end the bytes must match the SHA-256 and size the
     * registry recorded for the version (and the store's own record, checked by the store's stream).
     */
    private void unpackVerified(ArtifactRef ref, Path dir) {
        try (InputStream verified = new VerifyingInputStream(store.open(ref.key()), ref.key(), ref.sha256(), ref.size(),
                "in the registry for this version, so it is not served")) {
            try (TarGzReader tar = new TarGzReader(new NonClosing(verified))) {
                for (TarGzReader.Entry entry = tar.next(); entry != null; entry = tar.next()) {
                    Path target = dir.resolve(entry.name()).normalize();
                    if (!target.startsWith(dir) || entry.name().isEmpty()) {
                        throw new ModelUnavailableException("archive " + ref.key() + " has an entry outside its root: "
                                + entry.name(), null);
                    }
                    Files.createDirectories(target.getParent());
                    try (OutputStream out = Files.newOutputStream(target)) {
                        entry.content().transferTo(out);
                    }
                }
            }
            verified.transferTo(OutputStream.nullOutputStream()); // the rest (tar padding): hashed and checked at the end
        } catch (IOException e) {
            throw new ModelUnavailableException("cannot unpack " + ref.key() + ": " + e.getMessage(), e);
        } catch (io.modelcycle.core.NotFoundException e) {
            // the version exists but its archive does not: the version cannot be served, the caller did nothing wrong
            throw new ModelUnavailableException("the archive " + ref.key() + " is missing from the artifact store", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a leftover temp directory is harmless; the load result is what matters
        }
    }

    /** Lets the tar reader close its gzip stream without closing the stream we still drain. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
