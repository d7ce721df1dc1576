package io.modelcycle.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.modelcycle.core.Json;
import io.modelcycle.core.artifact.ArtifactStore;
import io.modelcycle.core.artifact.StoredObject;
import io.modelcycle.core.capture.BufferedCaptureSink;
import io.modelcycle.core.capture.CaptureRecord;
import io.modelcycle.core.capture.CaptureSink;
import io.modelcycle.core.capture.CaptureStats;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of the {@link CaptureSink} over one kind of {@link ArtifactStore}: what the inference handler relies
 * on (never throws, never blocks, drops and counts when full) and what the drift check relies on (gzip JSON lines,
 * one {@link CaptureRecord} per line, under {@code captures/{model}/yyyy/MM/dd/HH/}). Extend it once per store.
 */
public abstract class CaptureSinkContract {

    /** A working, empty store; called once per test. */
    protected abstract ArtifactStore store();

    /** A real store of the same kind on which every write fails (a missing bucket, an unwritable root). */
    protected abstract ArtifactStore failingStore();

    /** The sink under test over {@code store}; override only to wrap it. */
    protected CaptureSink sink(ArtifactStore store, BufferedCaptureSink.Settings settings) {
        return new BufferedCaptureSink(store, settings);
    }

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final BufferedCaptureSink.Settings MANUAL =
            new BufferedCaptureSink.Settings(1_000, 1_000, Duration.ofMinutes(15));

    private final List<CaptureSink> opened = new ArrayList<>();

    @AfterEach
    void closeSinks() {
        opened.forEach(CaptureSink::close);
    }

    private CaptureSink open(ArtifactStore store, BufferedCaptureSink.Settings settings) {
        CaptureSink sink = sink(store, settings);
        opened.add(sink);
        return sink;
    }

