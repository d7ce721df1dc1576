package io.modelcycle.local.asl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A local Amazon States Language executor: runs {@link StateMachine}s with Step Functions' semantics, records each
 * execution's history in an {@link ExecutionStore}, and binds Task states to in-process {@link TaskHandler}s.
 *
 * <p>Execution is continuation-style on a {@link Scheduler}: each state runs to its next asynchronous point (a
 * Wait, a retry back-off, a task in flight, a task token) and returns its thread; timers are scheduler entries,
 * not sleeping threads. Parallel branches and Map iterations are child frames of the same execution.
 *
 * <p>Restarts: an execution paused at a top-level Wait state or at a top-level {@code .waitForTaskToken} task is
 * checkpointed and resumed by the next executor opened on the same store (its token stays valid, its
 * TimeoutSeconds deadline holds). An execution that was anywhere else when its executor stopped cannot be resumed
 * faithfully; the next executor marks it FAILED with {@code States.Runtime} and says so in the cause. Each
 * executor holds a lock file under the home while it lives, so executions of an executor still running in another
 * process are never taken over.
 */
public final class AslExecutor implements AutoCloseable {

    /** The region and account used in the ARNs this executor makes up. */
    public static final String REGION = "local";
    public static final String ACCOUNT = "000000000000";
    static final String LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
    static final String START_EXECUTION = "arn:aws:states:::states:startExecution";
    private static final Set<String> LAMBDA_PARAMETERS = Set.of("FunctionName", "Payload", "Qualifier",
            "InvocationType", "ClientContext", "LogType");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Step Functions' payload quota: 256 KiB of UTF-8 for inputs and outputs. */
    static final int MAX_PAYLOAD_BYTES = 256 * 1024;
    private static final int MAX_PAYLOAD_CHARS = MAX_PAYLOAD_BYTES / 4;

    private final Scheduler scheduler;
    private final ExecutionStore store;
    private final boolean ownsStore;
    private final TaskBindings bindings;
    private final RandomGenerator random;
    private final Map<String, StateMachine> machines = new ConcurrentHashMap<>();
    private final Map<String, String> machineNames = new ConcurrentHashMap<>();
    private final Map<String, Run> live = new ConcurrentHashMap<>();
    private final Map<String, PendingTask> tokens = new ConcurrentHashMap<>();
    /** This executor's id in the store; its lock file tells other processes it is alive. */
    private final String ownerId = UUID.randomUUID().toString();
    private final OwnerLock ownerLock;

    private AslExecutor(Builder b) {
        this.scheduler = b.scheduler != null ? b.scheduler : new SystemScheduler();
        this.ownsStore = b.store == null;
        this.store = b.store != null ? b.store : ExecutionStore.open(Objects.requireNonNull(b.home,
                "set a home directory or a store"));
        this.bindings = b.bindings != null ? b.bindings : new TaskBindings();
        this.random = b.random != null ? b.random : new java.util.Random();
        this.ownerLock = OwnerLock.acquire(store.file().getParent(), ownerId);
        if (b.resumeInterrupted) {
            recover();
        }
    }

    /** A builder; {@code home} (or {@code store}) is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Configuration of an executor. */
    public static final class Builder {
        private Path home;
        private ExecutionStore store;
        private Scheduler scheduler;
        private TaskBindings bindings;
        private RandomGenerator random;
        private boolean resumeInterrupted = true;

        /**
         * Whether this executor takes over executions left RUNNING in the store (resuming checkpointed ones, failing
         * the rest). True for the long-lived local runtime; false for a one-shot command that shares the store with
         * other processes and must not touch their executions.
         */
        public Builder resumeInterrupted(boolean resume) {
            this.resumeInterrupted = resume;
            return this;
        }

        /** The runtime's home: the SQLite store lives at {@code home/executions.db}. */
        public Builder home(Path home) {
            this.home = home;
            return this;
        }

        /** An already open store (the executor will not close it). */
        public Builder store(ExecutionStore store) {
            this.store = store;
            return this;
        }

        /** Where continuations and timers run; defaults to a {@link SystemScheduler}. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /** The task binding table; defaults to an empty one. */
        public Builder bindings(TaskBindings bindings) {
            this.bindings = bindings;
            return this;
        }

        /** The random source of States.UUID, States.MathRandom, retry jitter and execution names. */
        public Builder random(RandomGenerator random) {
            this.random = random;
            return this;
        }

        public AslExecutor build() {
            return new AslExecutor(this);
        }
    }

    /** The binding table; bind handlers here before starting executions. */
    public TaskBindings bindings() {
        return bindings;
    }

    /** The store this executor records into. */
    public ExecutionStore store() {
        return store;
    }

    // ======================================================================================== state machines

    /** The ARN this executor gives a state machine named {@code name}. */
    public static String stateMachineArn(String name) {
        return "arn:aws:states:" + REGION + ":" + ACCOUNT + ":stateMachine:" + name;
    }

    /**
     * Registers a state machine under {@code name}, so that executions and {@code states:startExecution} tasks
     * can name it (by name, by ARN, or by any alias given later with {@link #alias}).
     *
     * @return its ARN
     */
    public String register(String name, StateMachine machine) {
        if (name == null || !name.matches("[A-Za-z0-9_.${}:-]{1,80}")) {
            throw new IllegalArgumentException("a state machine name has 1 to 80 letters, digits, '-', '_', '.':"
                    + " '" + name + "'");
        }
        String arn = stateMachineArn(name);
        machines.put(arn, Objects.requireNonNull(machine, "machine"));
        machineNames.put(name, arn);
        return arn;
    }

    /** Lets {@code alias} (for example a {@code ${TrainingPipelineArn}} placeholder) name a registered machine. */
    public void alias(String alias, String nameOrArn) {
        String arn = resolveMachineArn(nameOrArn).orElseThrow(() -> new IllegalArgumentException(
                "no state machine registered as '" + nameOrArn + "'"));
        machineNames.put(alias, arn);
    }

    private Optional<String> resolveMachineArn(String nameOrArn) {
        if (machines.containsKey(nameOrArn)) {
            return Optional.of(nameOrArn);
        }
        return Optional.ofNullable(machineNames.get(nameOrArn));
    }

    // ======================================================================================== executions

    /**
     * Starts an execution of a registered state machine.
     *
     * @param name the execution's name, or null for a random one
     * @throws IllegalArgumentException when no machine has that name, or the execution name is taken
     */
    public ExecutionHandle start(String stateMachine, String name, JsonNode input) {
        String arn = resolveMachineArn(stateMachine).orElseThrow(() -> new IllegalArgumentException(
                "no state machine registered as '" + stateMachine + "'"));
        return new ExecutionHandle(startRun(arn, machines.get(arn), name, input, null).arn);
    }

    /** Registers {@code machine} under {@code machineName} (if not already) and starts an execution of it. */
    public ExecutionHandle start(String machineName, StateMachine machine, String name, JsonNode input) {
        register(machineName, machine);
        return start(machineName, name, input);
    }

    /** A started execution: its ARN and a future of its final description. */
    public final class ExecutionHandle {
        private final String arn;

        private ExecutionHandle(String arn) {
            this.arn = arn;
        }

        /** The execution's ARN (its id). */
        public String arn() {
            return arn;
        }

        /** Completes with the final description when the execution stops (immediately if it already has). */
        public CompletableFuture<ExecutionDescription> completion() {
            return AslExecutor.this.completion(arn);
        }
    }

    /** A future of the execution's final description. */
    public CompletableFuture<ExecutionDescription> completion(String executionArn) {
        Run run = live.get(executionArn);
        if (run != null) {
            return run.done.thenApply(d -> d);
        }
        return CompletableFuture.completedFuture(describe(executionArn));
    }

    /** Describes one execution (live or stored). */
    public ExecutionDescription describe(String executionArn) {
        return store.describe(executionArn).orElseThrow(() -> new IllegalArgumentException(
                "no execution '" + executionArn + "'"));
    }

