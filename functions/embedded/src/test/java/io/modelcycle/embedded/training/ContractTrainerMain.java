package io.modelcycle.embedded.training;

import com.fasterxml.jackson.core.type.TypeReference;
import io.modelcycle.core.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A small trainer for the tests of {@link ChildJvmTrainingBackend}: it follows the same container contract as
 * {@code io.modelcycle.djl.train.TrainerMain} ({@code --root}, channels, {@code hyperparameters.json}, {@code model/},
 * {@code output/failure}, one progress line per epoch on stdout, logs on stderr) without DJL, and reports in its
 * {@code model.json} what it was given, so the tests can check the backend staged it.
 *
 * <p>Hyperparameters: {@code epochs} (default 3); {@code sleep_ms} between epochs; {@code fail} writes
 * {@code output/failure} with the value and exits 2; {@code crash} exits 3 with a message on stderr and no failure
 * file; {@code pid_file} writes this process's pid and that of a child process ({@code sleep 600}) to the named file,
 * so a test can check that stopping ends the whole tree.
 */
public final class ContractTrainerMain {

    private ContractTrainerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length == 2 && args[0].equals("--root") ? args[1] : "/opt/ml");
        System.err.println("contract trainer starting in " + root);
        Path hyperFile = root.resolve("input/config/hyperparameters.json");
        Map<String, String> hyper = Files.exists(hyperFile)
                ? Json.mapper().readValue(Files.readString(hyperFile), new TypeReference<Map<String, String>>() { })
                : Map.of();
        if (hyper.containsKey("fail")) {
            Files.createDirectories(root.resolve("output"));
            Files.writeString(root.resolve("output/failure"), hyper.get("fail") + "\n");
            System.exit(2);
        }
        if (hyper.containsKey("crash")) {
            System.err.println("about to crash: " + hyper.get("crash"));
            System.exit(3);
        }
        if (hyper.containsKey("pid_file")) {
            Process child = new ProcessBuilder("sleep", "600").start();
            Files.writeString(Path.of(hyper.get("pid_file")),
                    ProcessHandle.current().pid() + "\n" + child.pid() + "\n");
        }
        Map<String, Object> seen = new TreeMap<>();
        Path data = root.resolve("input/data");
        try (Stream<Path> channels = Files.list(data)) {
            for (Path channel : channels.sorted().toList()) {
                seen.put(channel.getFileName().toString(), files(channel));
            }
        }
        long rows = 0;
        for (Path csv : filesIn(data.resolve("train"))) {
            rows += Math.max(0, Files.readAllLines(csv, StandardCharsets.UTF_8).size() - 1);
        }
        int epochs = Integer.parseInt(hyper.getOrDefault("epochs", "3"));
        long sleep = Long.parseLong(hyper.getOrDefault("sleep_ms", "0"));
        for (int epoch = 1; epoch <= epochs; epoch++) {
            if (sleep > 0) {
                Thread.sleep(sleep);
            }
            System.out.printf("epoch=%d/%d train_loss=%.6f val_loss=%.6f val_metric=%.6f rows_per_s=%.1f%n",
                    epoch, epochs, 1.0 / epoch, 1.1 / epoch, 0.5 + 0.1 * epoch, 1000.0);
            System.out.flush();
        }
        Path model = Files.createDirectories(root.resolve("model"));
        Files.write(model.resolve("tabular-0000.params"), new byte[] {1, 2, 3, 4});
        Files.writeString(model.resolve("model.json"), Json.write(Map.of("rows_train", rows, "hyperparameters", hyper,
                "channels", seen)));
        Files.writeString(model.resolve("metrics.json"), Json.write(Map.of("accuracy", 0.9, "rows_train", rows,
                "epochs_run", epochs)));
        Files.writeString(model.resolve("profile.json"), "{\"features\":{}}");
        Files.writeString(model.resolve("card.md"), "# Model card\n\nTrained on " + rows + " rows.\n");
        System.out.println("done best_epoch=" + epochs + " epochs_run=" + epochs + " model_dir=" + model);
    }

    /** The channel's files as paths relative to the channel directory. */
    private static List<String> files(Path channel) throws IOException {
        List<String> names = new ArrayList<>();
        for (Path file : filesIn(channel)) {
            names.add(channel.relativize(file).toString().replace('\\', '/'));
        }
        return names;
    }

    private static List<Path> filesIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
