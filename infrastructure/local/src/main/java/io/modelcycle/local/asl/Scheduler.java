package io.modelcycle.local.asl;

import java.time.Duration;
import java.time.Instant;

/**
 * Where the executor runs its continuations and timers. Nothing in the executor sleeps: a Wait state or a retry
 * back-off is a {@link #schedule} call, so thousands of waiting executions hold no thread. Production uses
 * {@link SystemScheduler}; tests use {@link VirtualScheduler}, whose clock only moves when told to.
 */
public interface Scheduler {

    /** The current time on this scheduler's clock. */
    Instant now();

    /** Runs {@code task} soon, on a scheduler thread. */
    void execute(Runnable task);

    /** Runs {@code task} once {@code delay} has passed on this scheduler's clock. */
    Cancellable schedule(Runnable task, Duration delay);

    /** A scheduled task that may be cancelled before it runs. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}
