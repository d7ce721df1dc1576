package io.modelcycle.local.asl;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A lock file {@code home/owners/<executor-id>.lock} held for as long as an executor lives: an operating-system
 * lock, so it is released when the process dies, however it dies. Another executor that finds the lock free knows
 * the executions of that owner were interrupted.
 */
final class OwnerLock {

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private OwnerLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    static OwnerLock acquire(Path home, String owner) {
        Path file = home.resolve("owners").resolve(owner + ".lock");
        try {
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new OwnerLock(file, channel, channel.lock());
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the executor lock " + file + ": " + e.getMessage(), e);
        }
    }

    /** True when the executor {@code owner} still holds its lock (in this or another process). */
    static boolean isAlive(Path home, String owner) {
        Path file = home.resolve("owners").resolve(owner + ".lock");
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock probe = channel.tryLock();
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // held by an executor of this very JVM
        } catch (IOException e) {
            return false;
        }
    }

    void release() {
        try {
            lock.release();
            channel.close();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the lock goes with the process anyway; a stale file is harmless (isAlive finds it free)
        }
    }
}
