package io.modelcycle.local.cli;

import io.modelcycle.local.asl.AslExecutor;
import io.modelcycle.local.asl.ExecutionStore;
import io.modelcycle.local.asl.TaskBindings;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * What a command works with: its output streams and the runtime's home, with the store and the executor opened
 * on first use and closed when the command ends.
 */
public final class CliContext implements AutoCloseable {

    private final PrintStream out;
    private final PrintStream err;
    private final Path home;
    private final TaskBindings bindings = new TaskBindings();
    private ExecutionStore store;
    private AslExecutor executor;

    public CliContext(PrintStream out, PrintStream err, Path home) {
        this.out = out;
        this.err = err;
        this.home = home;
    }

    /** Standard output: results only (JSON), so that commands compose with {@code jq}. */
    public PrintStream out() {
        return out;
    }

    /** Standard error: progress, ids, errors. */
    public PrintStream err() {
        return err;
    }

    /** The runtime's home directory ({@code --home}, default {@code ./.modelcycle}). */
    public Path home() {
        return home;
    }

    /**
     * The task bindings of the executor this context opens: empty here; a command (or the local runtime) that
     * wires in-process handlers binds them before calling {@link #executor()}.
     */
    public TaskBindings bindings() {
        return bindings;
    }

    /** The execution store under the home, opened on first use. */
    public ExecutionStore store() {
        if (store == null) {
            store = ExecutionStore.open(home);
        }
        return store;
    }

    /**
     * An executor over the home's store for a one-shot command: it does not take over executions that other
     * processes left running.
     */
    public AslExecutor executor() {
        if (executor == null) {
            executor = AslExecutor.builder().store(store()).bindings(bindings).resumeInterrupted(false)
                    .build();
        }
        return executor;
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.close();
        }
        if (store != null) {
            store.close();
        }
    }
}
