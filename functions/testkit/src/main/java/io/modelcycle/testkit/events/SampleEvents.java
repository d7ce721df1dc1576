package io.modelcycle.testkit.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The sample events under {@code events/} at the repository root. Tests run in their module's directory, so the
 * folder is found by walking up from there; the same files serve {@code sam local invoke -e} and
 * {@code aws stepfunctions start-execution --input file://…}.
 */
public final class SampleEvents {

    private SampleEvents() {
    }

    /** The {@code events/} folder. */
    public static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path events = dir.resolve("events");
            if (Files.isDirectory(events) && Files.exists(dir.resolve("pom.xml"))) {
                return events;
            }
        }
        throw new IllegalStateException("no events/ folder above " + Path.of("").toAbsolutePath());
    }

    /** The text of {@code events/<relative>}, e.g. {@code deployment/start-canary.json}. */
    public static String read(String relative) {
        Path file = root().resolve(relative);
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sample event " + file, e);
        }
    }

    /** Every {@code *.json} file in {@code events/<folder>}, sorted by name. */
    public static List<Path> list(String folder) {
        try (Stream<Path> files = Files.list(root().resolve(folder))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list events/" + folder, e);
        }
    }
}
