package io.modelcycle.inference.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcycle.core.Hashing;
import io.modelcycle.core.IntegrityException;
import io.modelcycle.core.ValidationException;
import io.modelcycle.embedded.artifact.FileArtifactStore;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PyTorch native library brought in at init: extracted from DJL's own native jar out of the artifact store,
 * verified against the pinned SHA-256, and enough for the engine to load in a JVM whose class path lacks the
 * native jar, exactly as in the Lambda package.
 */
class PyTorchNativeTest {

    @TempDir
    Path dir;

    @Test
    void the_real_native_jar_from_the_store_lets_a_jvm_without_it_load_the_engine_offline() throws Exception {
        // GIVEN DJL's pytorch-native-cpu jar uploaded unchanged to runtime/, and its SHA-256 pinned
        Path jar = nativeJar();
        FileArtifactStore store = new FileArtifactStore(dir.resolve("artifacts"));
        String key = "runtime/" + jar.getFileName();
        String sha;
        try (InputStream in = Files.newInputStream(jar)) {
            sha = store.put(key, in).sha256();
        }

        // WHEN it is installed, twice (the second time an environment finds it already there)
        PyTorchNative.Installed installed = PyTorchNative.install(store, key, sha, dir.resolve("pytorch"));
        PyTorchNative.Installed again = PyTorchNative.install(store, key, sha, dir.resolve("pytorch"));

        // THEN the libraries are there, and a JVM with the Lambda package's class path (no native jar) runs the engine
        assertThat(installed.libraryDir().resolve("libtorch_cpu.so")).exists();
        assertThat(installed.version()).isEqualTo("2.7.1");
        assertThat(installed.flavor()).isEqualTo("cpu");
        assertThat(again).isEqualTo(installed);
        Map<String, String> settings = installed.settings(dir.resolve("djl-cache"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-cp", lambdaClassPath(), "io.modelcycle.djl.EngineCheck"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("engine=PyTorch version=2.7.1");
        assertThat(Files.list(dir.resolve("djl-cache")).count()).as("the JNI library went to the cache dir").isPositive();
    }

    @Test
    void an_archive_that_does_not_match_the_pin_is_refused_and_nothing_is_left_behind() throws IOException {
        FileArtifactStore store = new FileArtifactStore(dir.resolve("artifacts"));
        byte[] archive = smallNativeJar();
        store.put("runtime/native.jar", archive);

        assertThatThrownBy(() -> PyTorchNative.install(store, "runtime/native.jar", Hashing.sha256Hex("something else"),
                dir.resolve("pytorch")))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("pinned");
        try (var files = Files.list(dir.resolve("pytorch"))) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void an_archive_that_is_not_a_native_jar_is_refused_naming_what_it_lacks() throws IOException {
        FileArtifactStore store = new FileArtifactStore(dir.resolve("artifacts"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("README.txt"));
            zip.write("hello".getBytes(StandardCharsets.UTF_8));
        }
        store.put("runtime/other.jar", bytes.toByteArray());

        assertThatThrownBy(() -> PyTorchNative.install(store, "runtime/other.jar", Hashing.sha256Hex(bytes.toByteArray()),
                dir.resolve("pytorch")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("pytorch.properties");
    }

    @Test
    void the_settings_point_djl_at_the_directory_and_keep_it_offline() throws IOException {
        FileArtifactStore store = new FileArtifactStore(dir.resolve("artifacts"));
        byte[] archive = smallNativeJar();
        store.put("runtime/native.jar", archive);

        PyTorchNative.Installed installed = PyTorchNative.install(store, "runtime/native.jar", Hashing.sha256Hex(archive),
                dir.resolve("pytorch"));

        assertThat(installed.settings(Path.of("/tmp/cache"))).containsEntry("PYTORCH_LIBRARY_PATH",
                        installed.libraryDir().toString())
                .containsEntry("PYTORCH_VERSION", "2.7.1").containsEntry("PYTORCH_FLAVOR", "cpu")
                .containsEntry("ENGINE_CACHE_DIR", "/tmp/cache").containsEntry("ai.djl.offline", "true");
        assertThat(installed.libraryDir().resolve("libtorch.so")).hasContent("not really a library");
    }

    /** A jar shaped like DJL's native jar, with stand-in files, for the checks that do not need the 450 MB. */
    private static byte[] smallNativeJar() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(PyTorchNative.PROPERTIES));
            zip.write("version=2.7.1-20250812\nflavor=cpu\n".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry(PyTorchNative.LIBRARY_PREFIX + "libtorch.so"));
            zip.write("not really a library".getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    /** The pytorch-native-cpu jar on the test class path. */
    private static Path nativeJar() throws Exception {
        URL url = PyTorchNativeTest.class.getClassLoader().getResource(PyTorchNative.PROPERTIES);
        assertThat(url).as("pytorch-native-cpu on the test class path").isNotNull();
        String spec = url.toString(); // jar:file:/…/pytorch-native-cpu-2.7.1-linux-x86_64.jar!/native/lib/…
        return Path.of(new URL(spec.substring(4, spec.indexOf("!/"))).toURI());
    }

    /** This module's run-time class path without the native jar, as the Lambda zip has it. */
    private static String lambdaClassPath() throws IOException {
        String deps = Files.readString(Path.of("target/classpath.txt")).strip();
        return Arrays.stream(deps.split(File.pathSeparator))
                .filter(p -> !p.contains("pytorch-native-cpu"))
                .collect(Collectors.joining(File.pathSeparator, Path.of("target/classes").toAbsolutePath() + File.pathSeparator, ""));
    }
}
