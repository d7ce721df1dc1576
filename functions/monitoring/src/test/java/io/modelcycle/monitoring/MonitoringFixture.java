package io.modelcycle.monitoring;

import io.modelcycle.core.Json;
import io.modelcycle.core.artifact.ArtifactKeys;
import io.modelcycle.core.capture.BufferedCaptureSink;
import io.modelcycle.core.capture.CaptureRecord;
import io.modelcycle.core.dataset.Dataset;
import io.modelcycle.core.dataset.Row;
import io.modelcycle.core.dataset.SyntheticDataset;
import io.modelcycle.core.lifecycle.MonitoringTasks;
import io.modelcycle.core.model.Feature;
import io.modelcycle.core.profile.Profile;
import io.modelcycle.core.profile.ProfileBuilder;
import io.modelcycle.core.registry.Alias;
import io.modelcycle.core.registry.ArtifactRef;
import io.modelcycle.core.registry.Change;
import io.modelcycle.core.registry.Lineage;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.core.registry.VersionStatus;
import io.modelcycle.embedded.artifact.FileArtifactStore;
import io.modelcycle.embedded.metrics.SqliteMetricsStore;
import io.modelcycle.embedded.registry.SqliteRegistryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Embedded stores (SQLite registry and metrics, files for artifacts) holding model {@code churn} (a synthetic binary
 * classifier, features {@code x1..x6} numeric and {@code c1, c2} categorical) whose version 1 is in production with
 * a real baseline profile built by {@link ProfileBuilder} from 2 000 training rows, its {@code model.json} (classes
 * {@code 0, 1}) and the training CSV under {@code datasets/churn/}. Captures are written by
 * {@link #capture} through the real {@link BufferedCaptureSink}.
 */
final class MonitoringFixture implements AutoCloseable {

    /** The window of {@code events/monitoring/drift-check.json}: the hour before 10:00. */
    static final Instant WINDOW_END = Instant.parse("2026-11-29T10:00:00Z");
    static final Instant WINDOW_START = WINDOW_END.minusSeconds(3600);
    static final Instant NOW = Instant.parse("2026-11-29T10:00:30Z");
    static final SyntheticDataset DATA = SyntheticDataset.binary(2000, 8, 1);
    static final int TRAINING_ROWS = 2000;

    final Registry registry;
    final FileArtifactStore artifacts;
    final SqliteMetricsStore metrics;
    final MonitoringTasks tasks;
    final MonitoringTaskHandler handler;

    MonitoringFixture(Path home) {
        SqliteRegistryStore store = new SqliteRegistryStore(home.resolve("registry.db"));
        registry = new Registry(store, Clock.systemUTC());
        artifacts = new FileArtifactStore(home.resolve("artifacts"));
        metrics = new SqliteMetricsStore(home.resolve("metrics.db"));
        tasks = new MonitoringTasks(registry, artifacts, metrics, Clock.fixed(NOW, ZoneOffset.UTC));
        handler = new MonitoringTaskHandler(tasks);
    }

    /** Model churn with version 1 in production, its baseline profile, model.json and training CSV. */
    static MonitoringFixture productionChurn(Path home) {
        MonitoringFixture f = new MonitoringFixture(home);
        Change change = Change.by("test", "setup");
        f.registry.createModel(DATA.model("churn", "growth-team"), change);
        Dataset training = DATA.generate();
        String profileKey = ArtifactKeys.versionFile("churn", 1, ArtifactKeys.PROFILE);
        f.artifacts.put(profileKey, Json.write(baseline(training)).getBytes(StandardCharsets.UTF_8));
        f.artifacts.put(ArtifactKeys.versionFile("churn", 1, ArtifactKeys.MODEL_JSON),
                "{\"task\":\"BINARY_CLASSIFICATION\",\"classes\":[\"0\",\"1\"]}".getBytes(StandardCharsets.UTF_8));
        f.artifacts.put("datasets/churn/train.csv", csv(training, home));
        f.registry.registerVersion("churn", new Lineage(f.artifacts.uri("datasets/churn/train.csv"), null, "local",
                Map.of(), null, null, "manual"), change);
        f.registry.recordTrained("churn", 1, new ArtifactRef("models/churn/versions/1/model.tar.gz", "a".repeat(64), 10),
                Map.of("roc_auc", 0.9), profileKey, null, null, change);
        f.registry.approve("churn", 1, change);
        f.registry.transition("churn", 1, VersionStatus.DEPLOYED, change);
        f.registry.setAlias("churn", Alias.PRODUCTION, 1, null, null, change);
        return f;
    }

    /** The model's output for a row: the probability of churn, rising with {@code x1}. */
    static double predict(Map<String, Object> row) {
        Object x1 = row.get("x1");
        double z = x1 == null ? 0 : (((Number) x1).doubleValue() - 1) / 2;
        return Math.round(1e6 / (1 + Math.exp(-z))) / 1e6;
    }

    static Profile baseline(Dataset training) {
        ProfileBuilder builder = ProfileBuilder.baseline(training.schema(), Feature.numeric(Profile.PREDICTION));
        for (Row row : training.rows()) {
            Map<String, Object> values = row.toMap(training.schema());
            builder.add(values, predict(values));
        }
        return builder.build();
    }

    private static byte[] csv(Dataset data, Path home) {
        try {
            Path file = home.resolve("train.csv");
            data.writeCsv(file);
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Serves {@code rows} rows of {@code data} (one request each, ids {@code req-0…}) spread over the window, and
     * captures them through the buffered sink; returns the records.
     */
    List<CaptureRecord> capture(SyntheticDataset data, int rows) {
        Dataset served = data.withRows(rows).generate();
        List<CaptureRecord> records = new ArrayList<>();
        try (BufferedCaptureSink sink = new BufferedCaptureSink(artifacts)) {
            for (int i = 0; i < rows; i++) {
                Map<String, Object> row = served.rows().get(i).toMap(served.schema());
                Instant at = WINDOW_START.plusMillis(1000L + (long) i * (3_500_000L / rows));
                CaptureRecord record = CaptureRecord.single(at, "churn", 1, Alias.PRODUCTION, "req-" + i, row, predict(row));
                records.add(record);
                sink.capture(record);
            }
        }
        return records;
    }

    @Override
    public void close() {
        metrics.close();
    }
}
