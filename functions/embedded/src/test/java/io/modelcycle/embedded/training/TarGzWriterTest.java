package io.modelcycle.embedded.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcycle.core.artifact.TarGzReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarGzWriterTest {

    @TempDir
    Path dir;

    @Test
    void packs_a_model_directory_that_tar_and_the_core_reader_both_read() throws Exception {
        // GIVEN a model directory with a nested file whose path is longer than 100 characters, and a 1000-byte file
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(model.resolve("model.json"), "{\"seed\":\"42\"}");
        byte[] params = new byte[1000];
        for (int i = 0; i < params.length; i++) {
            params[i] = (byte) (i * 31);
        }
        Files.write(model.resolve("tabular-0000.params"), params);
        String deep = "encodings/" + "x".repeat(60) + "/" + "y".repeat(60) + "/vocabulary.txt";
        Files.createDirectories(model.resolve(deep).getParent());
        Files.writeString(model.resolve(deep), "red\ngreen\n");

        // WHEN it is packed
        Path archive = dir.resolve("model.tar.gz");
        try (OutputStream out = Files.newOutputStream(archive)) {
            assertThat(TarGzWriter.pack(model, out)).isEqualTo(3);
        }

        // THEN core's reader gets every file back byte for byte, names relative to the directory
        Map<String, byte[]> read = new LinkedHashMap<>();
        try (TarGzReader tar = new TarGzReader(Files.newInputStream(archive))) {
            for (TarGzReader.Entry e = tar.next(); e != null; e = tar.next()) {
                read.put(e.name(), e.content().readAllBytes());
            }
        }
        assertThat(read).containsOnlyKeys(deep, "model.json", "tabular-0000.params");
        assertThat(read.get("tabular-0000.params")).isEqualTo(params);
        assertThat(new String(read.get(deep), StandardCharsets.UTF_8)).isEqualTo("red\ngreen\n");

        // AND so does GNU tar, which SageMaker's and DJL's tooling agree with
        Process tar = new ProcessBuilder("tar", "-tzf", archive.toString()).redirectErrorStream(true).start();
        String listing = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor()).as(listing).isZero();
        assertThat(listing.lines().toList()).containsExactly(deep, "model.json", "tabular-0000.params");
    }

    @Test
    void a_name_too_long_for_ustar_is_refused_naming_it() throws IOException {
        Path model = Files.createDirectories(dir.resolve("model"));
        String name = "z".repeat(101);
        Files.writeString(model.resolve(name), "x");

        assertThatThrownBy(() -> TarGzWriter.pack(model, new ByteArrayOutputStream()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(name).hasMessageContaining("too long");
    }

    @Test
    void an_empty_directory_is_an_empty_archive() throws IOException {
        Path model = Files.createDirectories(dir.resolve("model"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThat(TarGzWriter.pack(model, out)).isZero();
        try (TarGzReader tar = new TarGzReader(new ByteArrayInputStream(out.toByteArray()))) {
            assertThat(tar.next()).isNull();
        }
    }
}
