package io.modelcycle.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import io.modelcycle.core.Json;
import io.modelcycle.core.dataset.SyntheticDataset;
import io.modelcycle.djl.train.ContainerLayout;
import io.modelcycle.djl.train.TrainerMain;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU image cannot be built here (no Docker engine), so this test holds the Dockerfile and the {@code train}
 * script to what the trainer actually does: entry point, script location, main class, root, library directory,
 * offline flag and the DJL CUDA flavour. It also runs the script itself against the real trainer.
 */
class DockerfileContractTest {

    private static final Path MODULE = Path.of(System.getProperty("user.dir"));
    private static String dockerfile;
    private static String script;

    @BeforeAll
    static void read() throws IOException {
        dockerfile = Files.readString(MODULE.resolve("Dockerfile"));
        script = Files.readString(MODULE.resolve("train"));
    }

    @Test
    void entryPointIsTheTrainScriptOnThePath() {
        assertThat(dockerfile).containsPattern("(?m)^ENTRYPOINT \\[\"train\"\\]$");
        assertThat(dockerfile).containsPattern("(?m)^COPY functions/training/train /usr/local/bin/train$");
        assertThat(dockerfile).contains("chmod 0755 /usr/local/bin/train");
        assertThat(Files.isExecutable(MODULE.resolve("train"))).as("train is executable in git").isTrue();
        assertThat(dockerfile).containsPattern("(?m)^WORKDIR " + Pattern.quote(TrainerMain.DEFAULT_ROOT.toString()) + "$");
    }

    @Test
    void scriptStartsTheTrainerOfflineFromTheImagesLibraryDirectory() {
        assertThat(script).startsWith("#!/bin/sh");
        assertThat(script).contains(" " + TrainerMain.class.getName() + " \"$@\"");
        assertThat(script).contains("-Dai.djl.offline=true");
        String home = env("MODELCYCLE_HOME");
        assertThat(script).contains("MODELCYCLE_HOME=\"${MODELCYCLE_HOME:-" + home + "}\"");
        assertThat(script).contains("-cp \"$MODELCYCLE_HOME/lib/*\"");
        assertThat(dockerfile).contains("COPY --from=build /out/lib/ " + home + "/lib/");
        // the trainer jar itself is among the libraries
        assertThat(dockerfile).contains("cp functions/djl/target/modelcycle-djl-*.jar /out/lib/");
        assertThat(TrainerMain.DEFAULT_ROOT).isEqualTo(Path.of("/opt/ml"));
    }

    @Test
    void djlGpuSettingsMatchTheEngineOnTheClassPath() throws IOException {
        // GIVEN the PyTorch version DJL's engine jar is built for, and the flavours its JNI jar carries
        Properties engine = new Properties();
        try (InputStream in = Engine.class.getClassLoader().getResourceAsStream("pytorch-engine.properties")) {
            engine.load(in);
        }
        String flavour = env("PYTORCH_FLAVOR");

        // THEN the image asks for that version, in a CUDA flavour the JNI jar has, on a CUDA base of the same major.minor
        assertThat(env("PYTORCH_VERSION")).isEqualTo(engine.getProperty("pytorch_version"));
        assertThat(flavour).matches("cu\\d+");
        assertThat(Engine.class.getClassLoader().getResource("jnilib/linux-x86_64/" + flavour + "/libdjl_torch.so"))
                .as("DJL's JNI jar has a %s build", flavour).isNotNull();
        Matcher base = Pattern.compile("(?m)^ARG CUDA_IMAGE=nvidia/cuda:(\\d+)\\.(\\d+)\\.\\d+-cudnn-runtime-ubuntu\\S+$").matcher(dockerfile);
        assertThat(base.find()).as("a CUDA runtime base image").isTrue();
        assertThat("cu" + base.group(1) + base.group(2)).isEqualTo(flavour);
        assertThat(dockerfile).contains("-DexcludeArtifactIds=pytorch-native-cpu");
        assertThat(env("DJL_CACHE_DIR")).isEqualTo(env("ENGINE_CACHE_DIR"));
        assertThat(dockerfile).contains("find " + env("DJL_CACHE_DIR") + "/pytorch -name 'libtorch_cuda.so'");
    }