    /** Every execution known to the store, newest first. */
    public List<ExecutionDescription> list() {
        return store.list();
    }

    /** An execution's history, in event order. */
    public List<HistoryEvent> history(String executionArn) {
        describe(executionArn);
        return store.history(executionArn);
    }

    /**
     * Stops (aborts) a running execution; executions it started with {@code .sync} are aborted too.
     *
     * @return false when it was not running
     */
    public boolean stop(String executionArn, String error, String cause) {
        Run run = live.get(executionArn);
        if (run == null) {
            return false;
        }
        ObjectNode details = NODES.objectNode();
        if (error != null) {
            details.put("error", error);
        }
        if (cause != null) {
            details.put("cause", cause);
        }
        return finish(run, ExecutionStatus.ABORTED, null, error, cause, "ExecutionAborted",
                "executionAbortedEventDetails", details);
    }

    /** {@code SendTaskSuccess}: completes the task waiting on {@code token} with {@code output}. */
    public void sendTaskSuccess(String token, JsonNode output) {
        pending(token).settle(Objects.requireNonNull(output, "output"), null, false);
    }

    /** {@code SendTaskFailure}: fails the task waiting on {@code token}. */
    public void sendTaskFailure(String token, String error, String cause) {
        pending(token).settle(null, new StatesError(error == null ? "" : error, cause == null ? "" : cause), false);
    }

    /** {@code SendTaskHeartbeat}: restarts the heartbeat clock of the task waiting on {@code token}. */
    public void sendTaskHeartbeat(String token) {
        pending(token).heartbeat();
    }

    /** Tokens of tasks waiting right now, for tools and tests. */
    public Set<String> waitingTokens() {
        return Set.copyOf(tokens.keySet());
    }

    private PendingTask pending(String token) {
        PendingTask p = token == null ? null : tokens.get(token);
        if (p == null) {
            throw new IllegalArgumentException("TaskDoesNotExist: no task waits for token '" + token + "'");
        }
        return p;
    }

    @Override
    public void close() {
        for (Run run : live.values()) {
            run.timers.forEach(Scheduler.Cancellable::cancel);
        }
        if (ownsStore) {
            store.close();
        } else {
            store.flush();
        }
        if (scheduler instanceof SystemScheduler s && ownsStore) {
            s.close();
        }
        ownerLock.release();
    }

    // ======================================================================================== runs and frames

    /** One execution in flight. */
    private final class Run {
        final String arn;
        final String name;
        final String machineArn;
        final StateMachine machine;
        final JsonNode input;
        final Instant start;
        final String parentArn;
        final AtomicLong eventIds;
        final AtomicBoolean finished = new AtomicBoolean();
        final Set<Scheduler.Cancellable> timers = ConcurrentHashMap.newKeySet();
        final Set<String> syncChildren = ConcurrentHashMap.newKeySet();
        final CompletableFuture<ExecutionDescription> done = new CompletableFuture<>();
        final ObjectNode executionContext;
        final ObjectNode machineContext;

        Run(String arn, String name, String machineArn, StateMachine machine, JsonNode input, Instant start,
                String parentArn, long lastEventId) {
            this.arn = arn;
            this.name = name;
            this.machineArn = machineArn;
            this.machine = machine;
            this.input = input;
            this.start = start;
            this.parentArn = parentArn;
            this.eventIds = new AtomicLong(lastEventId);
            this.executionContext = NODES.objectNode();
            executionContext.put("Id", arn);
            executionContext.set("Input", input);
            executionContext.put("Name", name);
            executionContext.put("RoleArn", "arn:aws:iam::" + ACCOUNT + ":role/modelcycle-local");
            executionContext.put("StartTime", start.toString());
            executionContext.put("RedriveCount", 0);
            this.machineContext = NODES.objectNode();
            machineContext.put("Id", machineArn);
            machineContext.put("Name", machineArn.substring(machineArn.lastIndexOf(':') + 1));
        }

        /** Schedules {@code task} as a timer of this run; abort and finish cancel it. */
        void timer(Runnable task, Duration delay) {
            Scheduler.Cancellable[] handle = new Scheduler.Cancellable[1];
            handle[0] = scheduler.schedule(() -> {
                timers.remove(handle[0]);
                if (!finished.get()) {
                    task.run();
                }
            }, delay);
            timers.add(handle[0]);
        }
    }

    /** A thread of control: the machine's top level, a Parallel branch, or a Map iteration. */
    private final class Frame {
        final Run run;
        final StateMachine.Graph graph;
        final Frame parent;
        final Consumer<Outcome> onDone;
        volatile boolean cancelled;
        volatile long lastEventId;

        Frame(Run run, StateMachine.Graph graph, Frame parent, long lastEventId, Consumer<Outcome> onDone) {
            this.run = run;
            this.graph = graph;
            this.parent = parent;
            this.lastEventId = lastEventId;
            this.onDone = onDone;
        }

        boolean stopped() {
            if (run.finished.get()) {
                return true;
            }
            for (Frame f = this; f != null; f = f.parent) {
                if (f.cancelled) {
                    return true;
                }
            }
            return false;
        }
    }

    /** How a frame (or a state) ended: an output, or an error. */
    private record Outcome(JsonNode output, StatesError error) {
    }

    /** What a state does next: go to {@code next} with {@code input}, or end its frame with {@code outcome}. */
    private record Step(String next, JsonNode input, Outcome outcome) {
        static Step done(Outcome outcome) {
            return new Step(null, null, outcome);
        }
    }

    private Run startRun(String machineArn, StateMachine machine, String name, JsonNode input, String parentArn) {
        String execName = name != null ? name : UUID.nameUUIDFromBytes(randomBytes()).toString();
        if (!execName.matches("[A-Za-z0-9_.:-]{1,80}")) {
            throw new IllegalArgumentException("an execution name has 1 to 80 letters, digits, '-', '_', '.', ':':"
                    + " '" + execName + "'");
        }
        String machineName = machineArn.substring(machineArn.lastIndexOf(':') + 1);
        String arn = "arn:aws:states:" + REGION + ":" + ACCOUNT + ":execution:" + machineName + ":" + execName;
        JsonNode in = input == null ? NODES.objectNode() : input;
        if (in.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("InvalidExecutionInput: the input is larger than the "
                    + MAX_PAYLOAD_BYTES + "-byte quota");
        }
        if (live.containsKey(arn) || store.describe(arn).isPresent()) {
            throw new IllegalArgumentException("ExecutionAlreadyExists: an execution named '" + execName
                    + "' of state machine '" + machineName + "' exists already");
        }
        Instant now = scheduler.now();
        Run run = new Run(arn, execName, machineArn, machine, in, now, parentArn, 0);
        live.put(arn, run);
        store.insertExecution(new ExecutionDescription(arn, execName, machineArn, ExecutionStatus.RUNNING,
                in.toString(), null, null, null, now, null, parentArn), machine.definition(), ownerId);
        Frame top = topFrame(run, 0);
        ObjectNode details = NODES.objectNode();
        details.put("input", in.toString());
        details.putObject("inputDetails").put("truncated", false);
        details.put("roleArn", run.executionContext.get("RoleArn").asText());
        if (machine.timeoutSeconds() != null) {
            details.put("timeoutInSeconds", machine.timeoutSeconds());
        }
        event(top, "ExecutionStarted", "executionStartedEventDetails", details);
        if (machine.timeoutSeconds() != null) {
            run.timer(() -> {
                ObjectNode d = NODES.objectNode();
                d.put("error", StatesError.TIMEOUT);
                d.put("cause", "The execution ran longer than its TimeoutSeconds (" + machine.timeoutSeconds()
                        + " s)");
                finish(run, ExecutionStatus.TIMED_OUT, null, StatesError.TIMEOUT, d.get("cause").asText(),
                        "ExecutionTimedOut", "executionTimedOutEventDetails", d);
            }, Duration.ofSeconds(machine.timeoutSeconds()));
        }
        resume(top, machine.graph().startAt, in);
        return run;
    }

