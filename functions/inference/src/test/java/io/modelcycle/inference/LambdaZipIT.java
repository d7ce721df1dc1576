package io.modelcycle.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * Checks the deployment package the CDK app uploads, {@code target/modelcycle-inference-lambda.zip}, after the package
 * phase built it: within Lambda's limits (50 MB zipped for a direct upload, 250 MB unzipped) and without the PyTorch
 * native library, which the function fetches at init instead.
 */
class LambdaZipIT {

    static final Path ZIP = Path.of("target/modelcycle-inference-lambda.zip");
    static final long MB = 1024L * 1024L;

    @Test
    void the_zip_is_within_lambdas_limits_and_carries_no_native_torch_library() throws IOException {
        assertThat(ZIP).exists();
        long zipped = Files.size(ZIP);
        long unzipped = 0;
        List<String> offending = new ArrayList<>();
        boolean handler = false;
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                unzipped += entry.getSize();
                String name = entry.getName();
                if (name.contains("pytorch-native") || name.matches(".*libtorch.*\\.so.*")) {
                    offending.add(name);
                }
                if (name.endsWith(".jar")) {
                    try (ZipInputStream jar = new ZipInputStream(zip.getInputStream(entry))) {
                        for (ZipEntry inner = jar.getNextEntry(); inner != null; inner = jar.getNextEntry()) {
                            if (inner.getName().matches(".*libtorch.*\\.so.*")) {
                                offending.add(name + "!" + inner.getName());
                            }
                            handler |= inner.getName().equals("io/modelcycle/inference/InferenceHandler.class");
                        }
                    }
                }
            }
        }
        assertThat(zipped).as("zipped size").isLessThan(50 * MB);
        assertThat(unzipped).as("unzipped size").isLessThan(250 * MB);
        assertThat(offending).as("native torch libraries in the package").isEmpty();
        assertThat(handler).as("the handler class is in the package").isTrue();
        System.out.printf("lambda zip: %.1f MB zipped, %.1f MB unzipped%n", zipped / (double) MB, unzipped / (double) MB);
    }
}
