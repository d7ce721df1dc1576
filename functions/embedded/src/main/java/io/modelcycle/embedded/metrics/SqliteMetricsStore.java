package io.modelcycle.embedded.metrics;

import io.modelcycle.core.Json;
import io.modelcycle.core.StoreException;
import io.modelcycle.core.TransientException;
import io.modelcycle.core.metrics.Datapoint;
import io.modelcycle.core.metrics.MetricId;
import io.modelcycle.core.metrics.MetricPoint;
import io.modelcycle.core.metrics.MetricQuery;
import io.modelcycle.core.metrics.MetricsSink;
import io.modelcycle.core.metrics.MetricsSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * {@link MetricsSink} and {@link MetricsSource} on one SQLite file, the embedded stand-in for CloudWatch.
 *
 * <p>Schema: {@code series} holds each distinct (namespace, name, dimensions) once, unique-indexed, the dimensions as
 * canonical JSON (keys sorted) so that equal dimension sets are equal strings; {@code points} holds
 * (series, epoch millisecond, value, unit), indexed by (series, time), so a read touches only the rows of its series
 * and range. Reads aggregate in SQL: {@code GROUP BY (time - start) / period} with {@code AVG}, {@code SUM},
 * {@code MIN}, {@code MAX} or {@code COUNT}, periods counted from the query's start (which {@link MetricQuery}
 * requires to be aligned to the period, as CloudWatch's periods are).
 *
 * <p>A publish is one transaction: all of its points or none. Thread-safe (one connection, used by one thread at a
 * time); other processes may share the file (WAL journal, busy timeout). Errors: {@code SQLITE_BUSY} or
 * {@code SQLITE_LOCKED} after the busy timeout → {@link TransientException}; any other SQLite failure →
 * {@link StoreException}; both keep the {@link SQLException} as cause.
 */
public final class SqliteMetricsStore implements MetricsSink, MetricsSource, AutoCloseable {

    private static final int BUSY_TIMEOUT_MILLIS = 10_000;

    private final Path file;
    private final Connection connection;

    public SqliteMetricsStore(Path file) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
        try {
            if (this.file.getParent() != null) {
                Files.createDirectories(this.file.getParent());
            }
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
            // NORMAL: in WAL mode a power cut may lose the last commits but never corrupts the file; metrics can
            // afford that, and every publish is cheaper for it.
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            config.enforceForeignKeys(true);
            this.connection = config.createConnection("jdbc:sqlite:" + this.file);
            try (Statement s = connection.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS series (id INTEGER PRIMARY KEY, namespace TEXT NOT NULL, "
                        + "name TEXT NOT NULL, dimensions TEXT NOT NULL, UNIQUE (namespace, name, dimensions))");
                s.execute("CREATE TABLE IF NOT EXISTS points (series INTEGER NOT NULL REFERENCES series(id), "
                        + "at INTEGER NOT NULL, value REAL NOT NULL, unit TEXT NOT NULL)");
                s.execute("CREATE INDEX IF NOT EXISTS points_by_series_time ON points (series, at)");
            }
        } catch (IOException | SQLException e) {
            throw new StoreException("cannot open the metrics database '" + this.file + "': " + e.getMessage(), e);
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    @Override
    public synchronized void publish(Collection<MetricPoint> points) {
        if (points.isEmpty()) {
            return;
        }
        try {
            connection.setAutoCommit(false);
            try {
                Map<MetricId, Long> ids = new HashMap<>();
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO points (series, at, value, unit) VALUES (?, ?, ?, ?)")) {
                    for (MetricPoint point : points) {
                        Objects.requireNonNull(point, "point");
                        long series = ids.computeIfAbsent(point.metric(), this::seriesId);
                        insert.setLong(1, series);
                        insert.setLong(2, point.timestamp().toEpochMilli());
                        insert.setDouble(3, point.value());
                        insert.setString(4, point.unit().cloudWatchName());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw translate("publish " + points.size() + " metric points", e);
        } catch (UncheckedSql e) {
            throw translate("publish " + points.size() + " metric points", e.getCause());
        }
    }

    @Override
    public synchronized List<Datapoint> read(MetricQuery query) {
        long start = query.start().toEpochMilli();
        long period = query.period().toMillis();
        String aggregate = switch (query.statistic()) {
            case AVERAGE -> "AVG(p.value)";
            case SUM -> "SUM(p.value)";
            case MINIMUM -> "MIN(p.value)";
            case MAXIMUM -> "MAX(p.value)";
            case SAMPLE_COUNT -> "COUNT(*)";
        };
        String sql = "SELECT (p.at - ?) / ? AS bucket, " + aggregate + " FROM points p JOIN series s ON s.id = p.series "
                + "WHERE s.namespace = ? AND s.name = ? AND s.dimensions = ? AND p.at >= ? AND p.at < ? "
                + "GROUP BY bucket ORDER BY bucket";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setLong(1, start);
            select.setLong(2, period);
            select.setString(3, query.metric().namespace());
            select.setString(4, query.metric().name());
            select.setString(5, dimensionsOf(query.metric()));
            select.setLong(6, start);
            select.setLong(7, query.end().toEpochMilli());
            List<Datapoint> datapoints = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    datapoints.add(new Datapoint(Instant.ofEpochMilli(start + rows.getLong(1) * period), rows.getDouble(2)));
                }
            }
            return datapoints;
        } catch (SQLException e) {
            throw translate("read " + query.metric(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close the metrics database '" + file + "': " + e.getMessage(), e);
        }
    }

    private long seriesId(MetricId metric) {
        String dimensions = dimensionsOf(metric);
        try {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO series (namespace, name, dimensions) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                insert.setString(1, metric.namespace());
                insert.setString(2, metric.name());
                insert.setString(3, dimensions);
                insert.executeUpdate();
            }
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id FROM series WHERE namespace = ? AND name = ? AND dimensions = ?")) {
                select.setString(1, metric.namespace());
                select.setString(2, metric.name());
                select.setString(3, dimensions);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            }
        } catch (SQLException e) {
            throw new UncheckedSql(e);
        }
    }

    /** Canonical JSON of the dimensions: keys sorted, so one dimension set is always one string. */
    private static String dimensionsOf(MetricId metric) {
        return Json.write(metric.dimensions());
    }

    private RuntimeException translate(String what, SQLException e) {
        if (e instanceof SQLiteException sqlite) {
            SQLiteErrorCode code = sqlite.getResultCode();
            int primary = code == null ? -1 : code.code & 0xff;
            if (primary == SQLiteErrorCode.SQLITE_BUSY.code || primary == SQLiteErrorCode.SQLITE_LOCKED.code) {
                return new TransientException("cannot " + what + ": the metrics database is busy; try again", e);
            }
        }
        return new StoreException("cannot " + what + " in '" + file + "': " + e.getMessage(), e);
    }

    /** Carries a SQLException out of a lambda; unwrapped at once by {@link #publish}. */
    private static final class UncheckedSql extends RuntimeException {
        UncheckedSql(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }
}
