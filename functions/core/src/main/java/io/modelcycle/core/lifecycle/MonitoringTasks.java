package io.modelcycle.core.lifecycle;

import io.modelcycle.core.Json;
import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.artifact.ArtifactKeys;
import io.modelcycle.core.artifact.ArtifactStore;
import io.modelcycle.core.artifact.StoredObject;
import io.modelcycle.core.capture.CaptureWindowReader;
import io.modelcycle.core.dataset.CsvReader;
import io.modelcycle.core.dataset.CsvWriter;
import io.modelcycle.core.dataset.DatasetReader;
import io.modelcycle.core.drift.DriftDetector;
import io.modelcycle.core.drift.DriftReport;
import io.modelcycle.core.drift.FeatureDrift;
import io.modelcycle.core.feedback.CaptureLog;
import io.modelcycle.core.feedback.FeedbackQuality;
import io.modelcycle.core.feedback.FeedbackRecord;
import io.modelcycle.core.feedback.FeedbackStore;
import io.modelcycle.core.feedback.QualityMetrics;
import io.modelcycle.core.feedback.QualityReport;
import io.modelcycle.core.metrics.DriftAlarms;
import io.modelcycle.core.metrics.MetricPoint;
import io.modelcycle.core.metrics.MetricUnit;
import io.modelcycle.core.metrics.MetricsSink;
import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.profile.Profile;
import io.modelcycle.core.registry.Alias;
import io.modelcycle.core.registry.ModelVersion;
import io.modelcycle.core.registry.Registry;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The tasks of the {@code drift-check} state machine ({@code statemachines/drift-check.asl.json}).
 *
 * <p>{@link #driftCheck}: the production version's baseline profile against a profile of the captured traffic of
 * that version in a time window; writes a JSON report and a self-contained HTML page under
 * {@code reports/{model}/drift/}, publishes the drift metrics of {@link DriftAlarms} and the quality metrics of
 * {@link QualityMetrics}, and returns the decision. The report key is derived from the window (never from the
 * clock alone), so a retried task finds its report and returns it without publishing again.
 *
 * <p>{@link #prepareRetraining}: the newest dataset the model was given under {@code datasets/{model}/} joined
 * with the labelled traffic of the week before the report's window end, written as
 * {@code retraining/{model}/{report stamp}.csv} with the model's columns; idempotent by report. Retraining sets
 * live outside {@code datasets/} so that writing one does not fire the dataset-upload trigger: the drift-check
 * workflow starts the pipeline itself, with trigger {@code drift}.
 */
public final class MonitoringTasks {

    /** Below this many captured rows a check decides nothing: every statistic would be noise. */
    public static final int DEFAULT_MIN_ROWS = 30;
    /** Window of {@link DriftCheckRequest} when it names none. */
    public static final int DEFAULT_WINDOW_MINUTES = 60;
    /** Longest window a check reads: a month of captures. */
    public static final int MAX_WINDOW_MINUTES = 31 * 24 * 60;
    /** How far back {@link #prepareRetraining} collects labelled traffic. */
    public static final Duration RETRAINING_LOOKBACK = Duration.ofDays(7);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /**
     * Input of {@link #driftCheck}. The window is {@code [windowStart, windowEnd)}: {@code windowEnd} defaults to
     * the current minute (the state machine passes its execution's start time, so a retried task checks the same
     * window), {@code windowStart} to {@code windowMinutes} (default 60) before the end.
     */
    public record DriftCheckRequest(String model, Integer windowMinutes, String trigger, Instant windowStart,
                                    Instant windowEnd) {
        public DriftCheckRequest {
            Model.requireName(model);
            if (windowMinutes != null && (windowMinutes < 1 || windowMinutes > MAX_WINDOW_MINUTES)) {
                throw new ValidationException("windowMinutes", "must be 1 to " + MAX_WINDOW_MINUTES + ", got " + windowMinutes);
            }
            if (windowStart != null && windowEnd == null) {
                throw new ValidationException("windowEnd", "is required with windowStart");
            }
            if (windowStart != null && windowMinutes != null) {
                throw new ValidationException("windowMinutes", "give either windowMinutes or windowStart, not both");
            }
            if (windowStart != null && (!windowStart.isBefore(windowEnd)
                    || Duration.between(windowStart, windowEnd).toMinutes() > MAX_WINDOW_MINUTES)) {
                throw new ValidationException("windowStart", "must be before windowEnd, at most " + MAX_WINDOW_MINUTES
                        + " minutes earlier");
            }
            trigger = trigger == null || trigger.isBlank() ? "manual" : trigger;
        }
    }

    /** What {@link #driftCheck} returns to the state machine. */
    public record DriftCheckResult(String model, int version, boolean drifted, double driftedShare, long rowsChecked,
                                   boolean predictionDrift, String reason, Instant windowStart, Instant windowEnd,
                                   String reportKey, String htmlKey, Double accuracy, Double rmse, long labelledRows) {
    }

    /** Input of {@link #prepareRetraining}. */
    public record RetrainingRequest(String model, String reportKey) {
        public RetrainingRequest {
            Model.requireName(model);
            ArtifactKeys.require(reportKey);
            if (!reportKey.startsWith(ArtifactKeys.driftReportPrefix(model)) || !reportKey.endsWith(".json")) {
                throw new ValidationException("reportKey", "'" + reportKey + "' is not a drift report of model '" + model
                        + "' (" + ArtifactKeys.driftReportPrefix(model) + "….json)");
            }
        }
    }

    /**
     * The retraining dataset: its key and rows, and where they came from. {@code baseRows} and {@code labelledRows}
     * are null when the dataset had already been written (a retried task), whose total is counted again.
     */
    public record RetrainingDataset(String model, String datasetKey, long rows, String baseDatasetKey, Long baseRows,
                                    Long labelledRows) {
    }

    private final Registry registry;
    private final ArtifactStore artifacts;
    private final MetricsSink metrics;
    private final Clock clock;
    private final int minRows;
    private final FeedbackStore feedback;
    private final FeedbackQuality quality;
    private final CaptureLog captures;
    private final CaptureWindowReader windowReader;

    public MonitoringTasks(Registry registry, ArtifactStore artifacts, MetricsSink metrics, Clock clock) {
        this(registry, artifacts, metrics, clock, DEFAULT_MIN_ROWS);
    }

    /** @param minRows fewest captured rows a check decides on */
    public MonitoringTasks(Registry registry, ArtifactStore artifacts, MetricsSink metrics, Clock clock, int minRows) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (minRows < 1) {
            throw new IllegalArgumentException("minRows must be >= 1");
        }
        this.minRows = minRows;
        this.feedback = new FeedbackStore(registry, artifacts, clock);
        this.quality = new FeedbackQuality(registry, artifacts, feedback, FeedbackQuality.DEFAULT_LABEL_DELAY);
        this.captures = new CaptureLog(artifacts);
        this.windowReader = new CaptureWindowReader(artifacts);
    }

    /** The report key of a check: {@code reports/{model}/drift/{window end}-{minutes}m-v{n}.json}. */
    private static Instant ceilToSecond(Instant instant) {
        Instant floor = instant.truncatedTo(ChronoUnit.SECONDS);
        return floor.equals(instant) ? floor : floor.plusSeconds(1);
    }

    public static String reportKey(String model, int version, Instant windowStart, Instant windowEnd) {
        return ArtifactKeys.driftReportPrefix(model) + STAMP.format(windowEnd) + "-"
                + Duration.between(windowStart, windowEnd).toMinutes() + "m-v" + version + ".json";
    }

    /**
     * Runs the drift check. Throws {@link NotFoundException} when the model has no production version or that
     * version has no baseline profile. Too few captured rows is a decision ({@code drifted = false} with a reason),
     * not an error.
     */
    public DriftCheckResult driftCheck(DriftCheckRequest request) {
        Model model = registry.model(request.model());
        int version = registry.alias(model.name(), Alias.PRODUCTION).map(Alias::version).orElseThrow(() ->
                new NotFoundException("model '" + model.name() + "' has no production version; there is no baseline to "
                        + "check drift against"));
        // The end is rounded up to the whole second (the report key names seconds): traffic served in the second the
        // check started, before it started, belongs to the window.
        Instant end = request.windowEnd() != null ? ceilToSecond(request.windowEnd())
                : clock.instant().truncatedTo(ChronoUnit.MINUTES);
        Instant start = request.windowStart() != null ? request.windowStart().truncatedTo(ChronoUnit.SECONDS)
                : end.minus(Duration.ofMinutes(request.windowMinutes() == null ? DEFAULT_WINDOW_MINUTES : request.windowMinutes()));
        String reportKey = reportKey(model.name(), version, start, end);
        String htmlKey = htmlKey(reportKey);
        Optional<DriftCheckReport> done = storedReport(reportKey);
        if (done.isPresent() && artifacts.stat(htmlKey).isPresent()) {
            return result(done.get());
        }

        ModelVersion production = registry.version(model.name(), version);
        String baselineKey = production.profileKey() != null ? production.profileKey()
                : ArtifactKeys.versionFile(model.name(), version, ArtifactKeys.PROFILE);
        Profile baseline = readProfile(model.name(), version, baselineKey);
        Profile current = currentProfile(baseline, model.name(), version, start, end);

        DriftReport drift = null;
        String reason;
        if (current.rows() < minRows) {
            reason = "only " + current.rows() + " captured rows of version " + version + " in the window; at least "
                    + minRows + " are needed to judge drift";
        } else {
            drift = new DriftDetector(model.policies().drift()).detect(baseline, current);
            reason = reason(drift);
        }
        QualityReport judged = quality.compute(model.name(), version, start, end);
        Instant now = clock.instant();
        DriftCheckReport report = new DriftCheckReport(model.name(), version, request.trigger(), start, end, now,
                baselineKey, current.rows(), drift != null && drift.datasetDrift(),
                drift == null ? 0 : drift.driftedShare(), reason, drift, judged, reportKey, htmlKey);
        // The page first and the JSON last: the JSON's presence is what marks the check as done.
        artifacts.put(htmlKey, DriftReportPage.render(report, baseline, current).getBytes(StandardCharsets.UTF_8));
        publish(report, now);
        artifacts.put(reportKey, Json.write(report).getBytes(StandardCharsets.UTF_8));
        return result(report);
    }

    private static String htmlKey(String reportKey) {
        return reportKey.substring(0, reportKey.length() - ".json".length()) + ".html";
    }

    private Optional<DriftCheckReport> storedReport(String key) {
        try {
            return Optional.of(Json.read(new String(artifacts.read(key), StandardCharsets.UTF_8), DriftCheckReport.class));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private Profile readProfile(String model, int version, String key) {
        try {
            return Json.read(new String(artifacts.read(key), StandardCharsets.UTF_8), Profile.class);
        } catch (NotFoundException e) {
            throw new NotFoundException("version " + version + " of model '" + model + "' has no baseline profile at '"
                    + key + "'; the trainer writes it beside the model");
        }
    }

    /** The profile of the version's captured rows in the window, on the baseline's bins. */
    private Profile currentProfile(Profile baseline, String model, int version, Instant start, Instant end) {
        return windowReader.read(model, start, end, version, baseline).profile();
    }

    private static String reason(DriftReport drift) {
        List<String> names = new ArrayList<>();
        for (FeatureDrift f : drift.features()) {
            if (f.drifted()) {
                names.add(f.feature());
            }
        }
        String share = String.format(Locale.ROOT, "%d of %d features drifted (%.0f%%; dataset drift at %.0f%%)",
                drift.driftedFeatures(), drift.features().size(), 100 * drift.driftedShare(),
                100 * drift.driftShareThreshold());
        String which = names.isEmpty() ? "" : ": " + String.join(", ", names);
        String prediction = drift.prediction() == null ? ""
                : drift.predictionDrift() ? "; the predictions drifted too" : "; the predictions did not drift";
        return (drift.datasetDrift() ? "drift: " : "no dataset drift: ") + share + which + prediction;
    }

    private void publish(DriftCheckReport report, Instant at) {
        String model = report.model();
        int version = report.version();
        List<MetricPoint> points = new ArrayList<>();
        points.add(new MetricPoint(DriftAlarms.rowsChecked(model, version), report.rowsChecked(), MetricUnit.COUNT, at));
        if (report.drift() != null) {
            points.add(new MetricPoint(DriftAlarms.driftedShare(model), report.driftedShare(), MetricUnit.NONE, at));
            points.add(new MetricPoint(DriftAlarms.driftedShare(model, version), report.driftedShare(), MetricUnit.NONE, at));
            List<FeatureDrift> columns = new ArrayList<>(report.drift().features());
            if (report.drift().prediction() != null) {
                columns.add(report.drift().prediction());
            }
            for (FeatureDrift f : columns) {
                if (f.statistic() != null && Double.isFinite(f.statistic())) {
                    points.add(new MetricPoint(DriftAlarms.driftScore(model, version, f.feature()), f.statistic(),
                            MetricUnit.NONE, at));
                }
            }
        }
        points.addAll(QualityMetrics.points(report.quality(), at));
        metrics.publish(points);
    }

    private static DriftCheckResult result(DriftCheckReport r) {
        QualityReport q = r.quality();
        return new DriftCheckResult(r.model(), r.version(), r.drifted(), r.driftedShare(), r.rowsChecked(),
                r.drift() != null && r.drift().predictionDrift(), r.reason(), r.windowStart(), r.windowEnd(),
                r.reportKey(), r.htmlKey(), q == null ? null : q.accuracy(), q == null ? null : q.rmse(),
                q == null ? 0 : q.labelledRows());
    }

    // ------------------------------------------------------------------------------------------ retraining

    /**
     * Writes the retraining dataset for a drift report. Throws {@link NotFoundException} when the report or every
     * original dataset is missing. A second call for the same report returns the dataset written by the first.
     */
    public RetrainingDataset prepareRetraining(RetrainingRequest request) {
        Model model = registry.model(request.model());
        DriftCheckReport report = storedReport(request.reportKey()).orElseThrow(() -> new NotFoundException(
                "drift report '" + request.reportKey() + "' does not exist"));
        String file = request.reportKey().substring(request.reportKey().lastIndexOf('/') + 1);
        String datasetKey = ArtifactKeys.retrainingPrefix(model.name())
                + file.substring(0, file.length() - ".json".length()) + ".csv";
        StoredObject base = newestDataset(model.name());
        if (artifacts.stat(datasetKey).isPresent()) {
            long rows = countRows(datasetKey);
            return new RetrainingDataset(model.name(), datasetKey, rows, base.key(), null, null);
        }
        List<String> header = new ArrayList<>(model.schema().names());
        header.add(model.target());
        Path tmp = null;
        try {
            tmp = Files.createTempFile("retraining-", ".csv");
            long baseRows;
            long labelled;
            try (Writer out = new OutputStreamWriter(Files.newOutputStream(tmp), StandardCharsets.UTF_8);
                 CsvWriter csv = new CsvWriter(out)) {
                csv.writeRecord(header);
                baseRows = copyDataset(model, base.key(), csv);
                labelled = appendLabelled(model, report.windowEnd(), csv);
            }
            try (InputStream in = Files.newInputStream(tmp)) {
                artifacts.put(datasetKey, in);
            }
            return new RetrainingDataset(model.name(), datasetKey, baseRows + labelled, base.key(), baseRows, labelled);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the retraining dataset " + datasetKey, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless; Lambda's /tmp goes with the environment
                }
            }
        }
    }

    /** The newest CSV uploaded under {@code datasets/{model}/}. */
    private StoredObject newestDataset(String model) {
        String prefix = ArtifactKeys.datasetPrefix(model);
        return artifacts.list(prefix).stream()
                .filter(o -> o.key().endsWith(".csv"))
                .max(Comparator.comparing(StoredObject::lastModified, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(StoredObject::key))
                .orElseThrow(() -> new NotFoundException("model '" + model + "' has no dataset under " + prefix
                        + " to retrain from"));
    }

    private long copyDataset(Model model, String key, CsvWriter out) throws IOException {
        DatasetReader reader = new DatasetReader(model.schema(), model.target(), model.task());
        long[] rows = {0};
        try (InputStream in = artifacts.open(key);
             CsvReader csv = new CsvReader(new InputStreamReader(in, StandardCharsets.UTF_8), key)) {
            reader.forEach(csv, row -> {
                List<Object> values = new ArrayList<>(row.features());
                values.add(row.target());
                out.writeRecord(cells(values));
                rows[0]++;
            });
        }
        return rows[0];
    }

    /** Captured rows (any version) with feedback received in the week before {@code end}; returns how many. */
    private long appendLabelled(Model model, Instant end, CsvWriter out) {
        Instant from = end.minus(RETRAINING_LOOKBACK);
        Map<String, FeedbackRecord> labels = new HashMap<>();
        for (FeedbackRecord r : feedback.read(model.name(), from, end)) {
            labels.merge(r.joinKey(), r, (a, b) -> b.receivedAt().isBefore(a.receivedAt()) ? a : b);
        }
        if (labels.isEmpty()) {
            return 0;
        }
        List<Feature> features = model.schema().features();
        long[] rows = {0};
        java.util.Set<String> written = new java.util.HashSet<>();
        captures.forEach(model.name(), null, from.minus(FeedbackQuality.DEFAULT_LABEL_DELAY), end, record -> {
            for (int i = 0; i < record.rows().size(); i++) {
                FeedbackRecord label = labels.get(FeedbackRecord.joinKey(record.requestId(), i));
                if (label == null || !written.add(label.joinKey())) {
                    continue;
                }
                Map<String, Object> row = record.rows().get(i);
                List<Object> values = new ArrayList<>(features.size() + 1);
                for (Feature f : features) {
                    values.add(row.get(f.name()));
                }
                values.add(label.actual());
                out.writeRecord(cells(values));
                rows[0]++;
            }
        });
        return rows[0];
    }

    private static List<String> cells(List<Object> values) {
        List<String> cells = new ArrayList<>(values.size());
        for (Object v : values) {
            if (v == null) {
                cells.add("");
            } else if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
                cells.add(Long.toString(d.longValue()));
            } else {
                cells.add(v.toString());
            }
        }
        return cells;
    }

    private long countRows(String key) {
        long rows = 0;
        try (InputStream in = artifacts.open(key);
             CsvReader csv = new CsvReader(new InputStreamReader(in, StandardCharsets.UTF_8), key)) {
            while (csv.next() != null) {
                rows++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key, e);
        }
        return rows;
    }
}
