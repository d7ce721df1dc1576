package io.modelcycle.local.asl;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.PriorityQueue;

/**
 * A deterministic scheduler with a virtual clock, for tests and benchmarks: tasks run on the thread that calls
 * {@link #runUntilIdle()} or {@link #advance(Duration)}, and time moves only when one of those says so. A test of a
 * one-hour Wait state takes microseconds.
 *
 * <p>Safe to call {@link #execute} and {@link #schedule} from any thread; running is single-threaded.
 */
public final class VirtualScheduler implements Scheduler {

    private record Timed(Instant at, long seq, Runnable task, boolean[] cancelled) {
    }

    private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
    private final PriorityQueue<Timed> timers = new PriorityQueue<>((a, b) -> {
        int c = a.at.compareTo(b.at);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    });
    private Instant now;
    private long seq;

    public VirtualScheduler(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized void execute(Runnable task) {
        ready.add(task);
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, Duration delay) {
        boolean[] cancelled = {false};
        timers.add(new Timed(now.plus(delay.isNegative() ? Duration.ZERO : delay), seq++, task, cancelled));
        return () -> {
            synchronized (VirtualScheduler.this) {
                cancelled[0] = true;
            }
        };
    }

    /** Runs every task that is ready now, without moving the clock. */
    public void runReady() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = ready.poll();
                if (next == null) {
                    Timed due = timers.peek();
                    if (due != null && !due.at.isAfter(now)) {
                        timers.poll();
                        if (!due.cancelled[0]) {
                            ready.add(due.task);
                        }
                        continue;
                    }
                    return;
                }
            }
            next.run();
        }
    }

    /** Moves the clock forward by {@code duration}, running every task that falls due on the way, in order. */
    public void advance(Duration duration) {
        Instant target;
        synchronized (this) {
            target = now.plus(duration);
        }
        runReady();
        while (true) {
            synchronized (this) {
                Timed due = timers.peek();
                while (due != null && due.cancelled[0]) {
                    timers.poll();
                    due = timers.peek();
                }
                if (due == null || due.at.isAfter(target)) {
                    now = target;
                    break;
                }
                now = due.at;
            }
            runReady();
        }
        runReady();
    }

    /**
     * Runs until nothing is left to do, jumping the clock to each next timer: the whole of an execution that only
     * waits on timers completes in one call. Stops (leaving the clock where it is) when only cancelled timers
     * remain or when everything pending waits on something outside (a task token).
     */
    public void runUntilIdle() {
        while (true) {
            runReady();
            synchronized (this) {
                Timed due = timers.peek();
                while (due != null && due.cancelled[0]) {
                    timers.poll();
                    due = timers.peek();
                }
                if (due == null) {
                    return;
                }
                if (due.at.isAfter(now)) {
                    now = due.at;
                }
            }
        }
    }

    /** The number of live (not cancelled) timers. */
    public synchronized int pendingTimers() {
        return (int) timers.stream().filter(t -> !t.cancelled[0]).count();
    }
}
