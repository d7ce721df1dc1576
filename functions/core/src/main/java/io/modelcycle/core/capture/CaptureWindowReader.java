package io.modelcycle.core.capture;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.modelcycle.core.ModelCycleException;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.artifact.ArtifactKeys;
import io.modelcycle.core.artifact.ArtifactStore;
import io.modelcycle.core.artifact.StoredObject;
import io.modelcycle.core.model.FeatureType;
import io.modelcycle.core.profile.Profile;
import io.modelcycle.core.profile.ProfileBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * Reads the capture files of a time window and profiles them against a baseline, for a drift check.
 *
 * <p>It lists {@code captures/{model}/yyyy/MM/dd/HH/} for every UTC hour that overlaps {@code [from, to)}, and reads
 * every {@code .gz} object there (gzip JSON lines of {@link CaptureRecord}) straight into a {@link ProfileBuilder}: no
 * record objects, no per-row maps, memory independent of the number of rows (a 256 KiB line buffer per worker,
 * larger only for a longer line). Each line goes first through {@link CaptureLineParser}, a byte-level parser of the
 * shape capture sinks write, which matches field names and category values as bytes against the schema and creates
 * no Strings; any line it does not take whole (escapes, numbers as strings, malformed JSON, an object spread over
 * lines) goes through Jackson's streaming parser, which reads it or reports it, exactly as it would alone. Both
 * paths give bit-identical profiles. Timestamps are parsed only in the first and last hour, the ones the window may
 * cut; every record of an hour inside the window is accepted as is. Files are shared among {@code threads} workers,
 * each with its own builder; their profiles are merged at the end.
 *
 * <p>Errors: {@link ValidationException} for a bad window or a capture line that is not a valid record (naming the
 * object key and line), {@link io.modelcycle.core.IntegrityException} when an object does not match its recorded
 * hash, and what the store throws.
 */
public final class CaptureWindowReader {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            // the raw stream is drained after parsing, so that the store verifies its hash
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();
    private static final long MAX_HOURS = 24L * 366;
    private static final int GZIP_BUFFER = 64 * 1024;
    private static final int LINE_BUFFER = 256 * 1024;
    private static final int MAX_LINE_BUFFER = 16 * 1024 * 1024;

    private final ArtifactStore store;
    private final int threads;
    private final boolean fastPath;
    /** Lines the fast parser left to Jackson, for tests. */
    final AtomicLong fallbackLines = new AtomicLong();

    /** A reader on {@code threads} workers (at least 1). */
    public CaptureWindowReader(ArtifactStore store, int threads) {
        this(store, threads, true);
    }

    /** With {@code fastPath} false every line goes through Jackson: the reference the fast path is tested against. */
    CaptureWindowReader(ArtifactStore store, int threads, boolean fastPath) {
        if (store == null) {
            throw new ValidationException("store", "is required");
        }
        if (threads < 1 || threads > 64) {
            throw new ValidationException("threads", "must be in [1, 64], got " + threads);
        }
        this.store = store;
        this.threads = threads;
        this.fastPath = fastPath;
    }

