package io.modelcycle.core.capture;

import io.modelcycle.core.Json;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.artifact.ArtifactKeys;
import io.modelcycle.core.artifact.ArtifactStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.GZIPOutputStream;

/**
 * The one {@link CaptureSink}: a bounded in-memory buffer that a background thread writes to an
 * {@link ArtifactStore} as gzip JSON-lines objects. The same class serves AWS (over the S3 artifact store, one
 * {@code PutObject} per object) and one machine (over the file artifact store): capture needs nothing of a store but
 * "put these bytes under this key", so there is no separate S3 or file capture adapter.
 *
 * <p><b>Writing.</b> {@link #capture} adds the record to a lock-free queue and returns. The writer thread (a daemon,
 * started on the first capture) wakes when {@link Settings#batchSize()} records are waiting or
 * {@link Settings#flushInterval()} has passed, takes up to {@code batchSize} records at a time, groups them by model
 * and UTC hour, and writes each group as one object
 * {@code captures/{model}/yyyy/MM/dd/HH/{yyyyMMdd'T'HHmmss'Z'}-{sink id}-{sequence}.jsonl.gz}, the timestamp being
 * the group's first record's. The sink id is random per sink, so sinks in many Lambda environments never overwrite
 * each other; it is drawn at the first write, not at construction, so that no random value is baked into a
 * SnapStart snapshot.
 *
 * <p><b>Back-pressure.</b> At most {@link Settings#capacity()} records are held, counting those being written. When
 * the buffer is full, {@code capture} drops the record and counts it ({@link CaptureStats#dropped()}); it never waits
 * for the store. When the store fails, the records of that object are counted as {@link CaptureStats#failed()} and
 * the sink carries on; nothing is retried, so a failing store cannot make the buffer grow.
 *
 * <p><b>What can be lost.</b> Records are in memory until their object is written. If the environment is reclaimed
 * without {@link #close()} (a Lambda environment is frozen after a response and may be destroyed without notice),
 * the records lost are at most {@code capacity} (default {@value #DEFAULT_CAPACITY}), and in steady traffic about
 * one {@code flushInterval} of captured requests (default {@value #DEFAULT_FLUSH_SECONDS} s) or
 * {@code batchSize} records (default {@value #DEFAULT_BATCH_SIZE}), whichever is fewer: the writer never lets more
 * than that accumulate while it keeps up with the store. Call {@link #close()} from a shutdown hook where one runs.
 *
 * <p>Thread-safe. {@code capture} never throws; {@code flush} and {@code close} never throw and block until the
 * buffered records are written or counted as failed.
 */
public final class BufferedCaptureSink implements CaptureSink {

    public static final int DEFAULT_CAPACITY = 10_000;
    public static final int DEFAULT_BATCH_SIZE = 1_000;
    public static final int DEFAULT_FLUSH_SECONDS = 30;

    private static final System.Logger LOG = System.getLogger(BufferedCaptureSink.class.getName());
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    /**
     * How the buffer behaves.
     *
     * @param capacity      most records held at once (buffered or being written), {@code >= 1}
     * @param batchSize     most records per write, and the count that wakes the writer early; 1 to {@code capacity}
     * @param flushInterval longest a record waits before the writer wakes, 10 ms to 15 minutes
     */
    public record Settings(int capacity, int batchSize, Duration flushInterval) {
        public static final Settings DEFAULT =
                new Settings(DEFAULT_CAPACITY, DEFAULT_BATCH_SIZE, Duration.ofSeconds(DEFAULT_FLUSH_SECONDS));

        public Settings {
            if (capacity < 1) {
                throw new ValidationException("capture.capacity", "must be >= 1, got " + capacity);
            }
            if (batchSize < 1 || batchSize > capacity) {
                throw new ValidationException("capture.batchSize", "must be between 1 and capacity (" + capacity
                        + "), got " + batchSize);
            }
            if (flushInterval == null || flushInterval.toMillis() < 10 || flushInterval.compareTo(Duration.ofMinutes(15)) > 0) {
                throw new ValidationException("capture.flushInterval", "must be between 10 ms and 15 minutes, got "
                        + flushInterval);
            }
        }
    }

    private final ArtifactStore store;
    private final Settings settings;
    private final ConcurrentLinkedQueue<CaptureRecord> queue = new ConcurrentLinkedQueue<>();
    /** Records accepted and not yet written or failed: the buffer's fill, including the batch being written. */
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    /** Held while draining and writing, so a flush() returns only after the writer's batch in flight is done. */
    private final ReentrantLock writing = new ReentrantLock();
    private final Object lifecycle = new Object();
    private volatile boolean closed;
    private volatile Thread writer;
    private String sinkId;
    private long sequence;

