package io.modelcycle.local.asl;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The wall-clock scheduler: a small pool of daemon threads shared by every execution. */
public final class SystemScheduler implements Scheduler, AutoCloseable {

    private final ScheduledThreadPoolExecutor pool;

    /** A pool of {@code threads} threads (at least one). */
    public SystemScheduler(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1 but was " + threads);
        }
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "asl-executor-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = new ScheduledThreadPoolExecutor(threads, factory);
        this.pool.setRemoveOnCancelPolicy(true);
    }

    /** One thread per available processor. */
    public SystemScheduler() {
        this(Runtime.getRuntime().availableProcessors());
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public void execute(Runnable task) {
        pool.execute(reported(task));
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        ScheduledFuture<?> f = pool.schedule(reported(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    /** The pool keeps a task's exception in a future nobody reads; hand it to the thread's handler instead. */
    private static Runnable reported(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                Thread t = Thread.currentThread();
                t.getUncaughtExceptionHandler().uncaughtException(t, e);
            }
        };
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
