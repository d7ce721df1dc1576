package io.modelcycle.djl.train;

import io.modelcycle.core.Json;
import io.modelcycle.core.dataset.Dataset;
import io.modelcycle.core.dataset.SyntheticDataset;
import io.modelcycle.core.model.Model;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Test helper: lays out a SageMaker-style root and runs the trainer in-process. */
public final class JobRoot {

    public final Path root;
    public String stdout = "";
    public String stderr = "";

    public JobRoot(Path root) {
        this.root = root;
    }

    public JobRoot model(Model model) throws IOException {
        return write(ContainerLayout.MODEL_DEFINITION, Json.write(model));
    }

    public JobRoot train(Dataset data) throws IOException {
        Files.createDirectories(root.resolve(ContainerLayout.TRAIN));
        data.writeCsv(root.resolve(ContainerLayout.TRAIN).resolve("part-0.csv"));
        return this;
    }

    public JobRoot validation(Dataset data) throws IOException {
        Files.createDirectories(root.resolve(ContainerLayout.VALIDATION));
        data.writeCsv(root.resolve(ContainerLayout.VALIDATION).resolve("holdout.csv"));
        return this;
    }

    public JobRoot synthetic(SyntheticDataset spec) throws IOException {
        return model(spec.model("synthetic", "tests")).train(spec.generate());
    }

    public JobRoot hyperparameters(Map<String, String> values) throws IOException {
        return write(ContainerLayout.HYPERPARAMETERS, Json.write(values));
    }

    public JobRoot write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return this;
    }

    public int run() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = TrainerMain.run(new String[] {"--root", root.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        stdout = out.toString(StandardCharsets.UTF_8);
        stderr = err.toString(StandardCharsets.UTF_8);
        return status;
    }

    public Path modelDir() {
        return root.resolve(ContainerLayout.MODEL_DIR);
    }

    public String failure() throws IOException {
        return Files.readString(root.resolve(ContainerLayout.FAILURE), StandardCharsets.UTF_8).strip();
    }

    public Map<String, Double> metrics() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Double> m = Json.mapper().readValue(Files.readString(modelDir().resolve("metrics.json")), Map.class);
        return m;
    }

    public List<String> progressLines() {
        return stdout.lines().filter(l -> l.startsWith("epoch=")).toList();
    }
}
