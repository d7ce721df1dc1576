package io.modelcycle.embedded.registry;

import io.modelcycle.core.AlreadyExistsException;
import io.modelcycle.core.ConcurrentUpdateException;
import io.modelcycle.core.Json;
import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.StoreException;
import io.modelcycle.core.TransientException;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.registry.Alias;
import io.modelcycle.core.registry.AuditAction;
import io.modelcycle.core.registry.AuditEvent;
import io.modelcycle.core.registry.AuditHead;
import io.modelcycle.core.registry.Change;
import io.modelcycle.core.registry.Lineage;
import io.modelcycle.core.registry.ModelVersion;
import io.modelcycle.core.registry.Page;
import io.modelcycle.core.registry.PageRequest;
import io.modelcycle.core.registry.RegistryStore;
import io.modelcycle.core.registry.VersionInUseException;
import io.modelcycle.core.registry.VersionNotServableException;
import io.modelcycle.core.registry.VersionStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * {@link RegistryStore} in one SQLite file: tables {@code models}, {@code versions}, {@code aliases} and
 * {@code audit_events}, each row holding its record as JSON ({@link Json}) next to the few columns that queries
 * filter or sort on.
 *
 * <p>The database runs in WAL mode, so readers never wait for the writer. Every change is one
 * {@code BEGIN IMMEDIATE} transaction that takes the write lock up front, reads the audit head, applies the
 * change, and appends its event with {@link AuditHead#append}: version numbers, compare-and-set checks and the
 * hash chain are therefore decided under one lock and can neither race nor half-apply. Writers in this JVM also
 * queue on a Java lock first, which is fairer and faster than SQLite's sleeping busy handler; writers in other
 * processes wait up to the busy timeout, after which {@code SQLITE_BUSY} is reported as a
 * {@link TransientException}.
 *
 * <p>Page tokens are opaque (Base64 of the last key returned); a token that was not issued here is a
 * {@link ValidationException} on {@code nextToken}.
 */
public final class SqliteRegistryStore implements RegistryStore, AutoCloseable {

    /** How long a write waits for another process's transaction before giving up with a TransientException. */
    public static final int DEFAULT_BUSY_TIMEOUT_MS = 10_000;
    private static final int POOL_SIZE = 4;
    private static final int SCHEMA_VERSION = 1;

    private final Path file;
    private final Clock clock;
    private final BlockingQueue<Connection> pool;
    private final List<Connection> all = new ArrayList<>();
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private volatile boolean closed;

    /** Opens (creating if needed) the registry database at {@code file}; timestamps come from {@code clock}. */
    public SqliteRegistryStore(Path file, Clock clock) {
        this(file, clock, DEFAULT_BUSY_TIMEOUT_MS);
    }

    public SqliteRegistryStore(Path file) {
        this(file, Clock.systemUTC());
    }

    public SqliteRegistryStore(Path file, Clock clock, int busyTimeoutMillis) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
        this.clock = Objects.requireNonNull(clock, "clock");
        if (busyTimeoutMillis < 0) {
            throw new ValidationException("busyTimeoutMillis", "must be >= 0, got " + busyTimeoutMillis);
        }
        this.pool = new ArrayBlockingQueue<>(POOL_SIZE);
        try {
            if (this.file.getParent() != null) {
                Files.createDirectories(this.file.getParent());
            }
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setBusyTimeout(busyTimeoutMillis);
            // FULL: a committed change (and its audit event) survives a power cut, which an audit log must.
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            config.enforceForeignKeys(true);
            for (int i = 0; i < POOL_SIZE; i++) {
                Connection connection = config.createConnection("jdbc:sqlite:" + this.file);
                all.add(connection);
                pool.add(connection);
            }
            createSchema();
        } catch (IOException | SQLException e) {
            closeAll();
            throw new StoreException("cannot open the registry database '" + this.file + "': " + e.getMessage(), e);
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    private void createSchema() {
        write("create the schema", c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS models (name TEXT PRIMARY KEY, doc TEXT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS versions (model TEXT NOT NULL REFERENCES models(name), "
                        + "number INTEGER NOT NULL, status TEXT NOT NULL, revision INTEGER NOT NULL, doc TEXT NOT NULL, "
                        + "PRIMARY KEY (model, number))");
                s.execute("CREATE INDEX IF NOT EXISTS versions_by_status ON versions (model, status, number)");
                s.execute("CREATE TABLE IF NOT EXISTS aliases (model TEXT NOT NULL REFERENCES models(name), "
                        + "name TEXT NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (model, name))");
                s.execute("CREATE TABLE IF NOT EXISTS audit_events (model TEXT NOT NULL REFERENCES models(name), "
                        + "sequence INTEGER NOT NULL, hash TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (model, sequence))");
                try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                    int version = rs.next() ? rs.getInt(1) : 0;
                    if (version > SCHEMA_VERSION) {
                        throw new StoreException("the registry database '" + file + "' has schema version " + version
                                + ", newer than this code understands (" + SCHEMA_VERSION + ")", null);
                    }
                }
                s.execute("PRAGMA user_version = " + SCHEMA_VERSION);
            }
            return null;
        });
    }

    // ------------------------------------------------------------------ models

    @Override
    public Model createModel(Model model, Change change) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(change, "change");
        return write("create model '" + model.name() + "'", c -> {
            if (findModel(c, model.name()).isPresent()) {
                throw new AlreadyExistsException("model '" + model.name() + "' already exists");
            }
            AuditHead head = head(c, model.name());
            Instant at = eventTime(head);
            Model stored = model.withCreatedAt(at);
            update(c, "INSERT INTO models (name, doc) VALUES (?, ?)", stored.name(), Json.write(stored));
            append(c, head.append(model.name(), at, change, AuditAction.MODEL_CREATED, AuditHead.MODEL_SUBJECT, null, stored));
            return stored;
        });
    }

    @Override
    public Optional<Model> findModel(String name) {
        Model.requireName(name);
        return read("read model '" + name + "'", c -> findModel(c, name));
    }

    private static Optional<Model> findModel(Connection c, String name) throws SQLException {
        return queryOne(c, "SELECT doc FROM models WHERE name = ?", Model.class, name);
    }

    @Override
    public Page<Model> listModels(PageRequest page) {
        String after = page.token() == null ? "" : decodeToken(page.token(), "m");
        return read("list models", c -> {
            List<Model> models = queryAll(c, "SELECT doc FROM models WHERE name > ? ORDER BY name LIMIT ?",
                    Model.class, after, page.limit() + 1);
            return page(models, page.limit(), m -> encodeToken("m", m.name()));
        });
    }

    // ------------------------------------------------------------------ versions

    @Override
    public ModelVersion createVersion(String model, Lineage lineage, Change change) {
        Model.requireName(model);
        Objects.requireNonNull(lineage, "lineage");
        Objects.requireNonNull(change, "change");
        return write("register a version of model '" + model + "'", c -> {
            requireModel(c, model);
            int number;
            try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(number), 0) + 1 FROM versions WHERE model = ?")) {
                s.setString(1, model);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    number = rs.getInt(1);
                }
            }
            AuditHead head = head(c, model);
            Instant at = eventTime(head);
            ModelVersion version = new ModelVersion(model, number, VersionStatus.TRAINING, lineage, null, Map.of(), null,
                    null, null, at, at, 1);
            update(c, "INSERT INTO versions (model, number, status, revision, doc) VALUES (?, ?, ?, ?, ?)", model, number,
                    version.status().name(), version.revision(), Json.write(version));
            append(c, head.append(model, at, change, AuditAction.VERSION_REGISTERED, AuditHead.versionSubject(number),
                    null, version));
            return version;
        });
    }

    @Override
    public Optional<ModelVersion> findVersion(String model, int number) {
        Model.requireName(model);
        return read("read version " + number + " of model '" + model + "'", c -> queryOne(c,
                "SELECT doc FROM versions WHERE model = ? AND number = ?", ModelVersion.class, model, number));
    }

    @Override
    public Page<ModelVersion> listVersions(String model, VersionStatus status, PageRequest page) {
        Model.requireName(model);
        int after = page.token() == null ? 0 : parseNumber(decodeToken(page.token(), "v"));
        return read("list versions of model '" + model + "'", c -> {
            List<ModelVersion> versions = status == null
                    ? queryAll(c, "SELECT doc FROM versions WHERE model = ? AND number > ? ORDER BY number LIMIT ?",
                            ModelVersion.class, model, after, page.limit() + 1)
                    : queryAll(c, "SELECT doc FROM versions WHERE model = ? AND status = ? AND number > ? "
                            + "ORDER BY number LIMIT ?", ModelVersion.class, model, status.name(), after, page.limit() + 1);
            return page(versions, page.limit(), v -> encodeToken("v", Integer.toString(v.number())));
        });
    }

    @Override
    public ModelVersion updateVersion(ModelVersion expected, ModelVersion updated, Change change) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(updated, "updated");
        Objects.requireNonNull(change, "change");
        if (!expected.model().equals(updated.model()) || expected.number() != updated.number()
                || updated.revision() != expected.revision() + 1) {
            throw new ValidationException("version", "the update of version " + expected.number() + " of model '"
                    + expected.model() + "' must be the same version at revision " + (expected.revision() + 1)
                    + ", got version " + updated.number() + " of '" + updated.model() + "' at revision " + updated.revision());
        }
        String model = expected.model();
        int number = expected.number();
        return write("update version " + number + " of model '" + model + "'", c -> {
            ModelVersion current = queryOne(c, "SELECT doc FROM versions WHERE model = ? AND number = ?",
                    ModelVersion.class, model, number).orElseThrow(() -> new NotFoundException(
                            "version " + number + " of model '" + model + "' does not exist"));
            if (current.revision() != expected.revision()) {
                throw new ConcurrentUpdateException("version " + number + " of model '" + model + "' was changed by "
                        + "someone else: it is at revision " + current.revision() + " (" + current.status()
                        + "), this update was made from revision " + expected.revision() + "; read it again");
            }
            if (current.status().isServable() && !updated.status().isServable()) {
                // Checked inside the write transaction: no alias can be set between this check and the update.
                List<String> serving = new ArrayList<>();
                try (PreparedStatement q = c.prepareStatement(
                        "SELECT name FROM aliases WHERE model = ? AND version = ? ORDER BY name")) {
                    q.setString(1, model);
                    q.setInt(2, number);
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            serving.add(rs.getString(1));
                        }
                    }
                }
                if (!serving.isEmpty()) {
                    throw new VersionInUseException(model, number, serving);
                }
            }
            AuditHead head = head(c, model);
            Instant at = eventTime(head);
            update(c, "UPDATE versions SET status = ?, revision = ?, doc = ? WHERE model = ? AND number = ? AND revision = ?",
                    updated.status().name(), updated.revision(), Json.write(updated), model, number, expected.revision());
            append(c, head.append(model, at, change, AuditAction.VERSION_UPDATED, AuditHead.versionSubject(number),
                    current, updated));
            return updated;
        });
    }

    // ------------------------------------------------------------------ aliases

    @Override
    public Alias setAlias(Alias alias, Integer expectedVersion, Change change) {
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(change, "change");
        String model = alias.model();
        Model.requireName(model);
        return write("set alias '" + alias.name() + "' of model '" + model + "'", c -> {
            requireModel(c, model);
            ModelVersion target = queryOne(c, "SELECT doc FROM versions WHERE model = ? AND number = ?", ModelVersion.class,
                    model, alias.version()).orElseThrow(() -> new NotFoundException(
                            "version " + alias.version() + " of model '" + model + "' does not exist"));
            if (!target.status().isServable()) {
                throw new VersionNotServableException(model, alias.name(), alias.version(), target.status());
            }
            Optional<Alias> current = findAlias(c, model, alias.name());
            Integer actual = current.map(Alias::version).orElse(null);
            if (!Objects.equals(actual, expectedVersion)) {
                throw new ConcurrentUpdateException("alias '" + alias.name() + "' of model '" + model + "' "
                        + (actual == null ? "does not exist" : "points at version " + actual) + ", but this change "
                        + (expectedVersion == null ? "expected it not to exist" : "expected version " + expectedVersion)
                        + "; read it again");
            }
            AuditHead head = head(c, model);
            Instant at = eventTime(head);
            Alias stored = new Alias(model, alias.name(), alias.version(), alias.weight(), at);
            update(c, "INSERT INTO aliases (model, name, version, doc) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT (model, name) DO UPDATE SET version = excluded.version, doc = excluded.doc",
                    model, alias.name(), alias.version(), Json.write(stored));
            append(c, head.append(model, at, change, AuditAction.ALIAS_SET, AuditHead.aliasSubject(alias.name()),
                    current.orElse(null), stored));
            return stored;
        });
    }

    @Override
    public void deleteAlias(String model, String alias, int expectedVersion, Change change) {
        Model.requireName(model);
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(change, "change");
        write("delete alias '" + alias + "' of model '" + model + "'", c -> {
            Alias current = findAlias(c, model, alias).orElseThrow(() -> new NotFoundException(
                    "alias '" + alias + "' of model '" + model + "' does not exist"));
            if (current.version() != expectedVersion) {
                throw new ConcurrentUpdateException("alias '" + alias + "' of model '" + model + "' points at version "
                        + current.version() + ", but this change expected version " + expectedVersion + "; read it again");
            }
            AuditHead head = head(c, model);
            Instant at = eventTime(head);
            update(c, "DELETE FROM aliases WHERE model = ? AND name = ?", model, alias);
            append(c, head.append(model, at, change, AuditAction.ALIAS_DELETED, AuditHead.aliasSubject(alias), current,
                    null));
            return null;
        });
    }

    @Override
    public Optional<Alias> findAlias(String model, String alias) {
        Model.requireName(model);
        return read("read alias '" + alias + "' of model '" + model + "'", c -> findAlias(c, model, alias));
    }

    private static Optional<Alias> findAlias(Connection c, String model, String alias) throws SQLException {
        return queryOne(c, "SELECT doc FROM aliases WHERE model = ? AND name = ?", Alias.class, model, alias);
    }

    @Override
    public List<Alias> listAliases(String model) {
        Model.requireName(model);
        return read("list aliases of model '" + model + "'",
                c -> queryAll(c, "SELECT doc FROM aliases WHERE model = ? ORDER BY name", Alias.class, model));
    }

    // ------------------------------------------------------------------ audit

    @Override
    public List<AuditEvent> auditEvents(String model, long afterSequence, int limit) {
        Model.requireName(model);
        if (limit < 1) {
            throw new ValidationException("limit", "must be >= 1, got " + limit);
        }
        return read("read the audit log of model '" + model + "'", c -> queryAll(c,
                "SELECT doc FROM audit_events WHERE model = ? AND sequence > ? ORDER BY sequence LIMIT ?",
                AuditEvent.class, model, afterSequence, limit));
    }

    /** The model's last event, read inside the writing transaction so the next event links to it. */
    private static AuditHead head(Connection c, String model) throws SQLException {
        return queryOne(c, "SELECT doc FROM audit_events WHERE model = ? ORDER BY sequence DESC LIMIT 1",
                AuditEvent.class, model).map(AuditHead::of).orElse(AuditHead.EMPTY);
    }

    /**
     * The time of the next event, exactly as {@link AuditHead#append} will stamp it, so that records stamped with
     * it (a model's createdAt, an alias's updatedAt) agree with their event.
     */
    private Instant eventTime(AuditHead head) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return head.timestamp() != null && now.isBefore(head.timestamp()) ? head.timestamp() : now;
    }

    private static void append(Connection c, AuditEvent event) throws SQLException {
        update(c, "INSERT INTO audit_events (model, sequence, hash, doc) VALUES (?, ?, ?, ?)", event.model(),
                event.sequence(), event.hash(), Json.write(event));
    }

    private static void requireModel(Connection c, String model) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM models WHERE name = ?")) {
            s.setString(1, model);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFoundException("model '" + model + "' does not exist");
                }
            }
        }
    }

    // ------------------------------------------------------------------ plumbing

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T read(String what, Work<T> work) {
        Connection c = borrow(what);
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw translate(what, e);
        } finally {
            pool.add(c);
        }
    }

    /** Runs {@code work} in one BEGIN IMMEDIATE transaction: all of it commits, or none of it does. */
    private <T> T write(String what, Work<T> work) {
        writeLock.lock();
        try {
            Connection c = borrow(what);
            try {
                execute(c, "BEGIN IMMEDIATE");
                boolean committed = false;
                try {
                    T result = work.run(c);
                    execute(c, "COMMIT");
                    committed = true;
                    return result;
                } finally {
                    if (!committed) {
                        rollbackQuietly(c);
                    }
                }
            } catch (SQLException e) {
                throw translate(what, e);
            } finally {
                pool.add(c);
            }
        } finally {
            writeLock.unlock();
        }
    }

    private Connection borrow(String what) {
        if (closed) {
            throw new StoreException("cannot " + what + ": the registry database '" + file + "' is closed", null);
        }
        try {
            Connection c = pool.poll(30, TimeUnit.SECONDS);
            if (c == null) {
                throw new TransientException("cannot " + what + ": no database connection became free in 30 s", null);
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException("interrupted while waiting to " + what, e);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            execute(c, "ROLLBACK");
        } catch (SQLException e) {
            // SQLite may have rolled back already (e.g. after SQLITE_BUSY); nothing was committed either way.
        }
    }

    private RuntimeException translate(String what, SQLException e) {
        if (e instanceof SQLiteException sqlite) {
            SQLiteErrorCode code = sqlite.getResultCode();
            int primary = code == null ? -1 : code.code & 0xff;
            if (primary == SQLiteErrorCode.SQLITE_BUSY.code || primary == SQLiteErrorCode.SQLITE_LOCKED.code) {
                return new TransientException("cannot " + what + ": the registry database is busy with another "
                        + "writer; try again", e);
            }
        }
        return new StoreException("cannot " + what + " in '" + file + "': " + e.getMessage(), e);
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = prepare(c, sql, args)) {
            return s.executeUpdate();
        }
    }

    private static <T> Optional<T> queryOne(Connection c, String sql, Class<T> type, Object... args) throws SQLException {
        List<T> rows = queryAll(c, sql, type, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private static <T> List<T> queryAll(Connection c, String sql, Class<T> type, Object... args) throws SQLException {
        try (PreparedStatement s = prepare(c, sql, args); ResultSet rs = s.executeQuery()) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(Json.read(rs.getString(1), type));
            }
            return rows;
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        try {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s;
        } catch (SQLException e) {
            s.close();
            throw e;
        }
    }

    private static <T> Page<T> page(List<T> rows, int limit, java.util.function.Function<T, String> token) {
        boolean more = rows.size() > limit;
        List<T> items = more ? rows.subList(0, limit) : rows;
        return new Page<>(items, more ? token.apply(items.get(items.size() - 1)) : null);
    }

    private static String encodeToken(String kind, String last) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((kind + ":" + last).getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token, String kind) {
        String decoded;
        try {
            decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("nextToken", "is not a token this API issued");
        }
        if (!decoded.startsWith(kind + ":")) {
            throw new ValidationException("nextToken", "is not a token this API issued for this listing");
        }
        return decoded.substring(kind.length() + 1);
    }

    private static int parseNumber(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new ValidationException("nextToken", "is not a token this API issued");
        }
    }

    /** Closes every connection; later calls fail with a {@link StoreException}. */
    @Override
    public void close() {
        closed = true;
        closeAll();
    }

    private void closeAll() {
        for (Connection c : all) {
            try {
                c.close();
            } catch (SQLException e) {
                // Closing is best effort; SQLite keeps the file consistent either way.
            }
        }
    }

    @Override
    public String toString() {
        return "SqliteRegistryStore[" + file + "]";
    }
}