    protected static CaptureRecord record(String model, String at, int n) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("age", 30 + n);
        row.put("income", 1234.5 + n);
        row.put("plan", n % 2 == 0 ? "pro" : "basic");
        row.put("region", null);
        return CaptureRecord.single(Instant.parse(at), model, 3, "production", "req-" + model + "-" + n, row, 0.25 * (n % 4));
    }

    /** Every record in every object under {@code prefix}, in key order then line order. */
    protected static List<CaptureRecord> readAll(ArtifactStore store, String prefix) {
        List<CaptureRecord> records = new ArrayList<>();
        for (StoredObject object : store.list(prefix)) {
            records.addAll(readObject(store, object.key()));
        }
        return records;
    }

    protected static List<CaptureRecord> readObject(ArtifactStore store, String key) {
        List<CaptureRecord> records = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(store.read(key)));
             BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                records.add(Json.read(line, CaptureRecord.class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("object " + key + " is not gzip JSON lines", e);
        }
        return records;
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting " + WAIT.toSeconds() + " s for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    @Test
    void records_land_as_gzip_json_lines_one_object_per_model_and_hour() {
        // GIVEN records of two models across two UTC hours
        ArtifactStore store = store();
        CaptureSink sink = open(store, MANUAL);
        List<CaptureRecord> churn10 = List.of(record("churn", "2026-11-29T10:15:02.120Z", 1),
                record("churn", "2026-11-29T10:15:03Z", 2), record("churn", "2026-11-29T10:59:59.999Z", 3));
        CaptureRecord churn11 = record("churn", "2026-11-29T11:00:00Z", 4);
        List<CaptureRecord> fraud10 = List.of(record("fraud", "2026-11-29T10:30:00Z", 5),
                record("fraud", "2026-11-29T10:31:00Z", 6));

        // WHEN they are captured and flushed
        churn10.forEach(sink::capture);
        sink.capture(churn11);
        fraud10.forEach(sink::capture);
        sink.flush();

        // THEN each model and hour has one object, named captures/{model}/yyyy/MM/dd/HH/<stamp>-<id>-<seq>.jsonl.gz
        List<String> keys = store.list("captures/").stream().map(StoredObject::key).toList();
        assertThat(keys).hasSize(3);
        assertThat(keys).anySatisfy(key -> assertThat(key).matches(
                "captures/churn/2026/11/29/10/20261129T101502Z-[0-9a-f-]{36}-\\d{6}\\.jsonl\\.gz"));
        assertThat(keys).anySatisfy(key -> assertThat(key).matches(
                "captures/churn/2026/11/29/11/20261129T110000Z-[0-9a-f-]{36}-\\d{6}\\.jsonl\\.gz"));
        assertThat(keys).anySatisfy(key -> assertThat(key).matches(
                "captures/fraud/2026/11/29/10/20261129T103000Z-[0-9a-f-]{36}-\\d{6}\\.jsonl\\.gz"));

        // AND the objects read back as gzip JSON lines, record for record, in capture order
        assertThat(readAll(store, "captures/churn/2026/11/29/10/")).containsExactlyElementsOf(churn10);
        assertThat(readAll(store, "captures/churn/2026/11/29/11/")).containsExactly(churn11);
        assertThat(readAll(store, "captures/fraud/")).containsExactlyElementsOf(fraud10);
        assertThat(sink.stats()).isEqualTo(new CaptureStats(6, 6, 0, 0, 0));
    }

    @Test
    void the_writer_flushes_on_its_own_when_the_interval_passes() {
        // GIVEN a sink that writes every 50 ms, or every 1,000 records
        ArtifactStore store = store();
        CaptureSink sink = open(store, new BufferedCaptureSink.Settings(1_000, 1_000, Duration.ofMillis(50)));

        // WHEN one record is captured and nobody flushes
        sink.capture(record("churn", "2026-11-29T10:00:00Z", 1));

        // THEN the background writer stores it
        awaitTrue("the record to be written", () -> sink.stats().written() == 1);
        assertThat(readAll(store, "captures/churn/")).hasSize(1);
    }

    @Test
    void the_writer_flushes_on_its_own_when_a_batch_is_full() {
        // GIVEN a sink that writes every 5 records, or every 15 minutes
        ArtifactStore store = store();
        CaptureSink sink = open(store, new BufferedCaptureSink.Settings(100, 5, Duration.ofMinutes(15)));

        // WHEN five records are captured
        for (int i = 0; i < 5; i++) {
            sink.capture(record("churn", "2026-11-29T10:00:0" + i + "Z", i));
        }

        // THEN they are written long before the interval, as one object
        awaitTrue("the batch to be written", () -> sink.stats().written() == 5);
        assertThat(store.list("captures/churn/")).hasSize(1);
        assertThat(readAll(store, "captures/churn/")).hasSize(5);
    }

    @Test
    void a_full_buffer_drops_and_counts_instead_of_blocking() throws Exception {
        // GIVEN a sink holding at most 3 records, whose store is stuck in the middle of writing the first one
        StuckStore stuck = new StuckStore(store());
        CaptureSink sink = open(stuck, new BufferedCaptureSink.Settings(3, 1, Duration.ofMinutes(15)));
        sink.capture(record("churn", "2026-11-29T10:00:00Z", 0));
        assertThat(stuck.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the writer reached the store").isTrue();

        // WHEN ten more records are captured while the store is stuck
        assertTimeoutPreemptively(WAIT, () -> {
            for (int i = 1; i <= 10; i++) {
                sink.capture(record("churn", "2026-11-29T10:00:00Z", i));
            }
        }, "capture() waited for the store");

        // THEN capture returned at once: two fit beside the one in flight, eight were dropped and counted
        assertThat(sink.stats()).isEqualTo(new CaptureStats(3, 0, 8, 0, 3));

        // AND once the store recovers, the three held are written
        stuck.release.countDown();
        sink.flush();
        assertThat(sink.stats()).isEqualTo(new CaptureStats(3, 3, 8, 0, 0));
        assertThat(readAll(stuck, "captures/churn/")).extracting(CaptureRecord::requestId)
                .containsExactlyInAnyOrder("req-churn-0", "req-churn-1", "req-churn-2");
    }

    @Test
    void a_failing_store_never_reaches_the_caller() {
        // GIVEN a sink over a store that fails every write
        CaptureSink sink = open(failingStore(), MANUAL);

        // WHEN records are captured, flushed and the sink closed
        assertThatCode(() -> {
            for (int i = 0; i < 5; i++) {
                sink.capture(record("churn", "2026-11-29T10:00:00Z", i));
            }
            sink.flush();
            sink.close();
            sink.capture(record("churn", "2026-11-29T10:00:00Z", 99));
        }).doesNotThrowAnyException();

        // THEN nothing was thrown, and the loss is counted: five failed in the store, one refused after close
        assertThat(sink.stats()).isEqualTo(new CaptureStats(5, 0, 1, 5, 0));
        assertThat(sink.stats().lost()).isEqualTo(6);
    }

    @Test
    void close_writes_what_is_buffered_and_refuses_later_records() {
        // GIVEN a sink with two records waiting for a 15-minute interval
        ArtifactStore store = store();
        CaptureSink sink = open(store, MANUAL);
        sink.capture(record("churn", "2026-11-29T10:00:00Z", 1));
        sink.capture(record("churn", "2026-11-29T10:00:01Z", 2));

        // WHEN it is closed (twice, as shutdown paths do) and then given another record
        sink.close();
        sink.close();
        sink.capture(record("churn", "2026-11-29T10:00:02Z", 3));
        sink.capture(null);

        // THEN the two were written, and the late record and the null were dropped, not thrown
        assertThat(readAll(store, "captures/churn/")).extracting(CaptureRecord::requestId)
                .containsExactly("req-churn-1", "req-churn-2");
        assertThat(sink.stats()).isEqualTo(new CaptureStats(2, 2, 2, 0, 0));
    }

    @Test
    void sinks_writing_the_same_hour_never_overwrite_each_other() {
        // GIVEN two sinks (two Lambda environments) over one store
        ArtifactStore store = store();
        CaptureSink first = open(store, MANUAL);
        CaptureSink second = open(store, MANUAL);

        // WHEN each writes a record of the same model, hour and second
        first.capture(record("churn", "2026-11-29T10:00:00Z", 1));
        second.capture(record("churn", "2026-11-29T10:00:00Z", 2));
        first.flush();
        second.flush();

        // THEN both objects are there
        assertThat(store.list("captures/churn/2026/11/29/10/")).hasSize(2);
        assertThat(readAll(store, "captures/churn/")).extracting(CaptureRecord::requestId)
                .containsExactlyInAnyOrder("req-churn-1", "req-churn-2");
    }

    @Test
    void concurrent_captures_are_all_accounted_for() throws Exception {
        // GIVEN a sink that writes every 100 records or 20 ms, holding at most 300
        ArtifactStore store = store();
        CaptureSink sink = open(store, new BufferedCaptureSink.Settings(300, 100, Duration.ofMillis(20)));

        // WHEN four threads capture 250 records each at full speed, and the sink is then closed
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 250; i++) {
                    sink.capture(record("churn", "2026-11-29T10:00:00Z", thread * 1_000 + i));
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join(WAIT.toMillis());
        }
        sink.close();

        // THEN every record was either written or dropped, and exactly the written ones are in the store
        CaptureStats stats = sink.stats();
        assertThat(stats.accepted() + stats.dropped()).isEqualTo(1_000);
        assertThat(stats.written()).isEqualTo(stats.accepted());
        assertThat(stats.pending()).isZero();
        assertThat(stats.failed()).isZero();
        List<CaptureRecord> stored = readAll(store, "captures/churn/");
        assertThat(stored).hasSize((int) stats.written());
        assertThat(stored).extracting(CaptureRecord::requestId).doesNotHaveDuplicates();
    }

    /** A real store whose first write waits until the test releases it: a store that has stopped answering. */
    private static final class StuckStore implements ArtifactStore {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final ArtifactStore delegate;

        StuckStore(ArtifactStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public StoredObject put(String key, InputStream content) {
            entered.countDown();
            try {
                // Bounded, so a failed test cannot leave the writer (and the sink's close) hanging for ever.
                release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return delegate.put(key, content);
        }

        @Override
        public InputStream open(String key) {
            return delegate.open(key);
        }

        @Override
        public Optional<StoredObject> stat(String key) {
            return delegate.stat(key);
        }

        @Override
        public StoredObject adopt(String key) {
            return delegate.adopt(key);
        }

        @Override
        public List<StoredObject> list(String prefix) {
            return delegate.list(prefix);
        }

        @Override
        public void delete(String key) {
            delegate.delete(key);
        }

        @Override
        public String uri(String key) {
            return delegate.uri(key);
        }
    }
}
