package io.modelcycle.core.feedback;

import io.modelcycle.core.Json;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.ValidationException.FieldError;
import io.modelcycle.core.artifact.ArtifactStore;
import io.modelcycle.core.artifact.StoredObject;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.model.Task;
import io.modelcycle.core.registry.Registry;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Stores ground-truth feedback. {@link #submit} checks every item against the model before anything is written
 * (all or nothing): a regression model needs a finite number, a classifier one of the classes of the version that
 * serves it ({@link ModelLabels#serving}; any non-blank label while no served version lists its classes). The
 * accepted items are written as one gzip JSON-lines object of {@link FeedbackRecord}s,
 * {@code feedback/{model}/yyyy/MM/dd/HH/{yyyyMMdd'T'HHmmss'Z'}-{batchId}.jsonl.gz}.
 *
 * <p>Sending the same feedback twice stores it twice; readers ({@link #read}, {@link FeedbackQuality}) keep the
 * latest item per request and row, so a retried request never counts twice.
 *
 * <p>Errors: {@link io.modelcycle.core.NotFoundException} for an unknown model, {@link ValidationException} naming
 * the field ({@code actual}, or {@code items[i].actual} in a batch) for a label the model cannot have.
 */
public final class FeedbackStore {

    /** Root folder of feedback in the artifact store. */
    public static final String ROOT = "feedback";
    /** Most items one submission may carry. */
    public static final int MAX_ITEMS = 1000;

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Registry registry;
    private final ArtifactStore artifacts;
    private final Clock clock;

    public FeedbackStore(Registry registry, ArtifactStore artifacts, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The folder of the hour containing {@code at}: {@code feedback/{model}/yyyy/MM/dd/HH/}. */
    public static String prefix(String model, Instant at) {
        return HourFolders.folder(ROOT, model, at);
    }

    /** One item, its fields named plainly ({@code actual}, {@code requestId}). */
    public FeedbackReceipt submitOne(String model, FeedbackItem item, String batchId) {
        return store(model, List.of(item), batchId, i -> "");
    }

    /** A batch, its fields named by position ({@code items[3].actual}). */
    public FeedbackReceipt submit(String model, List<FeedbackItem> items, String batchId) {
        if (items == null || items.isEmpty() || items.size() > MAX_ITEMS) {
            throw new ValidationException("items", "needs 1 to " + MAX_ITEMS + " feedback items, got "
                    + (items == null ? 0 : items.size()));
        }
        return store(model, items, batchId, i -> "items[" + i + "].");
    }

    private FeedbackReceipt store(String name, List<FeedbackItem> items, String batchId, IntFunction<String> field) {
        Model model = registry.model(Model.requireName(name));
        List<String> classes = model.task().isClassification()
                ? ModelLabels.serving(registry, artifacts, name) : List.of();
        Instant now = clock.instant();
        List<FieldError> errors = new ArrayList<>();
        List<FeedbackRecord> records = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            FeedbackItem item = items.get(i);
            if (item == null) {
                errors.add(new FieldError(field.apply(i).isEmpty() ? "items" : "items[" + i + "]", "is null"));
                continue;
            }
            try {
                records.add(new FeedbackRecord(item.requestId(), item.row(),
                        canonical(model, classes, item.actual(), field.apply(i) + "actual"), now));
            } catch (ValidationException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        String key = prefix(name, now) + STAMP.format(now) + "-" + safe(batchId) + ".jsonl.gz";
        artifacts.put(key, encode(records));
        return new FeedbackReceipt(name, records.size(), key);
    }

    /**
     * The label in the form stored and compared: a {@link Double} for regression, a {@link String} for classifiers.
     *
     * @throws ValidationException on {@code field} when the model cannot have this label
     */
    static Object canonical(Model model, List<String> classes, Object actual, String field) {
        if (model.task() == Task.REGRESSION) {
            if (!(actual instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                throw new ValidationException(field, "must be a finite number for REGRESSION model '" + model.name()
                        + "', got " + describe(actual));
            }
            return n.doubleValue();
        }
        String label;
        if (actual instanceof String s) {
            label = s.strip();
        } else if (actual instanceof Number n && isIntegral(n)) {
            label = new BigDecimal(n.toString()).toBigInteger().toString();
        } else {
            throw new ValidationException(field, "must be a class label (a string) for " + model.task() + " model '"
                    + model.name() + "', got " + describe(actual));
        }
        if (label.isEmpty()) {
            throw new ValidationException(field, "must be a non-blank class label");
        }
        if (!classes.isEmpty() && !classes.contains(label)) {
            throw new ValidationException(field, "'" + label + "' is not a class of model '" + model.name()
                    + "'; one of " + classes);
        }
        return label;
    }

    private static boolean isIntegral(Number n) {
        try {
            return new BigDecimal(n.toString()).stripTrailingZeros().scale() <= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String describe(Object actual) {
        return actual instanceof String s ? "'" + s + "'" : String.valueOf(actual);
    }

    private static String safe(String batchId) {
        String id = batchId == null ? "" : batchId.replaceAll("[^A-Za-z0-9._=+-]", "-");
        if (id.isEmpty() || id.equals(".") || id.equals("..")) {
            id = UUID.randomUUID().toString();
        }
        return id.length() > 128 ? id.substring(0, 128) : id;
    }

    private static byte[] encode(List<FeedbackRecord> records) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * records.size() + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(buffer)) {
            for (FeedbackRecord record : records) {
                gzip.write(Json.mapper().writeValueAsBytes(record));
                gzip.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode feedback", e);
        }
        return buffer.toByteArray();
    }

    /**
     * Every feedback record of {@code model} received in {@code [from, to)}, oldest file first; duplicates (the same
     * request and row sent again) are all returned, {@link FeedbackQuality} keeps the latest.
     */
    public List<FeedbackRecord> read(String model, Instant from, Instant to) {
        List<FeedbackRecord> out = new ArrayList<>();
        for (String folder : HourFolders.covering(ROOT, model, from, to)) {
            for (StoredObject object : artifacts.list(folder)) {
                if (!object.key().endsWith(".jsonl.gz")) {
                    continue;
                }
                try (InputStream in = artifacts.open(object.key());
                     BufferedReader lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(in),
                             StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (line.isBlank()) {
                            continue;
                        }
                        FeedbackRecord record = Json.read(line, FeedbackRecord.class);
                        if (!record.receivedAt().isBefore(from) && record.receivedAt().isBefore(to)) {
                            out.add(record);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read feedback file " + object.key(), e);
                }
            }
        }
        return out;
    }
}
