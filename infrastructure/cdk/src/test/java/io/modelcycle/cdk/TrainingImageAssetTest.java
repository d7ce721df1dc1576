package io.modelcycle.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The training image is a Docker image asset built from {@code functions/training/Dockerfile} at deploy time:
 * synthesis (here, with no Docker engine) only stages its build context, which holds what the Dockerfile copies and
 * none of the build outputs.
 */
class TrainingImageAssetTest {

    @Test
    void theDockerfileAndItsContextAreStagedForCdkDeploy() throws IOException {
        TestStacks.Synthesized s = TestStacks.defaults();
        JsonNode assets = new ObjectMapper().readTree(Files.readString(s.outdir().resolve("ModelCycle.assets.json")));
        JsonNode images = assets.get("dockerImages");
        assertThat(images.size()).isEqualTo(1);
        JsonNode source = images.elements().next().get("source");
        assertThat(source.get("dockerFile").asText()).isEqualTo("functions/training/Dockerfile");
        assertThat(source.get("platform").asText()).isEqualTo("linux/amd64");

        Path context = s.outdir().resolve(source.get("directory").asText());
        assertThat(context.resolve("pom.xml")).isRegularFile();
        assertThat(context.resolve("functions/training/Dockerfile")).isRegularFile();
        assertThat(context.resolve("functions/training/train")).isRegularFile();
        assertThat(context.resolve("functions/core/src/main/java/io/modelcycle/core/Json.java")).isRegularFile();
        assertThat(context.resolve("functions/djl/src")).isDirectory();
        // Every module's pom, because Maven reads the whole reactor, but no other module's sources.
        for (FunctionSpec spec : FunctionSpec.values()) {
            assertThat(context.resolve("functions/" + spec.module() + "/pom.xml")).isRegularFile();
        }
        assertThat(context.resolve("infrastructure/cdk/pom.xml")).isRegularFile();
        // Whatever the Dockerfile copies from the build context is in it.
        for (String line : Files.readAllLines(context.resolve("functions/training/Dockerfile"))) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 3 && words[0].equals("COPY") && !words[1].startsWith("--from")) {
                for (int i = 1; i < words.length - 1; i++) {
                    assertThat(context.resolve(words[i])).as("COPY source " + words[i] + " in the build context").exists();
                }
            }
        }
        try (Stream<Path> all = Files.walk(context)) {
            List<String> unwanted = all.map(p -> context.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> p.matches("(.*/)?target(/.*)?") || p.matches("infrastructure/[^/]+/src.*")
                            || p.matches("functions/(registry-api|inference|deployment|monitoring|retirement)/src.*")
                            || p.startsWith("statemachines") || p.startsWith(".git") || p.startsWith("events"))
                    .toList();
            assertThat(unwanted).as("build outputs and unrelated files in the image's build context").isEmpty();
        }
    }
}
