package io.modelcycle.local.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sends what the in-process handlers write to the process's standard streams (one JSON log line per request, an EMF
 * metric line per request, as they do on Lambda) to a log file under the home, so that a long-running command's own
 * output stays readable. The command keeps printing to the streams it was given; {@link #close} restores the
 * process's streams.
 */
final class HandlerLogs implements AutoCloseable {

    private final PrintStream originalOut = System.out;
    private final PrintStream originalErr = System.err;
    private final PrintStream log;
    private final Path file;

    private HandlerLogs(Path file) {
        this.file = file;
        try {
            Files.createDirectories(file.getParent());
            this.log = new PrintStream(new FileOutputStream(file.toFile(), true), true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the log file " + file, e);
        }
        System.setOut(log);
        System.setErr(log);
    }

    /** Redirects the process's standard streams to {@code home/logs/<name>.log}. */
    static HandlerLogs redirect(Path home, String name) {
        return new HandlerLogs(home.resolve("logs").resolve(name + ".log").toAbsolutePath());
    }

    Path file() {
        return file;
    }

    @Override
    public void close() {
        System.setOut(originalOut);
        System.setErr(originalErr);
        log.close();
    }
}
