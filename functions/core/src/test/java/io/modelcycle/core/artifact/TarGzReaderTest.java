package io.modelcycle.core.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TarGzReaderTest {

    @Test
    void reads_the_files_of_an_archive_written_by_gnu_tar_including_long_names() throws IOException {
        // GIVEN model.tar.gz as `tar -czf x.tar.gz -C model .` writes it (SageMaker's layout: ./ prefixes, a directory, a long name)
        Map<String, String> files = new LinkedHashMap<>();
        try (InputStream in = getClass().getResourceAsStream("/artifact/sagemaker-style.tar.gz");
             TarGzReader tar = new TarGzReader(in)) {
            // WHEN every entry is read
            for (TarGzReader.Entry e = tar.next(); e != null; e = tar.next()) {
                files.put(e.name(), new String(e.content().readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        // THEN regular files come back with their content and without "./"; directories are skipped
        assertThat(files).containsEntry("model.json", "{\"name\":\"m\"}\n")
                .containsEntry("metrics.json", "{\"roc_auc\":0.93}\n")
                .containsEntry("sub/" + "x".repeat(120) + ".txt", "hi\n")
                .hasSize(3);
    }

    @Test
    void entries_not_read_are_skipped() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/artifact/sagemaker-style.tar.gz");
             TarGzReader tar = new TarGzReader(in)) {
            int count = 0;
            while (tar.next() != null) {
                count++;
            }
            assertThat(count).isEqualTo(3);
        }
    }

    @Test
    void a_truncated_archive_is_an_error_not_a_short_file() throws IOException {
        byte[] whole;
        try (InputStream in = getClass().getResourceAsStream("/artifact/sagemaker-style.tar.gz")) {
            whole = in.readAllBytes();
        }
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length / 2);
        assertThatThrownBy(() -> {
            try (TarGzReader tar = new TarGzReader(new ByteArrayInputStream(cut))) {
                for (TarGzReader.Entry e = tar.next(); e != null; e = tar.next()) {
                    e.content().readAllBytes();
                }
            }
        }).isInstanceOf(IOException.class);
    }
}