    /** A reader on as many workers as there are processors, at most 4. */
    public CaptureWindowReader(ArtifactStore store) {
        this(store, Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
    }

    /**
     * Profiles the captures of {@code model} served in {@code [from, to)} against {@code baseline}.
     *
     * @param version only records of this version, or null for all
     */
    public WindowProfile read(String model, Instant from, Instant to, Integer version, Profile baseline) {
        if (from == null || to == null || !from.isBefore(to)) {
            throw new ValidationException("window", "needs from < to, got " + from + " .. " + to);
        }
        if (Duration.between(from, to).toHours() > MAX_HOURS) {
            throw new ValidationException("window", "at most " + MAX_HOURS + " hours");
        }
        if (baseline == null) {
            throw new ValidationException("baseline", "is required");
        }
        List<Task> tasks = new ArrayList<>();
        for (Instant hour = from.truncatedTo(ChronoUnit.HOURS); hour.isBefore(to); hour = hour.plus(1, ChronoUnit.HOURS)) {
            boolean whole = !hour.isBefore(from) && !hour.plus(1, ChronoUnit.HOURS).isAfter(to);
            for (StoredObject object : store.list(ArtifactKeys.capturePrefix(model, hour))) {
                if (object.key().endsWith(".gz")) {
                    tasks.add(new Task(object.key(), !whole));
                }
            }
        }
        Filter filter = new Filter(from.toEpochMilli(), to.toEpochMilli(), version);
        int workers = Math.max(1, Math.min(threads, tasks.size()));
        AtomicInteger next = new AtomicInteger();
        List<Worker> done = new ArrayList<>();
        if (workers == 1) {
            done.add(new Worker(baseline, filter).drain(tasks, next));
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
                Thread t = new Thread(r, "capture-reader");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<Worker>> futures = new ArrayList<>();
                for (int i = 0; i < workers; i++) {
                    futures.add(pool.submit(() -> new Worker(baseline, filter).drain(tasks, next)));
                }
                for (Future<Worker> f : futures) {
                    done.add(f.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading captures", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException("reading captures failed", e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        Profile profile = done.get(0).builder.build();
        long records = done.get(0).records;
        long skipped = done.get(0).skipped;
        for (int i = 1; i < done.size(); i++) {
            profile = profile.merge(done.get(i).builder.build());
            records += done.get(i).records;
            skipped += done.get(i).skipped;
        }
        return new WindowProfile(profile, tasks.size(), records, skipped);
    }

    private static final double[] POW10 = new double[23];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    /**
     * The number token's value. Plain decimals with at most 15 significant digits (what capture sinks write) take
     * Clinger's fast path: an exact integer mantissa divided by an exact power of ten is correctly rounded, so the
     * result is bit-identical to {@link Double#parseDouble}; anything else (exponents, long mantissas) goes to it.
     */
    static double parseNumber(JsonParser p) throws IOException {
        char[] buf = p.getTextCharacters();
        int i = p.getTextOffset();
        int end = i + p.getTextLength();
        boolean negative = buf[i] == '-';
        if (negative) {
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int scale = 0;
        boolean dot = false;
        for (; i < end; i++) {
            char c = buf[i];
            if (c >= '0' && c <= '9') {
                if (mantissa != 0 || c != '0') {
                    if (++digits > 15) {
                        return p.getDoubleValue();
                    }
                }
                mantissa = mantissa * 10 + (c - '0');
                if (dot) {
                    scale++;
                }
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                return p.getDoubleValue();
            }
        }
        if (scale >= POW10.length) {
            return p.getDoubleValue();
        }
        double value = mantissa / POW10[scale];
        return negative ? -value : value;
    }

    /**
     * Fills every read completely. GZIPInputStream returns whatever one inflate step produced, often a few hundred
     * bytes, which leaves Jackson near the end of its buffer most of the time and on its slow paths.
     */
    private static final class FullReads extends java.io.FilterInputStream {
        FullReads(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.readNBytes(b, off, len);
            return n == 0 && len > 0 ? -1 : n;
        }

        /**
         * Leaves the stream open: its owner closes it, after draining the raw object (a SequenceInputStream closes
         * each part at its end, which would cut that short).
         */
        @Override
        public void close() {
        }
    }

    private record Task(String key, boolean checkTime) {
    }

    private record Filter(long fromMillis, long toMillis, Integer version) {
    }

    /** One thread's state: its builder and the reusable buffers of the record being parsed. */
    private final class Worker {
        private final ProfileBuilder builder;
        private final Filter filter;
        private final Map<String, Integer> columns = new HashMap<>();
        /**
         * The field name last seen at each position of a row and its column: rows of one producer list their
         * fields in the same order, and Jackson hands out the same canonical String for a name, so a reference
         * comparison usually replaces the hash lookup.
         */
        private String[] nameAt = new String[8];
        private int[] columnAt = new int[8];
        private final boolean[] numericColumn;
        private final int width;
        private final FeatureType predictionType;
        private double[][] num = new double[4][];
        private String[][] cat = new String[4][];
        private double[] predNum = new double[4];
        private String[] predCat = new String[4];
        private boolean[] predPresent = new boolean[4];
        private int rowCount;
        private int predCount;
        private long records;
        private long skipped;
        /** The fast line parser, or null when every line goes through Jackson. */
        private final CaptureLineParser fast;
        /** Inflated bytes: whole lines and the start of the next one. */
        private byte[] buffer;
        /** Lines before the one Jackson's line 1 is, for error messages. */
        private long lineBase;

        Worker(Profile baseline, Filter filter) {
            this.builder = ProfileBuilder.against(baseline);
            this.fast = fastPath ? new CaptureLineParser(builder, baseline) : null;
            this.buffer = fastPath ? new byte[LINE_BUFFER] : null;
            this.filter = filter;
            this.width = baseline.features().size();
            this.numericColumn = new boolean[width];
            for (int i = 0; i < width; i++) {
                columns.put(baseline.features().get(i).name(), i);
                numericColumn[i] = builder.isNumeric(i);
            }
            this.predictionType = builder.predictionType();
            for (int i = 0; i < num.length; i++) {
                num[i] = new double[width];
                cat[i] = new String[width];
            }
        }

        Worker drain(List<Task> tasks, AtomicInteger next) {
            for (int i = next.getAndIncrement(); i < tasks.size(); i = next.getAndIncrement()) {
                readObject(tasks.get(i));
            }
            return this;
        }

        private void readObject(Task task) {
            lineBase = 0;
            try (InputStream raw = store.open(task.key());
                 InputStream in = new GZIPInputStream(raw, GZIP_BUFFER)) {
                if (fast == null) {
                    readStream(task, in);
                } else {
                    readLines(task, in);
                }
                // Read to the very end so the store checks the object's hash and length.
                raw.transferTo(OutputStream.nullOutputStream());
            } catch (JsonProcessingException e) {
                throw new ValidationException("captures", task.key() + " line " + (lineBase + e.getLocation().getLineNr())
                        + ": not a valid capture record: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read capture object " + task.key(), e);
            }
        }

        /** Jackson over the whole (rest of the) stream, its line numbers counted from {@link #lineBase}. */
        private void readStream(Task task, InputStream in) throws IOException {
            try (JsonParser parser = JSON.createParser(new FullReads(in))) {
                JsonToken token;
                while ((token = parser.nextToken()) != null) {
                    if (token != JsonToken.START_OBJECT) {
                        throw bad(task, parser, "each line must be a JSON object");
                    }
                    readRecord(task, parser);
                }
            }
        }

        /**
         * Line by line from a buffer of inflated bytes: each line through the fast parser, and the lines it does not
         * take through Jackson. A line that does not fit the largest buffer, or an object that goes on past its
         * line, hands the rest of the object to {@link #readStream}.
         */
        private void readLines(Task task, InputStream in) throws IOException {
            byte[] b = buffer;
            int start = 0;
            int end = 0;
            long line = 0;
            boolean eof = false;
            while (true) {
                // Complete lines in b[start, end); at the end of the input the last line needs no '\n'.
                int scanFrom = start;
                while (true) {
                    int nl = CaptureLineParser.indexOfNewline(b, scanFrom, end);
                    if (nl < 0) {
                        if (!eof || start == end) {
                            break;
                        }
                        nl = end;
                        b[nl] = '\n';
                    }
                    line++;
                    int status = fast.parse(b, start, nl, task.checkTime());
                    if (status == CaptureLineParser.RECORD) {
                        acceptFast(task);
                    } else if (status == CaptureLineParser.FALLBACK) {
                        fallbackLines.incrementAndGet();
                        int resumeAt = readLineWithJackson(task, b, start, nl, line);
                        if (resumeAt >= 0) {
                            lineBase = line - 1;
                            readStream(task, new SequenceInputStream(
                                    new ByteArrayInputStream(b, start + resumeAt, end - start - resumeAt), new FullReads(in)));
                            return;
                        }
                    }
                    start = nl + 1;
                    scanFrom = start;
                    if (start > end) {
                        start = end;
                    }
                }
                if (eof) {
                    return;
                }
                if (start > 0) {
                    System.arraycopy(b, start, b, 0, end - start);
                    end -= start;
                    start = 0;
                } else if (end == b.length - 1) {
                    if (b.length >= MAX_LINE_BUFFER) {
                        // A line longer than any capture record: let Jackson stream it.
                        lineBase = line;
                        readStream(task, new SequenceInputStream(new ByteArrayInputStream(b, 0, end), new FullReads(in)));
                        return;
                    }
                    b = buffer = Arrays.copyOf(b, b.length * 2);
                }
                // One byte is kept free for the sentinel '\n' after a last line without one.
                int n = in.readNBytes(b, end, b.length - 1 - end);
                if (n == 0) {
                    eof = true;
                }
                end += n;
            }
        }

        /**
         * Jackson on one line, which may hold any number of whole objects. Answers -1 when it read them all, or the
         * offset in the line of an object that goes on past the line's end, for {@link #readStream} to resume at.
         */
        private int readLineWithJackson(Task task, byte[] b, int from, int to, long line) throws IOException {
            lineBase = line - 1;
            try (JsonParser parser = JSON.createParser(b, from, to - from)) {
                long objectStart = 0;
                try {
                    JsonToken token;
                    while (true) {
                        // Where the next object may start: what precedes it was read whole.
                        objectStart = parser.currentLocation().getByteOffset();
                        if ((token = parser.nextToken()) == null) {
                            break;
                        }
                        if (token != JsonToken.START_OBJECT) {
                            throw bad(task, parser, "each line must be a JSON object");
                        }
                        readRecord(task, parser);
                    }
                } catch (JsonEOFException e) {
                    return (int) objectStart;
                }
            }
            return -1;
        }

        /** Profiles the record the fast parser just read, if the window and version take it. */
        private void acceptFast(Task task) {
            CaptureLineParser f = fast;
            boolean accept = (filter.version() == null || filter.version() == f.version)
                    && (!task.checkTime() || (f.timestamp >= filter.fromMillis() && f.timestamp < filter.toMillis()));
            if (!accept) {
                skipped++;
                return;
            }
            records++;
            for (int r = 0; r < f.rowCount; r++) {
                double prediction = Double.NaN;
                String label = null;
                if (predictionType != null && r < f.predCount && f.predPresent[r]) {
                    label = f.predLabel[r];
                    prediction = f.predNum[r];
                }
                builder.addResolvedRow(f.num[r], f.cat[r], prediction, label);
            }
        }

        private void readRecord(Task task, JsonParser p) throws IOException {
            rowCount = 0;
            predCount = 0;
            int version = -1;
            long timestamp = Long.MIN_VALUE;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "rows" -> readRows(task, p, value);
                    case "predictions" -> readPredictions(task, p, value);
                    case "version" -> version = p.getValueAsInt(-1);
                    case "timestamp" -> {
                        if (task.checkTime()) {
                            timestamp = parseTime(task, p);
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            boolean accept = (filter.version() == null || filter.version() == version)
                    && (!task.checkTime() || (timestamp >= filter.fromMillis() && timestamp < filter.toMillis()));
            if (!accept) {
                skipped++;
                return;
            }
            if (predCount != 0 && predCount != rowCount) {
                throw bad(task, p, "needs one prediction per row: " + rowCount + " rows, " + predCount + " predictions");
            }
            records++;
            for (int r = 0; r < rowCount; r++) {
                builder.beginRow();
                double[] n = num[r];
                String[] c = cat[r];
                for (int i = 0; i < width; i++) {
                    if (numericColumn[i]) {
                        builder.numeric(i, n[i]);
                    } else {
                        builder.categorical(i, c[i]);
                    }
                }
                if (predictionType != null && r < predCount && predPresent[r]) {
                    if (predCat[r] != null) {
                        builder.predictionCategory(predCat[r]);
                    } else {
                        builder.predictionNumeric(predNum[r]);
                    }
                }
                builder.endRow();
            }
        }

        private long parseTime(Task task, JsonParser p) throws IOException {
            try {
                return Instant.parse(p.getText()).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw bad(task, p, "timestamp '" + p.getText() + "' is not an ISO-8601 instant");
            }
        }

        private void readRows(Task task, JsonParser p, JsonToken start) throws IOException {
            if (start != JsonToken.START_ARRAY) {
                throw bad(task, p, "rows must be an array of objects");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
                if (rowCount == num.length) {
                    grow();
                }
                double[] n = num[rowCount];
                String[] c = cat[rowCount];
                rowCount++;
                Arrays.fill(n, Double.NaN);
                Arrays.fill(c, null);
                int position = 0;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    int i = column(p.currentName(), position++);
                    JsonToken v = p.nextToken();
                    if (i < 0) {
                        p.skipChildren();
                        continue;
                    }
                    if (numericColumn[i]) {
                        n[i] = numericValue(task, p, v);
                    } else {
                        c[i] = textValue(task, p, v);
                    }
                }
            }
            if (t != JsonToken.END_ARRAY) {
                throw bad(task, p, "rows must be an array of objects");
            }
        }

        private int column(String name, int position) {
            if (position < nameAt.length && nameAt[position] == name) {
                return columnAt[position];
            }
            Integer column = columns.get(name);
            int i = column == null ? -1 : column;
            if (position >= nameAt.length) {
                nameAt = Arrays.copyOf(nameAt, Math.max(position + 1, nameAt.length * 2));
                columnAt = Arrays.copyOf(columnAt, nameAt.length);
            }
            nameAt[position] = name;
            columnAt[position] = i;
            return i;
        }

        private double numericValue(Task task, JsonParser p, JsonToken v) throws IOException {
            switch (v) {
                case VALUE_NUMBER_FLOAT:
                case VALUE_NUMBER_INT:
                    return parseNumber(p);
                case VALUE_NULL:
                    return Double.NaN;
                case VALUE_STRING:
                    try {
                        return Double.parseDouble(p.getText().trim());
                    } catch (NumberFormatException e) {
                        throw bad(task, p, "feature '" + p.currentName() + "' is numeric, got '" + p.getText() + "'");
                    }
                default:
                    throw bad(task, p, "feature '" + p.currentName() + "' is numeric, got " + v);
            }
        }

        private String textValue(Task task, JsonParser p, JsonToken v) throws IOException {
            switch (v) {
                case VALUE_STRING:
                case VALUE_NUMBER_INT:
                case VALUE_NUMBER_FLOAT:
                case VALUE_TRUE:
                case VALUE_FALSE:
                    return p.getText();
                case VALUE_NULL:
                    return null;
                default:
                    throw bad(task, p, "feature '" + p.currentName() + "' is categorical, got " + v);
            }
        }

        private void readPredictions(Task task, JsonParser p, JsonToken start) throws IOException {
            if (start == JsonToken.VALUE_NULL) {
                return;
            }
            if (start != JsonToken.START_ARRAY) {
                throw bad(task, p, "predictions must be an array");
            }
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (predCount == predNum.length) {
                    predNum = Arrays.copyOf(predNum, predCount * 2);
                    predCat = Arrays.copyOf(predCat, predCount * 2);
                    predPresent = Arrays.copyOf(predPresent, predCount * 2);
                }
                int i = predCount++;
                predCat[i] = null;
                predPresent[i] = t != JsonToken.VALUE_NULL;
                switch (t) {
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                        if (predictionType == FeatureType.CATEGORICAL) {
                            predCat[i] = p.getText();
                        } else {
                            predNum[i] = parseNumber(p);
                        }
                    }
                    case VALUE_STRING, VALUE_TRUE, VALUE_FALSE -> predCat[i] = p.getText();
                    case VALUE_NULL -> {
                    }
                    default -> {
                        // A structured prediction (class probabilities, say) is not profiled; count it as missing.
                        p.skipChildren();
                        predPresent[i] = false;
                    }
                }
            }
        }

        private void grow() {
            int size = num.length * 2;
            num = Arrays.copyOf(num, size);
            cat = Arrays.copyOf(cat, size);
            for (int i = size / 2; i < size; i++) {
                num[i] = new double[width];
                cat[i] = new String[width];
            }
        }

        private ModelCycleException bad(Task task, JsonParser p, String message) {
            return new ValidationException("captures", task.key() + " line " + (lineBase + p.currentLocation().getLineNr())
                    + ": " + message);
        }
    }
}