    @Test
    void scriptRunsTheTrainerAsSageMakerWouldCallIt(@TempDir Path dir) throws Exception {
        // GIVEN the image layout, mimicked: the jars of this test's class path (trainer included) in MODELCYCLE_HOME/lib
        Path home = imageHome(dir);
        // AND a job root with a small binary problem
        Path root = dir.resolve("ml");
        SyntheticDataset spec = SyntheticDataset.binary(200, 6, 1);
        write(root.resolve(ContainerLayout.MODEL_DEFINITION), Json.write(spec.model("contract", "tests")));
        Files.createDirectories(root.resolve(ContainerLayout.TRAIN));
        spec.generate().writeCsv(root.resolve(ContainerLayout.TRAIN).resolve("data.csv"));
        write(root.resolve(ContainerLayout.HYPERPARAMETERS), Json.write(Map.of("epochs", "2")));

        // WHEN the script is started the way SageMaker starts the image (`train`), plus a root for this machine
        ProcessBuilder builder = new ProcessBuilder("sh", MODULE.resolve("train").toString(), "train", "--root", root.toString())
                .redirectError(dir.resolve("stderr.txt").toFile())
                .redirectOutput(dir.resolve("stdout.txt").toFile());
        builder.environment().put("MODELCYCLE_HOME", home.toString());
        int status = builder.start().waitFor();

        // THEN it trains, reports each epoch, and writes the model where SageMaker collects it
        assertThat(status).as(Files.readString(dir.resolve("stderr.txt"))).isZero();
        List<String> stdout = Files.readAllLines(dir.resolve("stdout.txt"));
        assertThat(stdout).filteredOn(l -> l.startsWith("epoch=")).hasSize(2);
        for (String file : List.of("tabular-0000.params", "model.json", "metrics.json", "profile.json", "card.md")) {
            assertThat(root.resolve(ContainerLayout.MODEL_DIR).resolve(file)).isNotEmptyFile();
        }
    }

    @Test
    void scriptReportsFailureWhereSageMakerLooks(@TempDir Path dir) throws Exception {
        Path home = imageHome(dir);
        Path root = Files.createDirectories(dir.resolve("ml"));
        write(root.resolve(ContainerLayout.HYPERPARAMETERS), "{\"epochz\":\"3\"}");

        ProcessBuilder builder = new ProcessBuilder("sh", MODULE.resolve("train").toString(), "--root", root.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile());
        builder.environment().put("MODELCYCLE_HOME", home.toString());
        int status = builder.start().waitFor();

        assertThat(status).isEqualTo(TrainerMain.EXIT_BAD_INPUT);
        assertThat(Files.readString(root.resolve(ContainerLayout.FAILURE)).strip())
                .startsWith("BAD_HYPERPARAMETER: hyperparameter 'epochz': unknown");
    }

    /** MODELCYCLE_HOME as the image has it: lib/ holding every jar, the trainer's included. */
    private static Path imageHome(Path dir) throws IOException {
        Path lib = Files.createDirectories(dir.resolve("home/lib"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith(".jar")) {
                Path jar = Path.of(entry).toAbsolutePath();
                Files.createSymbolicLink(lib.resolve(jar.getFileName()), jar);
            }
        }
        assertThat(lib.resolve("modelcycle-djl-0.1.0-SNAPSHOT.jar")).exists();
        return dir.resolve("home");
    }

    private static String env(String name) {
        Matcher m = Pattern.compile("(?m)^\\s*(?:ENV\\s+)?" + Pattern.quote(name) + "=(\\S+?)\\s*(?:\\\\)?$").matcher(dockerfile);
        assertThat(m.find()).as("Dockerfile sets %s", name).isTrue();
        return m.group(1);
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
