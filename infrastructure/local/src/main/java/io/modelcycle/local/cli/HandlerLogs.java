package io.modelcycle.local.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sends what the in-process handlers write to the process's standard streams (JSON log lines, EMF metric lines, as
 * they do on Lambda) to a log file under the home, so that a command's own output stays readable. The command keeps
 * printing to the streams it was given; {@link #close} restores the process's streams.
 *
 * <p>The process's streams are one per process: when commands overlap in one JVM (tests), the first one's
 * redirection holds until the last one closes, and the others' handler output goes to the first one's file.
 */
final class HandlerLogs implements AutoCloseable {

    private static final Object LOCK = new Object();
    private static int open;
    private static PrintStream originalOut;
    private static PrintStream originalErr;
    private static PrintStream log;

    private final Path file;
    private boolean closed;

    private HandlerLogs(Path file) {
        this.file = file;
        synchronized (LOCK) {
            if (open == 0) {
                try {
                    Files.createDirectories(file.getParent());
                    log = new PrintStream(new FileOutputStream(file.toFile(), true), true, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot open the log file " + file, e);
                }
                originalOut = System.out;
                originalErr = System.err;
                System.setOut(log);
                System.setErr(log);
            }
            open++;
        }
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
        synchronized (LOCK) {
            if (closed) {
                return;
            }
            closed = true;
            if (--open == 0) {
                System.setOut(originalOut);
                System.setErr(originalErr);
                log.close();
            }
        }
    }
}