    private byte[] randomBytes() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return b;
    }

    private Frame topFrame(Run run, long lastEventId) {
        Frame[] self = new Frame[1];
        self[0] = new Frame(run, run.machine.graph(), null, lastEventId, outcome -> {
            if (outcome.error() == null) {
                ObjectNode d = NODES.objectNode();
                d.put("output", outcome.output().toString());
                d.putObject("outputDetails").put("truncated", false);
                finish(run, ExecutionStatus.SUCCEEDED, outcome.output().toString(), null, null,
                        "ExecutionSucceeded", "executionSucceededEventDetails", d, self[0]);
            } else {
                ObjectNode d = NODES.objectNode();
                d.put("error", outcome.error().error());
                d.put("cause", outcome.error().cause());
                finish(run, ExecutionStatus.FAILED, null, outcome.error().error(), outcome.error().cause(),
                        "ExecutionFailed", "executionFailedEventDetails", d, self[0]);
            }
        });
        return self[0];
    }

    private boolean finish(Run run, ExecutionStatus status, String output, String error, String cause, String type,
            String key, ObjectNode details) {
        return finish(run, status, output, error, cause, type, key, details, null);
    }

    private boolean finish(Run run, ExecutionStatus status, String output, String error, String cause, String type,
            String key, ObjectNode details, Frame frame) {
        if (!run.finished.compareAndSet(false, true)) {
            return false;
        }
        run.timers.forEach(Scheduler.Cancellable::cancel);
        run.timers.clear();
        tokens.values().removeIf(p -> p.frame.run == run);
        Instant now = scheduler.now();
        long previous = frame != null ? frame.lastEventId : run.eventIds.get();
        try {
            store.appendEvent(run.arn, new HistoryEvent(run.eventIds.incrementAndGet(), previous, now, type, key,
                    details));
            store.finishExecution(run.arn, status, output, error, cause, now);
        } catch (RuntimeException e) {
            // the store is broken: whoever waits for this execution learns it, rather than waiting forever
            live.remove(run.arn);
            run.done.completeExceptionally(e);
            return true;
        }
        live.remove(run.arn);
        for (String child : run.syncChildren) {
            stop(child, null, "The parent execution " + run.arn + " stopped");
        }
        run.done.complete(new ExecutionDescription(run.arn, run.name, run.machineArn, status, run.input.toString(),
                output, error, cause, run.start, now, run.parentArn));
        return true;
    }

    private long event(Frame f, String type, String key, JsonNode details) {
        long id = f.run.eventIds.incrementAndGet();
        store.appendEvent(f.run.arn, new HistoryEvent(id, f.lastEventId, scheduler.now(), type, key, details));
        f.lastEventId = id;
        return id;
    }

    private void resume(Frame f, String state, JsonNode input) {
        scheduler.execute(() -> loop(f, state, input));
    }

    /** Runs states of {@code f} until one suspends or the frame ends. */
    private void loop(Frame f, String name, JsonNode input) {
        String current = name;
        JsonNode data = input;
        while (true) {
            if (f.stopped()) {
                return;
            }
            State s = f.graph.state(current);
            JsonNode raw = data == null ? NullNode.getInstance() : data;
            Step step = guarded(f, s, raw, null, () -> enter(f, s, raw));
            if (step == null) {
                return;
            }
            if (step.outcome != null) {
                f.onDone.accept(step.outcome);
                return;
            }
            current = step.next;
            data = step.input;
        }
    }

    /** Continues a frame after an asynchronous point, with whatever {@code body} decides. */
    private void proceed(Frame f, State s, JsonNode raw, Attempts attempts, Supplier<Step> body) {
        if (f.stopped()) {
            return;
        }
        Step step = guarded(f, s, raw, attempts, body);
        if (step == null) {
            return;
        }
        if (step.outcome != null) {
            f.onDone.accept(step.outcome);
        } else {
            loop(f, step.next, step.input);
        }
    }

    private Step guarded(Frame f, State s, JsonNode raw, Attempts attempts, Supplier<Step> body) {
        try {
            try {
                return body.get();
            } catch (StatesError e) {
                return handleError(f, s, raw, e, attempts);
            } catch (RuntimeException e) {
                return handleError(f, s, raw, StatesError.runtime("internal error of the local executor in state '"
                        + s.name + "': " + e), attempts);
            }
        } catch (RuntimeException e) {
            // handling the error failed too (the store is broken): stop the execution rather than lose it
            abandon(f.run, e);
            return null;
        }
    }

    private void abandon(Run run, RuntimeException e) {
        if (run.finished.compareAndSet(false, true)) {
            run.timers.forEach(Scheduler.Cancellable::cancel);
            live.remove(run.arn);
            run.done.completeExceptionally(e);
        }
    }

    // ======================================================================================== states

    private Step enter(Frame f, State s, JsonNode raw) {
        ObjectNode entered = NODES.objectNode();
        entered.put("name", s.name);
        entered.put("input", raw.toString());
        entered.putObject("inputDetails").put("truncated", false);
        event(f, s.type + "StateEntered", "stateEnteredEventDetails", entered);
        Attempts attempts = new Attempts(s, scheduler.now());
        ObjectNode ctx = context(f, s, attempts, null);
        switch (s.type) {
            case Pass -> {
                JsonNode effective = applyPath(s.inputPath, raw, ctx, "InputPath");
                if (s.parameters != null) {
                    effective = s.parameters.apply(scope(effective, ctx));
                }
                return exit(f, s, raw, s.result != null ? s.result.deepCopy() : effective, ctx);
            }
            case Choice -> {
                JsonNode effective = applyPath(s.inputPath, raw, ctx, "InputPath");
                Scope scope = scope(effective, ctx);
                String next = null;
                for (Choice.Branch branch : s.choices) {
                    if (branch.rule().matches(scope)) {
                        next = branch.next();
                        break;
                    }
                }
                if (next == null) {
                    next = s.defaultNext;
                }
                if (next == null) {
                    throw new StatesError(StatesError.NO_CHOICE_MATCHED, "No Matches! (state '" + s.name
                            + "', input " + JsonPath.abbreviate(effective) + ")");
                }
                JsonNode output = applyPath(s.outputPath, effective, ctx, "OutputPath");
                exited(f, s, output);
                return new Step(next, output, null);
            }
            case Succeed -> {
                JsonNode effective = applyPath(s.inputPath, raw, ctx, "InputPath");
                JsonNode output = applyPath(s.outputPath, effective, ctx, "OutputPath");
                exited(f, s, output);
                return Step.done(new Outcome(output, null));
            }
            case Fail -> {
                String error = s.error;
                String cause = s.cause;
                if (s.errorPath != null) {
                    error = stringValue(s.errorPath.apply(scope(raw, ctx)), s, "ErrorPath");
                }
                if (s.causePath != null) {
                    cause = stringValue(s.causePath.apply(scope(raw, ctx)), s, "CausePath");
                }
                return Step.done(new Outcome(null, new StatesError(error == null ? "" : error,
                        cause == null ? "" : cause)));
            }
            case Wait -> {
                runWait(f, s, raw, ctx);
                return null;
            }
            case Task, Parallel, Map -> {
                try {
                    retry(f, s, raw, attempts);
                    return null;
                } catch (StatesError e) {
                    // an error while preparing the first attempt is retried and caught like the attempt's own
                    return handleError(f, s, raw, e, attempts);
                }
            }
            default -> throw new IllegalStateException(s.type.toString());
        }
    }

    private static String stringValue(JsonNode v, State s, String field) {
        if (!v.isTextual()) {
            throw StatesError.runtime("The value of " + field + " of state '" + s.name + "' must be a string but was "
                    + JsonPath.abbreviate(v));
        }
        return v.textValue();
    }

    /** ResultSelector, ResultPath, OutputPath, the exit event, and the transition. */
    private Step exit(Frame f, State s, JsonNode raw, JsonNode result, ObjectNode ctx) {
        JsonNode selected = s.resultSelector != null ? s.resultSelector.apply(scope(result, ctx)) : result;
        JsonNode combined = s.resultPath.path() == null ? raw : s.resultPath.path().set(raw, selected);
        JsonNode output = applyPath(s.outputPath, combined, ctx, "OutputPath");
        exited(f, s, output);
        return s.end ? Step.done(new Outcome(output, null)) : new Step(s.next, output, null);
    }

    private void exited(Frame f, State s, JsonNode output) {
        String text = output.toString();
        if (text.length() > MAX_PAYLOAD_CHARS && text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                > MAX_PAYLOAD_BYTES) {
            throw new StatesError(StatesError.DATA_LIMIT_EXCEEDED, "The state/task '" + s.name + "' returned a"
                    + " result with a size exceeding the maximum number of bytes service limit ("
                    + MAX_PAYLOAD_BYTES + ")");
        }
        ObjectNode d = NODES.objectNode();
        d.put("name", s.name);
        d.put("output", text);
        d.putObject("outputDetails").put("truncated", false);
        event(f, s.type + "StateExited", "stateExitedEventDetails", d);
    }

    private static JsonNode applyPath(State.Output path, JsonNode value, JsonNode ctx, String field) {
        if (path.path() == null) {
            return NODES.objectNode();
        }
        if (path == State.Output.ROOT) {
            return value;
        }
        return path.path().read(value, ctx, field);
    }

    private Scope scope(JsonNode input, JsonNode ctx) {
        return new Scope(input, ctx, random);
    }

    private ObjectNode context(Frame f, State s, Attempts attempts, String token) {
        ObjectNode ctx = NODES.objectNode();
        ctx.set("Execution", f.run.executionContext);
        ctx.set("StateMachine", f.run.machineContext);
        ObjectNode state = ctx.putObject("State");
        state.put("EnteredTime", attempts.entered.toString());
        state.put("Name", s.name);
        state.put("RetryCount", attempts.total);
        if (token != null) {
            ctx.putObject("Task").put("Token", token);
        }
        return ctx;
    }

    // ---------------------------------------------------------------------------------------- errors

    /** Retry counters of one entry into a state. */
    private static final class Attempts {
        final int[] counts;
        final Instant entered;
        int total;

        Attempts(State s, Instant entered) {
            this.counts = new int[s.retry.size()];
            this.entered = entered;
        }
    }

    static boolean matches(List<String> errorEquals, String error) {
        for (String name : errorEquals) {
            if (name.equals(error)) {
                return true;
            }
            if (name.equals(StatesError.ALL)) {
                return true;
            }
            if (name.equals(StatesError.TASK_FAILED) && !error.equals(StatesError.TIMEOUT)) {
                return true;
            }
        }
        return false;
    }

    /** Retry (after a back-off), catch (go to the catcher's Next), or end the frame with the error. */
    private Step handleError(Frame f, State s, JsonNode raw, StatesError error, Attempts attempts) {
        boolean terminal = error.error().equals(StatesError.RUNTIME)
                || error.error().equals(StatesError.DATA_LIMIT_EXCEEDED);
        if (terminal || (s.type != State.Type.Task && s.type != State.Type.Parallel && s.type != State.Type.Map)) {
            return Step.done(new Outcome(null, error));
        }
        if (attempts != null) {
            for (int i = 0; i < s.retry.size(); i++) {
                State.Retrier r = s.retry.get(i);
                if (matches(r.errorEquals(), error.error())) {
                    if (attempts.counts[i] < r.maxAttempts()) {
                        double delay = r.intervalSeconds() * Math.pow(r.backoffRate(), attempts.counts[i]);
                        if (r.maxDelaySeconds() != null) {
                            delay = Math.min(delay, r.maxDelaySeconds());
                        }
                        if (r.fullJitter()) {
                            delay = random.nextDouble() * delay;
                        }
                        attempts.counts[i]++;
                        attempts.total++;
                        f.run.timer(() -> scheduler.execute(() -> proceed(f, s, raw, attempts, () -> {
                            retry(f, s, raw, attempts);
                            return null;
                        })), Duration.ofNanos((long) (delay * 1e9)));
                        return null;
                    }
                    break;
                }
            }
        }
        for (State.Catcher c : s.catchers) {
            if (matches(c.errorEquals(), error.error())) {
                ObjectNode errorOutput = NODES.objectNode();
                errorOutput.put("Error", error.error());
                errorOutput.put("Cause", error.cause());
                JsonNode output;
                try {
                    output = c.resultPath().path() == null ? raw : c.resultPath().path().set(raw, errorOutput);
                } catch (StatesError e) {
                    return Step.done(new Outcome(null, e));
                }
                exited(f, s, output);
                return new Step(c.next(), output, null);
            }
        }
        return Step.done(new Outcome(null, error));
    }

    private void retry(Frame f, State s, JsonNode raw, Attempts attempts) {
        switch (s.type) {
            case Task -> runTask(f, s, raw, attempts);
            case Parallel -> runParallel(f, s, raw, attempts);
            case Map -> runMap(f, s, raw, attempts);
            default -> throw new IllegalStateException("cannot retry a " + s.type + " state");
        }
    }

    // ---------------------------------------------------------------------------------------- Wait

    private void runWait(Frame f, State s, JsonNode raw, ObjectNode ctx) {
        JsonNode effective = applyPath(s.inputPath, raw, ctx, "InputPath");
        Instant now = scheduler.now();
        Instant wake;
        if (s.seconds != null) {
            wake = now.plusSeconds(s.seconds);
        } else if (s.timestamp != null) {
            wake = s.timestamp;
        } else if (s.secondsPath != null) {
            JsonNode v = s.secondsPath.read(effective, ctx, "SecondsPath");
            if (!v.isNumber() || !v.canConvertToExactIntegral() || v.asLong() < 0) {
                throw StatesError.runtime("The SecondsPath parameter of state '" + s.name + "' does not reference a"
                        + " valid non-negative integer: " + JsonPath.abbreviate(v));
            }
            wake = now.plusSeconds(v.asLong());
        } else {
            JsonNode v = s.timestampPath.read(effective, ctx, "TimestampPath");
            wake = Choice.timestamp(v);
            if (wake == null) {
                throw StatesError.runtime("The TimestampPath parameter of state '" + s.name + "' does not reference"
                        + " a valid ISO-8601 extended offset date-time format string: " + JsonPath.abbreviate(v));
            }
        }
        if (f.parent == null) {
            ObjectNode cp = checkpoint(f, s, raw, "wait");
            cp.put("wakeAt", wake.toString());
            store.saveCheckpoint(f.run.arn, cp.toString());
        }
        scheduleWake(f, s, raw, ctx, wake);
    }

    private void scheduleWake(Frame f, State s, JsonNode raw, ObjectNode ctx, Instant wake) {
        Duration delay = Duration.between(scheduler.now(), wake);
        f.run.timer(() -> scheduler.execute(() -> proceed(f, s, raw, null, () -> {
            if (f.parent == null) {
                store.deleteCheckpoint(f.run.arn);
            }
            JsonNode effective = applyPath(s.inputPath, raw, ctx, "InputPath");
            JsonNode output = applyPath(s.outputPath, effective, ctx, "OutputPath");
            exited(f, s, output);
            return s.end ? Step.done(new Outcome(output, null)) : new Step(s.next, output, null);
        })), delay.isNegative() ? Duration.ZERO : delay);
    }

    private ObjectNode checkpoint(Frame f, State s, JsonNode raw, String kind) {
        ObjectNode cp = NODES.objectNode();
        cp.put("kind", kind);
        cp.put("state", s.name);
        cp.set("input", raw);
        cp.put("lastEventId", f.lastEventId);
        return cp;
    }

    // ---------------------------------------------------------------------------------------- Task

    /** A task in flight: settles exactly once, by result, failure, timeout or heartbeat timeout. */
    private final class PendingTask {
        final Frame frame;
        final State state;
        final JsonNode raw;
        final Attempts attempts;
        final ObjectNode ctx;
        final String token;
        final String resourceType;
        final String resource;
        final boolean lambdaEvents;
        final Integer heartbeatSeconds;
        final AtomicBoolean settled = new AtomicBoolean();
        final boolean waitForToken;
        volatile Scheduler.Cancellable heartbeatTimer;
        volatile Scheduler.Cancellable timeoutTimer;

        PendingTask(Frame frame, State state, JsonNode raw, Attempts attempts, ObjectNode ctx, String token,
                String resourceType, String resource, boolean lambdaEvents, Integer heartbeatSeconds,
                boolean waitForToken) {
            this.frame = frame;
            this.state = state;
            this.raw = raw;
            this.attempts = attempts;
            this.ctx = ctx;
            this.token = token;
            this.resourceType = resourceType;
            this.resource = resource;
            this.lambdaEvents = lambdaEvents;
            this.heartbeatSeconds = heartbeatSeconds;
            this.waitForToken = waitForToken;
        }

        void heartbeat() {
            if (heartbeatSeconds == null || settled.get()) {
                return;
            }
            Scheduler.Cancellable old = heartbeatTimer;
            if (old != null) {
                old.cancel();
                frame.run.timers.remove(old);
            }
            heartbeatTimer = scheduler.schedule(() -> settle(null, new StatesError(StatesError.HEARTBEAT_TIMEOUT,
                    "The task did not send a heartbeat within " + heartbeatSeconds + " s"), true),
                    Duration.ofSeconds(heartbeatSeconds));
            frame.run.timers.add(heartbeatTimer);
        }

        void settle(JsonNode result, StatesError error, boolean timedOut) {
            if (!settled.compareAndSet(false, true) || frame.stopped()) {
                return;
            }
            tokens.remove(token);
            for (Scheduler.Cancellable t : new Scheduler.Cancellable[] {heartbeatTimer, timeoutTimer}) {
                if (t != null) {
                    t.cancel();
                    frame.run.timers.remove(t);
                }
            }
            if (waitForToken && frame.parent == null) {
                store.deleteCheckpoint(frame.run.arn);
            }
            String prefix = lambdaEvents ? "LambdaFunction" : "Task";
            String keyPrefix = lambdaEvents ? "lambdaFunction" : "task";
            if (error == null) {
                ObjectNode d = details();
                d.put("output", result.toString());
                d.putObject("outputDetails").put("truncated", false);
                event(frame, prefix + "Succeeded", keyPrefix + "SucceededEventDetails", d);
                scheduler.execute(() -> proceed(frame, state, raw, attempts,
                        () -> exit(frame, state, raw, result, ctx)));
            } else {
                ObjectNode d = details();
                d.put("error", error.error());
                d.put("cause", error.cause());
                event(frame, prefix + (timedOut ? "TimedOut" : "Failed"), keyPrefix + (timedOut ? "TimedOut"
                        : "Failed") + "EventDetails", d);
                scheduler.execute(() -> proceed(frame, state, raw, attempts,
                        () -> handleError(frame, state, raw, error, attempts)));
            }
        }

        ObjectNode details() {
            ObjectNode d = NODES.objectNode();
            if (!lambdaEvents) {
                d.put("resourceType", resourceType);
                d.put("resource", resource);
            }
            return d;
        }
    }

    private enum Mode { REQUEST_RESPONSE, SYNC, SYNC2, TOKEN }

    private void runTask(Frame f, State s, JsonNode raw, Attempts attempts) {
        String token = UUID.nameUUIDFromBytes(randomBytes()).toString().replace("-", "")
                + Long.toHexString(f.run.eventIds.get());
        ObjectNode ctx = context(f, s, attempts, token);
        JsonNode effective = applyPath(s.inputPath, raw, ctx, "InputPath");
        JsonNode params = s.parameters != null ? s.parameters.apply(scope(effective, ctx)) : effective;
        Integer timeout = s.timeoutSeconds != null ? s.timeoutSeconds : seconds(s.timeoutSecondsPath, effective, ctx,
                s, "TimeoutSecondsPath");
        Integer heartbeat = s.heartbeatSeconds != null ? s.heartbeatSeconds : seconds(s.heartbeatSecondsPath,
                effective, ctx, s, "HeartbeatSecondsPath");

        String resource = s.resource;
        Mode mode = Mode.REQUEST_RESPONSE;
        String base = resource;
        if (resource.endsWith(".waitForTaskToken")) {
            mode = Mode.TOKEN;
            base = resource.substring(0, resource.length() - ".waitForTaskToken".length());
        } else if (resource.endsWith(".sync:2")) {
            mode = Mode.SYNC2;
            base = resource.substring(0, resource.length() - ".sync:2".length());
        } else if (resource.endsWith(".sync")) {
            mode = Mode.SYNC;
            base = resource.substring(0, resource.length() - ".sync".length());
        }
        boolean serviceIntegration = base.startsWith("arn:aws:states:::");
        boolean lambdaArn = base.startsWith("arn:aws:lambda:");
        String resourceType;
        String resourceName;
        if (serviceIntegration) {
            String rest = resource.substring("arn:aws:states:::".length());
            int colon = rest.indexOf(':');
            resourceType = colon < 0 ? rest : rest.substring(0, colon);
            resourceName = colon < 0 ? rest : rest.substring(colon + 1);
        } else {
            resourceType = lambdaArn ? "lambda" : "local";
            resourceName = resource;
        }
        boolean lambdaEvents = lambdaArn && mode == Mode.REQUEST_RESPONSE;

        // what to run
        TaskHandler handler;
        String boundName;
        JsonNode handlerInput = params;
        boolean wrapLambda = false;
        int lambdaStatus = 200;
        if (base.equals(START_EXECUTION)) {
            boundName = base;
            Mode m = mode;
            handler = inv -> startChild(f.run, inv.input(), m);
        } else if (base.equals(LAMBDA_INVOKE)) {
            JsonNode fn = params.get("FunctionName");
            if (fn == null || !fn.isTextual()) {
                throw StatesError.runtime("The field 'FunctionName' of state '" + s.name + "' must be a string");
            }
            for (var it = params.fieldNames(); it.hasNext();) {
                String field = it.next();
                if (!LAMBDA_PARAMETERS.contains(field)) {
                    throw StatesError.runtime("The field '" + field + "' of state '" + s.name + "' is not a"
                            + " parameter of lambda:invoke; expected some of " + LAMBDA_PARAMETERS);
                }
            }
            String invocationType = params.path("InvocationType").asText("RequestResponse");
            if (!Set.of("RequestResponse", "Event", "DryRun").contains(invocationType)) {
                throw StatesError.runtime("InvocationType of state '" + s.name + "' must be RequestResponse, Event"
                        + " or DryRun but was '" + invocationType + "'");
            }
            String name = fn.textValue();
            String qualified = params.hasNonNull("Qualifier") ? name + ":" + params.get("Qualifier").asText() : name;
            String unqualified = name.contains(":") && !name.startsWith("arn:") ? name.substring(0, name.indexOf(':'))
                    : name;
            boundName = bindings.get(qualified).isPresent() ? qualified
                    : bindings.get(name).isPresent() ? name : unqualified;
            handler = bindings.get(qualified).or(() -> bindings.get(name)).or(() -> bindings.get(unqualified))
                    .orElse(null);
            handlerInput = params.has("Payload") ? params.get("Payload") : NODES.objectNode();
            wrapLambda = mode != Mode.TOKEN;
            if (handler == null) {
                handler = inv -> CompletableFuture.failedFuture(new TaskFailedException(
                        "Lambda.ResourceNotFoundException", "Function not found: " + qualified
                        + " (no handler is bound to this name in the local runtime)"));
            } else if (!invocationType.equals("RequestResponse") && mode != Mode.TOKEN) {
                // Event: Lambda accepts the event (202) and runs it without the caller waiting; DryRun: 204, no run.
                TaskHandler target = handler;
                int status = invocationType.equals("Event") ? 202 : 204;
                handler = inv -> {
                    if (status == 202) {
                        target.invoke(inv);
                    }
                    return CompletableFuture.completedFuture(NODES.textNode(""));
                };
                lambdaStatus = status;
            }
        } else {
            String unsuffixed = base;
            boundName = bindings.get(resource).isPresent() ? resource : base;
            handler = bindings.get(resource).or(() -> bindings.get(unsuffixed)).orElse(null);
            if (handler == null) {
                throw StatesError.runtime("No task is bound to resource '" + resource + "' (state '" + s.name
                        + "'); bound names: " + new java.util.TreeSet<>(bindings.names()));
            }
        }

        PendingTask pending = new PendingTask(f, s, raw, attempts, ctx, token, resourceType, resourceName,
                lambdaEvents, heartbeat, mode == Mode.TOKEN);
        ObjectNode scheduled = NODES.objectNode();
        if (lambdaEvents) {
            scheduled.put("resource", resource);
            scheduled.put("input", handlerInput.toString());
            scheduled.putObject("inputDetails").put("truncated", false);
            if (timeout != null) {
                scheduled.put("timeoutInSeconds", timeout);
            }
            event(f, "LambdaFunctionScheduled", "lambdaFunctionScheduledEventDetails", scheduled);
            event(f, "LambdaFunctionStarted", null, null);
        } else {
            scheduled.put("resourceType", resourceType);
            scheduled.put("resource", resourceName);
            scheduled.put("region", REGION);
            scheduled.put("parameters", params.toString());
            if (timeout != null) {
                scheduled.put("timeoutInSeconds", timeout);
            }
            if (heartbeat != null) {
                scheduled.put("heartbeatInSeconds", heartbeat);
            }
            event(f, "TaskScheduled", "taskScheduledEventDetails", scheduled);
            event(f, "TaskStarted", "taskStartedEventDetails", pending.details());
        }
        tokens.put(token, pending);
        if (mode == Mode.TOKEN && f.parent == null) {
            ObjectNode cp = checkpoint(f, s, raw, "token");
            cp.put("token", token);
            cp.put("resourceType", resourceType);
            cp.put("resource", resourceName);
            cp.put("retryTotal", attempts.total);
            ArrayNode counts = cp.putArray("retryCounts");
            for (int c : attempts.counts) {
                counts.add(c);
            }
            cp.put("entered", attempts.entered.toString());
            if (timeout != null) {
                cp.put("timeoutAt", scheduler.now().plusSeconds(timeout).toString());
            }
            if (heartbeat != null) {
                cp.put("heartbeatSeconds", heartbeat);
            }
            store.saveCheckpoint(f.run.arn, cp.toString());
        }
        if (timeout != null) {
            pending.timeoutTimer = scheduler.schedule(() -> pending.settle(null, new StatesError(StatesError.TIMEOUT,
                    "The task did not finish within its TimeoutSeconds (" + timeout + " s)"), true),
                    Duration.ofSeconds(timeout));
            f.run.timers.add(pending.timeoutTimer);
        }
        pending.heartbeat();

        boolean wrap = wrapLambda;
        int statusCode = lambdaStatus;
        Mode m = mode;
        boolean lambdaError = base.equals(LAMBDA_INVOKE) || lambdaArn;
        CompletionStage<JsonNode> stage;
        try {
            stage = handler.invoke(new TaskInvocation(resource, boundName, handlerInput, token, ctx, f.run.arn,
                    s.name));
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((result, failure) -> {
            if (failure != null) {
                pending.settle(null, taskError(failure, lambdaError), false);
            } else if (m == Mode.TOKEN) {
                ObjectNode d = pending.details();
                d.put("output", String.valueOf(result));
                d.putObject("outputDetails").put("truncated", false);
                if (!pending.settled.get() && !f.stopped()) {
                    event(f, "TaskSubmitted", "taskSubmittedEventDetails", d);
                }
            } else {
                JsonNode r = result == null ? NullNode.getInstance() : result;
                pending.settle(wrap ? lambdaResponse(r, statusCode) : r, null, false);
            }
        });
    }

    private Integer seconds(JsonPath path, JsonNode effective, JsonNode ctx, State s, String field) {
        if (path == null) {
            return null;
        }
        JsonNode v = path.read(effective, ctx, field);
        if (!v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > 99_999_999) {
            throw StatesError.runtime("The " + field + " of state '" + s.name + "' must reference a positive integer"
                    + " but found " + JsonPath.abbreviate(v));
        }
        return v.asInt();
    }

    private JsonNode lambdaResponse(JsonNode payload, int statusCode) {
        ObjectNode out = NODES.objectNode();
        out.put("ExecutedVersion", "$LATEST");
        out.set("Payload", payload);
        ObjectNode http = out.putObject("SdkHttpMetadata");
        http.putObject("HttpHeaders").put("Content-Type", "application/json");
        http.put("HttpStatusCode", statusCode);
        out.putObject("SdkResponseMetadata").put("RequestId", UUID.nameUUIDFromBytes(randomBytes()).toString());
        out.put("StatusCode", statusCode);
        return out;
    }

    private static StatesError taskError(Throwable failure, boolean lambda) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof StatesError e) {
            return e;
        }
        String error = t instanceof TaskFailedException tf ? tf.error() : t.getClass().getName();
        String message = t.getMessage() == null ? "" : t.getMessage();
        if (!lambda) {
            return new StatesError(error, message);
        }
        // What the Lambda Java runtime reports, as Step Functions passes it on.
        ObjectNode cause = NODES.objectNode();
        cause.put("errorMessage", message);
        cause.put("errorType", error);
        ArrayNode trace = cause.putArray("stackTrace");
        for (StackTraceElement e : t.getStackTrace()) {
            if (trace.size() >= 20) {
                break;
            }
            trace.add(e.toString());
        }
        return new StatesError(error, cause.toString());
    }

    // ---------------------------------------------------------------------------------------- startExecution

    private CompletionStage<JsonNode> startChild(Run parent, JsonNode params, Mode mode) {
        try {
            for (var it = params.fieldNames(); it.hasNext();) {
                String field = it.next();
                if (!Set.of("StateMachineArn", "Input", "Name", "TraceHeader").contains(field)) {
                    throw new TaskFailedException("StepFunctions.InvalidParameterException", "'" + field + "' is not a"
                            + " parameter of states:startExecution (StateMachineArn, Input, Name, TraceHeader)");
                }
            }
            JsonNode machine = params.get("StateMachineArn");
            if (machine == null || !machine.isTextual()) {
                throw new TaskFailedException("StepFunctions.InvalidArnException",
                        "Parameters.StateMachineArn is required and must be a string");
            }
            String arn = resolveMachineArn(machine.textValue()).orElseThrow(() -> new TaskFailedException(
                    "StepFunctions.StateMachineDoesNotExistException", "State Machine Does Not Exist: '"
                    + machine.textValue() + "'"));
            JsonNode input = params.get("Input");
            if (input == null || input.isNull()) {
                input = NODES.objectNode();
            } else if (input.isTextual()) {
                try {
                    input = StateMachine.MAPPER.readTree(input.textValue());
                } catch (JsonProcessingException e) {
                    throw new TaskFailedException("StepFunctions.InvalidExecutionInputException",
                            "Invalid State Machine Execution Input: " + e.getOriginalMessage());
                }
            }
            String name = params.hasNonNull("Name") ? params.get("Name").asText() : null;
            Run child;
            try {
                child = startRun(arn, machines.get(arn), name, input, parent.arn);
            } catch (IllegalArgumentException e) {
                throw new TaskFailedException(e.getMessage().startsWith("ExecutionAlreadyExists")
                        ? "StepFunctions.ExecutionAlreadyExistsException"
                        : "StepFunctions.InvalidNameException", e.getMessage());
            }
            if (mode == Mode.REQUEST_RESPONSE || mode == Mode.TOKEN) {
                ObjectNode out = NODES.objectNode();
                out.put("ExecutionArn", child.arn);
                out.put("StartDate", child.start.toEpochMilli());
                return CompletableFuture.completedFuture(out);
            }
            parent.syncChildren.add(child.arn);
            return child.done.thenApply(d -> {
                parent.syncChildren.remove(d.executionArn());
                JsonNode described = describeJson(d, mode == Mode.SYNC2);
                if (d.status() != ExecutionStatus.SUCCEEDED) {
                    throw new TaskFailedException(StatesError.TASK_FAILED, described.toString());
                }
                return described;
            });
        } catch (TaskFailedException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static JsonNode describeJson(ExecutionDescription d, boolean asJson) {
        ObjectNode out = NODES.objectNode();
        out.put("ExecutionArn", d.executionArn());
        if (asJson) {
            out.set("Input", parseOrText(d.input()));
        } else {
            out.put("Input", d.input());
        }
        out.putObject("InputDetails").put("Included", true);
        out.put("Name", d.name());
        if (d.output() != null) {
            if (asJson) {
                out.set("Output", parseOrText(d.output()));
            } else {
                out.put("Output", d.output());
            }
            out.putObject("OutputDetails").put("Included", true);
        }
        if (d.error() != null) {
            out.put("Error", d.error());
        }
        if (d.cause() != null) {
            out.put("Cause", d.cause());
        }
        out.put("StartDate", d.startDate().toEpochMilli());
        out.put("StateMachineArn", d.stateMachineArn());
        out.put("Status", d.status().name());
        if (d.stopDate() != null) {
            out.put("StopDate", d.stopDate().toEpochMilli());
        }
        return out;
    }

    private static JsonNode parseOrText(String json) {
        try {
            return StateMachine.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return NODES.textNode(json);
        }
    }

    // ---------------------------------------------------------------------------------------- Parallel

    private void runParallel(Frame f, State s, JsonNode raw, Attempts attempts) {
        ObjectNode ctx = context(f, s, attempts, null);
        JsonNode effective = applyPath(s.inputPath, raw, ctx, "InputPath");
        JsonNode input = s.parameters != null ? s.parameters.apply(scope(effective, ctx)) : effective;
        long started = event(f, "ParallelStateStarted", null, null);
        int n = s.branches.size();
        JsonNode[] results = new JsonNode[n];
        int[] remaining = {n};
        boolean[] failed = {false};
        List<Frame> children = new ArrayList<>(n);
        Object lock = new Object();
        for (int i = 0; i < n; i++) {
            int index = i;
            children.add(new Frame(f.run, s.branches.get(i), f, started, outcome -> {
                synchronized (lock) {
                    if (failed[0] || f.stopped()) {
                        return;
                    }
                    if (outcome.error() != null) {
                        failed[0] = true;
                        children.forEach(c -> c.cancelled = true);
                        event(f, "ParallelStateFailed", null, null);
                        scheduler.execute(() -> proceed(f, s, raw, attempts,
                                () -> handleError(f, s, raw, outcome.error(), attempts)));
                        return;
                    }
                    results[index] = outcome.output();
                    if (--remaining[0] > 0) {
                        return;
                    }
                }
                event(f, "ParallelStateSucceeded", null, null);
                ArrayNode out = NODES.arrayNode();
                for (JsonNode r : results) {
                    out.add(r);
                }
                scheduler.execute(() -> proceed(f, s, raw, attempts, () -> exit(f, s, raw, out, ctx)));
            }));
        }
        for (Frame child : children) {
            resume(child, child.graph.startAt, input);
        }
    }

    // ---------------------------------------------------------------------------------------- Map

    private void runMap(Frame f, State s, JsonNode raw, Attempts attempts) {
        ObjectNode ctx = context(f, s, attempts, null);
        JsonNode effective = applyPath(s.inputPath, raw, ctx, "InputPath");
        JsonNode items = s.itemsPath == null ? effective : s.itemsPath.read(effective, ctx, "ItemsPath");
        if (!items.isArray()) {
            throw StatesError.runtime("Map state '" + s.name + "': the ItemsPath '" + (s.itemsPath == null ? "$"
                    : s.itemsPath) + "' must select a JSON array but selected " + JsonPath.abbreviate(items));
        }
        int limit = s.maxConcurrency != null ? s.maxConcurrency
                : s.maxConcurrencyPath != null ? nonNegative(s.maxConcurrencyPath, effective, ctx, s,
                        "MaxConcurrencyPath") : 0;
        Integer toleratedCount = s.toleratedFailureCount != null ? s.toleratedFailureCount
                : s.toleratedFailureCountPath != null ? nonNegative(s.toleratedFailureCountPath, effective, ctx, s,
                        "ToleratedFailureCountPath") : null;
        Double toleratedPercent = s.toleratedFailurePercentage;
        if (toleratedPercent == null && s.toleratedFailurePercentagePath != null) {
            JsonNode v = s.toleratedFailurePercentagePath.read(effective, ctx, "ToleratedFailurePercentagePath");
            if (!v.isNumber() || v.asDouble() < 0 || v.asDouble() > 100) {
                throw StatesError.runtime("The ToleratedFailurePercentagePath of state '" + s.name + "' must"
                        + " reference a number from 0 to 100 but found " + JsonPath.abbreviate(v));
            }
            toleratedPercent = v.asDouble();
        }
        int n = items.size();
        // Build every item's input first: an ItemSelector error fails the Map before any iteration starts.
        JsonNode[] inputs = new JsonNode[n];
        for (int i = 0; i < n; i++) {
            JsonNode item = items.get(i);
            if (s.itemSelector != null) {
                ObjectNode itemCtx = ctx.deepCopy();
                ObjectNode mapItem = itemCtx.putObject("Map").putObject("Item");
                mapItem.put("Index", i);
                mapItem.set("Value", item);
                inputs[i] = s.itemSelector.apply(scope(effective, itemCtx));
            } else {
                inputs[i] = item;
            }
        }
        ObjectNode startedDetails = NODES.objectNode();
        startedDetails.put("length", n);
        long started = event(f, "MapStateStarted", "mapStateStartedEventDetails", startedDetails);
        if (n == 0) {
            event(f, "MapStateSucceeded", null, null);
            ArrayNode empty = NODES.arrayNode();
            scheduler.execute(() -> proceed(f, s, raw, attempts, () -> exit(f, s, raw, empty, ctx)));
            return;
        }
        new MapRun(f, s, raw, attempts, ctx, inputs, limit == 0 ? n : limit, started, toleratedCount,
                toleratedPercent).launch();
    }

    private int nonNegative(JsonPath path, JsonNode effective, JsonNode ctx, State s, String field) {
        JsonNode v = path.read(effective, ctx, field);
        if (!v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > Integer.MAX_VALUE) {
            throw StatesError.runtime("The " + field + " of state '" + s.name + "' must reference a non-negative"
                    + " integer but found " + JsonPath.abbreviate(v));
        }
        return v.asInt();
    }

    /** The bookkeeping of one Map state run: which iterations run, which are done, whether it failed. */
    private final class MapRun {
        final Frame f;
        final State s;
        final JsonNode raw;
        final Attempts attempts;
        final ObjectNode ctx;
        final JsonNode[] inputs;
        final JsonNode[] results;
        final int limit;
        final long startedEventId;
        final Integer toleratedCount;
        final Double toleratedPercent;
        final List<Frame> active = new ArrayList<>();
        int next;
        int completed;
        int failures;
        boolean failed;

        MapRun(Frame f, State s, JsonNode raw, Attempts attempts, ObjectNode ctx, JsonNode[] inputs, int limit,
                long startedEventId, Integer toleratedCount, Double toleratedPercent) {
            this.f = f;
            this.s = s;
            this.raw = raw;
            this.attempts = attempts;
            this.ctx = ctx;
            this.inputs = inputs;
            this.results = new JsonNode[inputs.length];
            this.limit = limit;
            this.startedEventId = startedEventId;
            this.toleratedCount = toleratedCount;
            this.toleratedPercent = toleratedPercent;
        }

        synchronized void launch() {
            while (!failed && active.size() < limit && next < inputs.length) {
                int index = next++;
                ObjectNode d = NODES.objectNode();
                d.put("name", s.name);
                d.put("index", index);
                long id = f.run.eventIds.incrementAndGet();
                store.appendEvent(f.run.arn, new HistoryEvent(id, startedEventId, scheduler.now(),
                        "MapIterationStarted", "mapIterationStartedEventDetails", d));
                Frame[] self = new Frame[1];
                self[0] = new Frame(f.run, s.processor, f, id, outcome -> done(self[0], index, outcome));
                active.add(self[0]);
                resume(self[0], s.processor.startAt, inputs[index]);
            }
        }

        void done(Frame child, int index, Outcome outcome) {
            StatesError failure = null;
            boolean finished = false;
            synchronized (this) {
                if (failed || f.stopped()) {
                    return;
                }
                active.remove(child);
                ObjectNode d = NODES.objectNode();
                d.put("name", s.name);
                d.put("index", index);
                boolean ok = outcome.error() == null;
                store.appendEvent(f.run.arn, new HistoryEvent(f.run.eventIds.incrementAndGet(), child.lastEventId,
                        scheduler.now(), ok ? "MapIterationSucceeded" : "MapIterationFailed",
                        ok ? "mapIterationSucceededEventDetails" : "mapIterationFailedEventDetails", d));
                completed++;
                if (ok) {
                    results[index] = outcome.output();
                } else {
                    failures++;
                    ObjectNode error = NODES.objectNode();
                    error.put("Error", outcome.error().error());
                    error.put("Cause", outcome.error().cause());
                    results[index] = error;
                    boolean tolerance = toleratedCount != null || toleratedPercent != null;
                    String name = outcome.error().error();
                    boolean terminal = name.equals(StatesError.RUNTIME) || name.equals(StatesError.DATA_LIMIT_EXCEEDED);
                    if (!tolerance || terminal) {
                        failure = outcome.error();
                    } else if ((toleratedCount != null && failures > toleratedCount)
                            || (toleratedPercent != null && failures * 100.0 / inputs.length > toleratedPercent)) {
                        failure = new StatesError(StatesError.EXCEED_TOLERATED_FAILURE_THRESHOLD,
                                "The specified tolerated failure threshold was exceeded: " + failures + " of "
                                        + inputs.length + " items failed");
                    }
                }
                if (failure != null) {
                    failed = true;
                    active.forEach(c -> c.cancelled = true);
                    for (Frame c : active) {
                        store.appendEvent(f.run.arn, new HistoryEvent(f.run.eventIds.incrementAndGet(),
                                c.lastEventId, scheduler.now(), "MapIterationAborted",
                                "mapIterationAbortedEventDetails", NODES.objectNode().put("name", s.name)));
                    }
                } else {
                    finished = completed == inputs.length;
                }
            }
            if (failure != null) {
                StatesError e = failure;
                event(f, "MapStateFailed", null, null);
                scheduler.execute(() -> proceed(f, s, raw, attempts, () -> handleError(f, s, raw, e, attempts)));
            } else if (finished) {
                event(f, "MapStateSucceeded", null, null);
                ArrayNode out = NODES.arrayNode();
                for (JsonNode r : results) {
                    out.add(r);
                }
                scheduler.execute(() -> proceed(f, s, raw, attempts, () -> exit(f, s, raw, out, ctx)));
            } else {
                launch();
            }
        }
    }

    // ======================================================================================== recovery

    /**
     * Resumes checkpointed executions left RUNNING by executors that are gone (their owner lock is free); fails
     * the others, saying why. Executions of executors still alive (another process on the same home) are left be.
     */
    private void recover() {
        for (ExecutionDescription d : store.running()) {
            if (live.containsKey(d.executionArn())) {
                continue;
            }
            String owner = store.owner(d.executionArn()).orElse(null);
            if (owner != null && OwnerLock.isAlive(store.file().getParent(), owner)) {
                continue;
            }
            store.setOwner(d.executionArn(), ownerId);
            Optional<String> cp = store.checkpoint(d.executionArn());
            String reason = null;
            if (cp.isEmpty()) {
                reason = "The local runtime stopped while this execution was running at a point it cannot resume"
                        + " from (only top-level Wait states and .waitForTaskToken tasks are resumable)";
            } else {
                try {
                    resumeFrom(d, StateMachine.MAPPER.readTree(cp.get()));
                } catch (JsonProcessingException | RuntimeException e) {
                    reason = "The local runtime could not resume this execution: " + e.getMessage();
                }
            }
            if (reason != null) {
                long last = store.history(d.executionArn()).size();
                Instant now = scheduler.now();
                ObjectNode details = NODES.objectNode();
                details.put("error", StatesError.RUNTIME);
                details.put("cause", reason);
                store.appendEvent(d.executionArn(), new HistoryEvent(last + 1, last, now, "ExecutionFailed",
                        "executionFailedEventDetails", details));
                store.finishExecution(d.executionArn(), ExecutionStatus.FAILED, null, StatesError.RUNTIME, reason,
                        now);
            }
        }
    }

    private void resumeFrom(ExecutionDescription d, JsonNode cp) throws JsonProcessingException {
        StateMachine machine = StateMachine.parse(store.definition(d.executionArn()).orElseThrow());
        if (!machines.containsKey(d.stateMachineArn())) {
            machines.put(d.stateMachineArn(), machine);
            String name = d.stateMachineArn().substring(d.stateMachineArn().lastIndexOf(':') + 1);
            machineNames.putIfAbsent(name, d.stateMachineArn());
        }
        long lastId = store.history(d.executionArn()).size();
        Run run = new Run(d.executionArn(), d.name(), d.stateMachineArn(), machine,
                StateMachine.MAPPER.readTree(d.input()), d.startDate(), d.parentArn(), lastId);
        Frame top = topFrame(run, cp.path("lastEventId").asLong(lastId));
        State s = machine.graph().state(cp.path("state").asText());
        if (s == null) {
            throw new IllegalStateException("the checkpoint names state '" + cp.path("state").asText()
                    + "', which the definition lacks");
        }
        JsonNode raw = cp.get("input");
        live.put(run.arn, run);
        switch (cp.path("kind").asText()) {
            case "wait" -> {
                Attempts attempts = new Attempts(s, scheduler.now());
                scheduleWake(top, s, raw, context(top, s, attempts, null), Instant.parse(cp.get("wakeAt").asText()));
            }
            case "token" -> {
                Attempts attempts = new Attempts(s, Instant.parse(cp.get("entered").asText()));
                attempts.total = cp.path("retryTotal").asInt();
                for (int i = 0; i < attempts.counts.length && i < cp.path("retryCounts").size(); i++) {
                    attempts.counts[i] = cp.path("retryCounts").get(i).asInt();
                }
                String token = cp.get("token").asText();
                ObjectNode ctx = context(top, s, attempts, token);
                Integer heartbeat = cp.has("heartbeatSeconds") ? cp.get("heartbeatSeconds").asInt() : null;
                PendingTask pending = new PendingTask(top, s, raw, attempts, ctx, token,
                        cp.path("resourceType").asText(), cp.path("resource").asText(), false, heartbeat, true);
                tokens.put(token, pending);
                // The original deadline holds; the heartbeat clock restarts now (the restart was no heartbeat).
                if (cp.has("timeoutAt")) {
                    pending.timeoutTimer = scheduler.schedule(() -> pending.settle(null, new StatesError(
                            StatesError.TIMEOUT, "The task did not finish within its TimeoutSeconds"), true),
                            Duration.between(scheduler.now(), Instant.parse(cp.get("timeoutAt").asText())));
                    run.timers.add(pending.timeoutTimer);
                }
                pending.heartbeat();
            }
            default -> {
                live.remove(run.arn);
                throw new IllegalStateException("unknown checkpoint kind " + cp.path("kind"));
            }
        }
    }
}
