package io.modelcycle.inference.runtime;

import io.modelcycle.core.metrics.MetricPoint;
import io.modelcycle.core.metrics.MetricsSink;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes a slow {@link MetricsSink} (the embedded SQLite store, CloudWatch's API) off the request path: {@link #publish}
 * queues the points and returns; a daemon thread, started at the first publish (never in a constructor, so nothing runs
 * before a SnapStart snapshot), publishes them in batches. When the queue is full, points are dropped and counted
 * ({@link #dropped()}) rather than slowing requests down; a failing store's points are counted as failed.
 *
 * <p>{@link #close()} publishes what is queued and stops the thread. Thread-safe.
 */
public final class BackgroundMetricsSink implements MetricsSink, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(BackgroundMetricsSink.class.getName());
    private static final int BATCH = 500;

    private final MetricsSink delegate;
    private final BlockingQueue<MetricPoint> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    /** Points queued and not yet handed to the store. */
    private final AtomicLong pending = new AtomicLong();
    private final Object lock = new Object();
    private volatile Thread writer;
    private volatile boolean closed;

    /**
     * @param delegate the store that is slow to write
     * @param capacity most points waiting at once
     */
    public BackgroundMetricsSink(MetricsSink delegate, int capacity) {
        this.delegate = delegate;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    @Override
    public void publish(Collection<MetricPoint> points) {
        if (closed) {
            dropped.addAndGet(points.size());
            return;
        }
        startWriter();
        for (MetricPoint p : points) {
            pending.incrementAndGet();
            if (!queue.offer(p)) {
                pending.decrementAndGet();
                dropped.incrementAndGet();
            }
        }
    }

    private void startWriter() {
        if (writer != null) {
            return;
        }
        synchronized (lock) {
            if (writer == null && !closed) {
                Thread t = new Thread(this::run, "metrics-writer");
                t.setDaemon(true);
                t.start();
                writer = t;
            }
        }
    }

    private void run() {
        List<MetricPoint> batch = new ArrayList<>(BATCH);
        while (!closed || !queue.isEmpty()) {
            try {
                MetricPoint first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                write(batch);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void write(List<MetricPoint> batch) {
        try {
            delegate.publish(batch);
        } catch (RuntimeException e) {
            failed.addAndGet(batch.size());
            LOG.log(System.Logger.Level.WARNING, "could not publish " + batch.size() + " metric points", e);
        } finally {
            pending.addAndGet(-batch.size());
        }
    }

    /** Points dropped because the queue was full or the sink closed. */
    public long dropped() {
        return dropped.get();
    }

    /** Points the store refused or failed on. */
    public long failed() {
        return failed.get();
    }

    /** Returns once every point queued so far has been handed to the store (or failed), or after 10 s. */
    public void flush() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pending.get() > 0 && System.nanoTime() < deadline) {
            if (writer == null || !writer.isAlive()) {
                List<MetricPoint> rest = new ArrayList<>();
                queue.drainTo(rest);
                if (!rest.isEmpty()) {
                    write(rest);
                }
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread t;
        synchronized (lock) {
            t = writer;
        }
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        flush();
    }
}
