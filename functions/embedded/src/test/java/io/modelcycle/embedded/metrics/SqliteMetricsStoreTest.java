package io.modelcycle.embedded.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcycle.core.StoreException;
import io.modelcycle.core.metrics.AlarmDefinition;
import io.modelcycle.core.metrics.AlarmEvaluator;
import io.modelcycle.core.metrics.AlarmState;
import io.modelcycle.core.metrics.DriftAlarms;
import io.modelcycle.core.metrics.MetricPoint;
import io.modelcycle.core.metrics.MetricQuery;
import io.modelcycle.core.metrics.MetricUnit;
import io.modelcycle.core.metrics.MetricsSink;
import io.modelcycle.core.metrics.MetricsSource;
import io.modelcycle.core.metrics.Statistic;
import io.modelcycle.testkit.contract.MetricsStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SqliteMetricsStore} against the metrics contract, plus what only a file can show. */
class SqliteMetricsStoreTest extends MetricsStoreContract {

    @TempDir
    Path dir;

    private SqliteMetricsStore store;

    private SqliteMetricsStore store() {
        if (store == null) {
            store = new SqliteMetricsStore(dir.resolve("metrics/metrics.db"));
        }
        return store;
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Override
    protected MetricsSink sink() {
        return store();
    }

    @Override
    protected MetricsSource source() {
        return store();
    }

    @Test
    void points_survive_reopening_the_file() {
        // GIVEN a point published, and the store closed
        Path file = dir.resolve("reopen.db");
        Instant at = Instant.parse("2026-11-29T10:00:00Z");
        try (SqliteMetricsStore first = new SqliteMetricsStore(file)) {
            first.publish(MetricPoint.of("modelcycle/drift", "DriftedShare", Map.of("model", "churn"), 0.75,
                    MetricUnit.NONE, at));
        }

        // WHEN the file is opened again
        try (SqliteMetricsStore second = new SqliteMetricsStore(file)) {
            // THEN the point is still there
            assertThat(second.read(new MetricQuery(DriftAlarms.driftedShare("churn"), Statistic.MAXIMUM,
                    Duration.ofHours(1), at, at.plus(Duration.ofHours(1))))).singleElement()
                    .satisfies(d -> assertThat(d.value()).isEqualTo(0.75));
        }
    }

    @Test
    void reads_use_the_series_and_time_index() throws Exception {
        // GIVEN a store with its schema
        store().publish(MetricPoint.of("modelcycle/x", "M", Map.of(), 1, null, Instant.parse("2026-11-29T10:00:00Z")));

        // WHEN SQLite is asked how it would run the read
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store().file());
             ResultSet plan = c.createStatement().executeQuery("EXPLAIN QUERY PLAN SELECT (p.at - 0) / 60 AS bucket, "
                     + "SUM(p.value) FROM points p JOIN series s ON s.id = p.series WHERE s.namespace = 'a' "
                     + "AND s.name = 'b' AND s.dimensions = '{}' AND p.at >= 0 AND p.at < 10 GROUP BY bucket")) {
            StringBuilder text = new StringBuilder();
            while (plan.next()) {
                text.append(plan.getString("detail")).append('\n');
            }
            // THEN it looks the series up by its unique key and the points by (series, time), never scanning
            assertThat(text.toString()).contains("points_by_series_time").contains("sqlite_autoindex_series_1")
                    .doesNotContain("SCAN p").doesNotContain("SCAN s");
        }
    }

    @Test
    void a_closed_store_fails_with_a_store_exception_naming_its_file() {
        // GIVEN a store that has been closed
        Instant at = Instant.parse("2026-11-29T10:00:00Z");
        MetricPoint point = MetricPoint.of("modelcycle/x", "M", Map.of(), 1, null, at);
        Path file = dir.resolve("missing-dir/gone.db");
        SqliteMetricsStore doomed = new SqliteMetricsStore(file);
        doomed.close();

        // WHEN it is used after being closed
        // THEN the failure is a StoreException naming the file, not a raw SQLException
        assertThatThrownBy(() -> doomed.publish(List.of(point)))
                .isInstanceOf(StoreException.class).hasMessageContaining("gone.db");
    }

    @Test
    void the_local_drift_alarm_fires_on_drift_published_here() {
        // GIVEN the shipped drift alarm for 'churn' with 5-minute periods, and a drifted share of 0.6 published
        AlarmDefinition alarm = DriftAlarms.driftAlarm("churn", null, Duration.ofMinutes(5));
        Instant now = Instant.parse("2026-11-29T10:12:00Z");
        store().publish(new MetricPoint(DriftAlarms.driftedShare("churn"), 0.6, null, Instant.parse("2026-11-29T10:06:00Z")));
        store().publish(new MetricPoint(DriftAlarms.driftedShare("fraud"), 0.9, null, Instant.parse("2026-11-29T10:06:00Z")));

        // WHEN the alarm is evaluated over this store
        // THEN churn's alarm goes to ALARM, and another model's alarm stays OK
        assertThat(AlarmEvaluator.evaluate(alarm, store(), now, AlarmState.OK).state()).isEqualTo(AlarmState.ALARM);
        assertThat(AlarmEvaluator.evaluate(DriftAlarms.driftAlarm("other", null, Duration.ofMinutes(5)), store(), now,
                AlarmState.OK).state()).isEqualTo(AlarmState.OK);
        assertThat(Files.exists(store().file())).isTrue();
    }
}
