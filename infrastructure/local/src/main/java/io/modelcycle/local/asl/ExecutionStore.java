package io.modelcycle.local.asl;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Executions, their histories and resume checkpoints in one SQLite file ({@code executions.db} under the runtime's
 * home). Writes are queued and committed by one writer thread in batches, so the interpreter never waits on the
 * disk between two states; every read first sees every write queued before it (reads go through the same queue).
 */
public final class ExecutionStore implements AutoCloseable {

    /** The file name under the home directory. */
    public static final String FILE_NAME = "executions.db";
    private static final int BATCH = 2000;

    @FunctionalInterface
    private interface Op {
        void run(Connection c) throws SQLException;
    }

    private final Path file;
    private final Connection connection;
    /** Statements prepared once and reused; only the writer thread touches them. */
    private final Map<String, PreparedStatement> statements = new java.util.HashMap<>();
    private final BlockingQueue<Op> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile Throwable failure;
    private volatile boolean closed;

    private ExecutionStore(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
        this.writer = new Thread(this::drain, "asl-execution-store");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * Opens (creating if needed) the store under {@code home}.
     *
     * @throws IllegalStateException when the directory or the database cannot be opened
     */
    public static ExecutionStore open(Path home) {
        try {
            Files.createDirectories(home);
            Path file = home.resolve(FILE_NAME);
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA busy_timeout=10000");
                s.execute("CREATE TABLE IF NOT EXISTS executions (arn TEXT PRIMARY KEY, name TEXT NOT NULL,"
                        + " state_machine_arn TEXT NOT NULL, definition TEXT NOT NULL, status TEXT NOT NULL,"
                        + " input TEXT NOT NULL, output TEXT, error TEXT, cause TEXT, start_date TEXT NOT NULL,"
                        + " stop_date TEXT, parent_arn TEXT, owner TEXT)");
                s.execute("CREATE INDEX IF NOT EXISTS executions_start ON executions(start_date)");
                try (ResultSet columns = s.executeQuery("SELECT COUNT(*) FROM pragma_table_info('executions')"
                        + " WHERE name='owner'")) {
                    if (columns.next() && columns.getInt(1) == 0) {
                        // stores written before executors had owners
                        s.execute("ALTER TABLE executions ADD COLUMN owner TEXT");
                    }
                }
                s.execute("CREATE TABLE IF NOT EXISTS events (execution_arn TEXT NOT NULL, id INTEGER NOT NULL,"
                        + " previous_id INTEGER NOT NULL, timestamp TEXT NOT NULL, type TEXT NOT NULL,"
                        + " details_key TEXT, details TEXT, PRIMARY KEY (execution_arn, id))");
                s.execute("CREATE TABLE IF NOT EXISTS checkpoints (execution_arn TEXT PRIMARY KEY,"
                        + " checkpoint TEXT NOT NULL)");
            }
            c.setAutoCommit(false);
            return new ExecutionStore(file, c);
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("cannot open the execution store under " + home + ": " + e.getMessage(),
                    e);
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    // ---------------------------------------------------------------------------------------------- writes

    void insertExecution(ExecutionDescription d, String definition, String owner) {
        enqueue(c -> {
            PreparedStatement p = prepared(c, "INSERT INTO executions (arn, name, state_machine_arn,"
                    + " definition, status, input, start_date, parent_arn, owner) VALUES (?,?,?,?,?,?,?,?,?)");
            p.setString(1, d.executionArn());
            p.setString(2, d.name());
            p.setString(3, d.stateMachineArn());
            p.setString(4, definition);
            p.setString(5, d.status().name());
            p.setString(6, d.input());
            p.setString(7, d.startDate().toString());
            p.setString(8, d.parentArn());
            p.setString(9, owner);
            p.executeUpdate();
        });
    }

    void finishExecution(String arn, ExecutionStatus status, String output, String error, String cause,
            Instant stopDate) {
        enqueue(c -> {
            PreparedStatement p = prepared(c, "UPDATE executions SET status=?, output=?, error=?,"
                    + " cause=?, stop_date=? WHERE arn=?");
            p.setString(1, status.name());
            p.setString(2, output);
            p.setString(3, error);
            p.setString(4, cause);
            p.setString(5, stopDate.toString());
            p.setString(6, arn);
            p.executeUpdate();
            PreparedStatement d = prepared(c, "DELETE FROM checkpoints WHERE execution_arn=?");
            d.setString(1, arn);
            d.executeUpdate();
        });
    }

    void appendEvent(String arn, HistoryEvent e) {
        enqueue(c -> {
            PreparedStatement p = prepared(c, "INSERT INTO events (execution_arn, id, previous_id,"
                    + " timestamp, type, details_key, details) VALUES (?,?,?,?,?,?,?)");
            p.setString(1, arn);
            p.setLong(2, e.id());
            p.setLong(3, e.previousEventId());
            p.setString(4, e.timestamp().toString());
            p.setString(5, e.type());
            p.setString(6, e.detailsKey());
            p.setString(7, e.details() == null ? null : e.details().toString());
            p.executeUpdate();
        });
    }

    void saveCheckpoint(String arn, String checkpoint) {
        enqueue(c -> {
            PreparedStatement p = prepared(c, "INSERT OR REPLACE INTO checkpoints (execution_arn,"
                    + " checkpoint) VALUES (?,?)");
            p.setString(1, arn);
            p.setString(2, checkpoint);
            p.executeUpdate();
        });
    }

    void deleteCheckpoint(String arn) {
        enqueue(c -> {
            PreparedStatement p = prepared(c, "DELETE FROM checkpoints WHERE execution_arn=?");
            p.setString(1, arn);
            p.executeUpdate();
        });
    }

    // ---------------------------------------------------------------------------------------------- reads

    /** One execution, or empty when no execution has that ARN. */
    public Optional<ExecutionDescription> describe(String arn) {
        List<ExecutionDescription> found = query("SELECT * FROM executions WHERE arn=?", arn);
        return found.stream().findFirst();
    }

    /** Every execution, newest first. */
    public List<ExecutionDescription> list() {
        return query("SELECT * FROM executions ORDER BY start_date DESC, rowid DESC");
    }

    /** Executions still RUNNING in the store. */
    List<ExecutionDescription> running() {
        return query("SELECT * FROM executions WHERE status='RUNNING' ORDER BY start_date");
    }

    /** The definition an execution ran. */
    Optional<String> definition(String arn) {
        return call(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT definition FROM executions WHERE arn=?")) {
                p.setString(1, arn);
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /** The id of the executor that runs (or ran) an execution. */
    Optional<String> owner(String arn) {
        return call(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT owner FROM executions WHERE arn=?")) {
                p.setString(1, arn);
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? Optional.ofNullable(r.getString(1)) : Optional.empty();
                }
            }
        });
    }

    void setOwner(String arn, String owner) {
        enqueue(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE executions SET owner=? WHERE arn=?")) {
                p.setString(1, owner);
                p.setString(2, arn);
                p.executeUpdate();
            }
        });
    }

    /** An execution's checkpoint, if it paused at a resumable point. */
    Optional<String> checkpoint(String arn) {
        return call(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT checkpoint FROM checkpoints WHERE execution_arn=?")) {
                p.setString(1, arn);
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /** An execution's events in id order. */
    public List<HistoryEvent> history(String arn) {
        return call(c -> {
            List<HistoryEvent> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT id, previous_id, timestamp, type, details_key,"
                    + " details FROM events WHERE execution_arn=? ORDER BY id")) {
                p.setString(1, arn);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        String details = r.getString(6);
                        try {
                            out.add(new HistoryEvent(r.getLong(1), r.getLong(2), Instant.parse(r.getString(3)),
                                    r.getString(4), r.getString(5),
                                    details == null ? null : StateMachine.MAPPER.readTree(details)));
                        } catch (JsonProcessingException e) {
                            throw new SQLException("event " + r.getLong(1) + " of " + arn + " is damaged", e);
                        }
                    }
                }
            }
            return out;
        });
    }

    private PreparedStatement prepared(Connection c, String sql) throws SQLException {
        PreparedStatement p = statements.get(sql);
        if (p == null) {
            p = c.prepareStatement(sql);
            statements.put(sql, p);
        }
        return p;
    }

    /** Waits until every queued write is committed. */
    public void flush() {
        call(c -> null);
    }

    private List<ExecutionDescription> query(String sql, String... args) {
        return call(c -> {
            List<ExecutionDescription> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    p.setString(i + 1, args[i]);
                }
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(new ExecutionDescription(r.getString("arn"), r.getString("name"),
                                r.getString("state_machine_arn"), ExecutionStatus.valueOf(r.getString("status")),
                                r.getString("input"), r.getString("output"), r.getString("error"),
                                r.getString("cause"), Instant.parse(r.getString("start_date")),
                                r.getString("stop_date") == null ? null : Instant.parse(r.getString("stop_date")),
                                r.getString("parent_arn")));
                    }
                }
            }
            return out;
        });
    }

    @FunctionalInterface
    private interface Read<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T call(Read<T> read) {
        CompletableFuture<T> result = new CompletableFuture<>();
        enqueue(c -> {
            try {
                result.complete(read.run(c));
            } catch (SQLException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the execution store", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the execution store " + file + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    private void enqueue(Op op) {
        if (failure != null) {
            throw new IllegalStateException("the execution store " + file + " failed: " + failure.getMessage(),
                    failure);
        }
        if (closed) {
            throw new IllegalStateException("the execution store " + file + " is closed");
        }
        queue.add(op);
    }

    private void drain() {
        List<Op> batch = new ArrayList<>(BATCH);
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, BATCH - 1);
            boolean stop = false;
            try {
                for (Op op : batch) {
                    if (op == STOP) {
                        stop = true;
                        continue;
                    }
                    op.run(connection);
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                failure = e;
                try {
                    connection.rollback();
                } catch (SQLException ignored) {
                    // the failure above is the one worth reporting
                }
            }
            batch.clear();
            if (stop) {
                return;
            }
        }
    }

    private static final Op STOP = c -> { };

    /** Commits what is queued and closes the database. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(STOP);
        try {
            writer.join(30_000);
            for (PreparedStatement p : statements.values()) {
                p.close();
            }
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot close the execution store " + file, e);
        }
    }

    /** Row counts, for diagnostics. */
    Map<String, Long> counts() {
        return call(c -> {
            Map<String, Long> out = new LinkedHashMap<>();
            for (String t : List.of("executions", "events", "checkpoints")) {
                try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + t)) {
                    r.next();
                    out.put(t, r.getLong(1));
                }
            }
            return out;
        });
    }
}