    public BufferedCaptureSink(ArtifactStore store, Settings settings) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = settings == null ? Settings.DEFAULT : settings;
    }

    public BufferedCaptureSink(ArtifactStore store) {
        this(store, Settings.DEFAULT);
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public void capture(CaptureRecord record) {
        try {
            if (record == null || closed) {
                dropped.incrementAndGet();
                return;
            }
            if (pending.incrementAndGet() > settings.capacity()) {
                pending.decrementAndGet();
                dropped.incrementAndGet();
                return;
            }
            queue.add(record);
            int waiting = queued.incrementAndGet();
            if (closed && queue.remove(record)) {
                // close() ran between the check above and the add, and its final flush missed this record.
                queued.decrementAndGet();
                pending.decrementAndGet();
                dropped.incrementAndGet();
                return;
            }
            accepted.incrementAndGet();
            Thread current = writer;
            if (current == null || !current.isAlive()) {
                current = startWriter();
            }
            if (waiting >= settings.batchSize() && current != null) {
                LockSupport.unpark(current);
            }
        } catch (Throwable e) {
            // Even an Error (no thread could be started, say) must not reach the request; the record is lost.
            dropped.incrementAndGet();
        }
    }

    @Override
    public void flush() {
        try {
            drainAndWrite();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "capture flush failed", e);
        }
    }

    @Override
    public void close() {
        Thread current;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            current = writer;
        }
        if (current != null) {
            LockSupport.unpark(current);
            try {
                current.join(CLOSE_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        flush();
    }

    @Override
    public CaptureStats stats() {
        return new CaptureStats(accepted.get(), written.get(), dropped.get(), failed.get(), pending.get());
    }

    private Thread startWriter() {
        synchronized (lifecycle) {
            // A writer that died of an Error is replaced, so one bad moment does not stop capture for good.
            if ((writer == null || !writer.isAlive()) && !closed) {
                Thread thread = new Thread(this::runWriter, "capture-writer");
                thread.setDaemon(true);
                thread.start();
                writer = thread;
            }
            return writer;
        }
    }

    private void runWriter() {
        long interval = settings.flushInterval().toNanos();
        long deadline = System.nanoTime() + interval;
        while (!closed) {
            long wait = deadline - System.nanoTime();
            if (queued.get() < settings.batchSize() && wait > 0) {
                LockSupport.parkNanos(this, wait);
                continue;
            }
            try {
                drainAndWrite();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "capture writer failed; carrying on", e);
            }
            deadline = System.nanoTime() + interval;
        }
    }

    /** Writes everything queued, {@code batchSize} records at a time. */
    private void drainAndWrite() {
        writing.lock();
        try {
            while (true) {
                List<CaptureRecord> batch = new ArrayList<>(Math.min(settings.batchSize(), Math.max(queued.get(), 1)));
                CaptureRecord record;
                while (batch.size() < settings.batchSize() && (record = queue.poll()) != null) {
                    queued.decrementAndGet();
                    batch.add(record);
                }
                if (batch.isEmpty()) {
                    return;
                }
                writeBatch(batch);
            }
        } finally {
            writing.unlock();
        }
    }

    private void writeBatch(List<CaptureRecord> batch) {
        Map<String, List<CaptureRecord>> byFolder = new LinkedHashMap<>();
        for (CaptureRecord record : batch) {
            byFolder.computeIfAbsent(ArtifactKeys.capturePrefix(record.model(), record.timestamp()),
                    folder -> new ArrayList<>()).add(record);
        }
        for (Map.Entry<String, List<CaptureRecord>> group : byFolder.entrySet()) {
            List<CaptureRecord> records = group.getValue();
            try {
                Encoded encoded = encode(records);
                if (encoded.lines() > 0) {
                    String key = group.getKey() + STAMP.format(records.get(0).timestamp()) + "-" + sinkId() + "-"
                            + String.format("%06d", ++sequence) + ".jsonl.gz";
                    store.put(key, encoded.bytes());
                }
                written.addAndGet(encoded.lines());
                failed.addAndGet(records.size() - encoded.lines());
            } catch (RuntimeException e) {
                failed.addAndGet(records.size());
                LOG.log(System.Logger.Level.WARNING, "could not write " + records.size() + " capture records under "
                        + group.getKey() + " (" + failed.get() + " lost so far): " + e, e);
            } finally {
                pending.addAndGet(-records.size());
            }
        }
    }

    private record Encoded(byte[] bytes, int lines) {
    }

    private static Encoded encode(List<CaptureRecord> records) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(256 * records.size());
        int lines = 0;
        try (GZIPOutputStream gzip = new GZIPOutputStream(buffer, 64 * 1024)) {
            for (CaptureRecord record : records) {
                byte[] line;
                try {
                    line = Json.mapper().writeValueAsBytes(record);
                } catch (IOException e) {
                    // A row holding something JSON cannot express loses that record only.
                    LOG.log(System.Logger.Level.WARNING, "capture record " + record.requestId()
                            + " cannot be serialised: " + e.getMessage());
                    continue;
                }
                gzip.write(line);
                gzip.write('\n');
                lines++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot gzip capture records", e);
        }
        return new Encoded(buffer.toByteArray(), lines);
    }

    private String sinkId() {
        if (sinkId == null) {
            sinkId = UUID.randomUUID().toString();
        }
        return sinkId;
    }
}
