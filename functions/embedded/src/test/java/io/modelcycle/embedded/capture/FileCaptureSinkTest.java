package io.modelcycle.embedded.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcycle.core.artifact.ArtifactStore;
import io.modelcycle.core.capture.BufferedCaptureSink;
import io.modelcycle.core.capture.CaptureSink;
import io.modelcycle.embedded.artifact.FileArtifactStore;
import io.modelcycle.testkit.contract.CaptureSinkContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The capture contract over {@link FileArtifactStore}: captures as files under the store's root. */
class FileCaptureSinkTest extends CaptureSinkContract {

    @TempDir
    Path dir;

    private int stores;

    @Override
    protected ArtifactStore store() {
        return new FileArtifactStore(dir.resolve("store-" + ++stores));
    }

    /** A store whose root was replaced by a regular file after it opened: no object can be written beneath it. */
    @Override
    protected ArtifactStore failingStore() {
        try {
            Path root = dir.resolve("replaced-root");
            FileArtifactStore store = new FileArtifactStore(root);
            Files.delete(root);
            Files.writeString(root, "a file where the store's folder was");
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void captures_are_ordinary_gzip_files_under_the_root() throws IOException {
        // GIVEN a sink over a file store
        FileArtifactStore store = new FileArtifactStore(dir.resolve("plain"));
        try (CaptureSink sink = new BufferedCaptureSink(store,
                new BufferedCaptureSink.Settings(10, 10, Duration.ofMinutes(1)))) {
            // WHEN a record is captured and the sink closed
            sink.capture(record("churn", "2026-11-29T23:59:59Z", 1));
        }

        // THEN one .jsonl.gz file lies in the hour's folder, starting with the gzip magic number
        Path hour = dir.resolve("plain/captures/churn/2026/11/29/23");
        try (Stream<Path> files = Files.list(hour)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".jsonl.gz")))
                    .singleElement()
                    .satisfies(file -> assertThat(Files.readAllBytes(file)).startsWith((byte) 0x1f, (byte) 0x8b));
        }
    }
}
