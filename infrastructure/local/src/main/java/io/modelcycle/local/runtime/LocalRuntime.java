package io.modelcycle.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.Json;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.artifact.ArtifactKeys;
import io.modelcycle.core.artifact.ArtifactStore;
import io.modelcycle.core.lifecycle.Approvals;
import io.modelcycle.core.lifecycle.DeploymentTasks;
import io.modelcycle.core.lifecycle.MonitoringTasks;
import io.modelcycle.core.lifecycle.RetirementTasks;
import io.modelcycle.core.lifecycle.TrainingTasks;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.core.task.TaskRouter;
import io.modelcycle.core.workflow.WorkflowLauncher;
import io.modelcycle.deployment.DeploymentTaskHandler;
import io.modelcycle.embedded.artifact.FileArtifactStore;
import io.modelcycle.embedded.metrics.SqliteMetricsStore;
import io.modelcycle.embedded.registry.SqliteRegistryStore;
import io.modelcycle.embedded.training.ChildJvmTrainingBackend;
import io.modelcycle.local.asl.AslExecutor;
import io.modelcycle.local.asl.ExecutionDescription;
import io.modelcycle.local.asl.Scheduler;
import io.modelcycle.local.asl.StateMachine;
import io.modelcycle.local.asl.TaskBindings;
import io.modelcycle.local.asl.TaskHandler;
import io.modelcycle.local.events.EventBus;
import io.modelcycle.monitoring.MonitoringTaskHandler;
import io.modelcycle.retirement.RetirementTaskHandler;
import io.modelcycle.training.TrainingTaskHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * ModelCycle on one machine: the embedded stores under a home directory, the four workflows of {@code statemachines/}
 * run by the local {@link AslExecutor} with their tasks bound to the stage handlers, the training job bound to the
 * embedded (child JVM) backend, and the triggers of AWS mirrored by an {@link EventBus}, S3-style notifications of
 * the artifact store and a {@link LocalAlarmEvaluator}.
 *
 * <p>Layout of the home ({@code ./.modelcycle} by default): {@code registry.db} (SQLite registry),
 * {@code artifacts/} (the artifact store; S3 URIs {@code s3://}{@value Workflows#BUCKET}{@code /<key>} name its keys),
 * {@code metrics.db} (SQLite metrics), {@code executions.db} (the executor's history), {@code alarms.json} (alarm
 * states), {@code training/} (job work directories). Everything a runtime keeps is under its home, so two runtimes on
 * two homes do not interfere.
 *
 * <p>Bindings: each {@code ${...FunctionArn}} becomes a Lambda alias ARN ({@link Workflows#functionArn}) bound to the
 * stage handler's {@link TaskRouter}, built through the handler's public constructor on the embedded adapters; as on
 * Lambda, a handler's exception fails the task with its fully qualified class name as the error.
 * {@code sagemaker:createTrainingJob.sync} runs the job on {@link ChildJvmTrainingBackend}.
 *
 * <p>Triggers (rules on {@link #events()}):
 * <ul>
 *   <li>{@value TriggerRules#DATASET_RULE}: S3 {@code Object Created} under {@code datasets/} (the drift check's own
 *       retraining sets live under {@code retraining/<model>/} and do not match) → {@code training-pipeline} with
 *       {@code {"datasetKey": key, "trigger": "dataset-upload"}};</li>
 *   <li>{@value TriggerRules#ALARM_RULE}: a drift alarm's {@code CloudWatch Alarm State Change} into {@code ALARM} →
 *       {@code drift-check} with {@code {"model": m, "trigger": "alarm"}};</li>
 *   <li>{@code drift-schedule-<model>}: every {@link Builder#optDriftScheduleRate rate} →
 *       {@code drift-check} with {@code {"model": m, "trigger": "schedule", "windowMinutes": n}}.</li>
 * </ul>
 * Schedules and the periodic alarm evaluation run only after {@link #startTriggers()}; without it they run when
 * asked ({@link #fireDriftSchedule}, {@code alarms().evaluateNow()}), which is what tests do.
 */
public final class LocalRuntime implements AutoCloseable {

    /** The rule that starts training on a dataset upload ({@link TriggerRules#DATASET_RULE}). */
    public static final String DATASET_RULE = TriggerRules.DATASET_RULE;
    /** The rule that starts a drift check when a drift alarm fires ({@link TriggerRules#ALARM_RULE}). */
    public static final String ALARM_RULE = TriggerRules.ALARM_RULE;
    /** Prefix of the per-model scheduled drift check rules ({@link TriggerRules#SCHEDULE_RULE_PREFIX}). */
    public static final String SCHEDULE_RULE_PREFIX = TriggerRules.SCHEDULE_RULE_PREFIX;
    /** Hyperparameters that train a small model in seconds on a laptop CPU. */
    public static final Map<String, String> FAST_HYPERPARAMETERS = Map.of("epochs", "8", "batch_size", "256");
    /** The default home, relative to the working directory. */
    public static final Path DEFAULT_HOME = Path.of(".modelcycle");

    private final Path home;
    private final Clock clock;
    private final SqliteRegistryStore registryStore;
    private final Registry registry;
    private final FileArtifactStore files;
    private final NotifyingArtifactStore artifacts;
    private final SqliteMetricsStore metrics;
    private final ChildJvmTrainingBackend trainingBackend;
    private final ScheduledExecutorService poller;
    private final AslExecutor executor;
    private final LocalWorkflowLauncher workflows;
    private final EventBus events;
    private final LocalAlarmEvaluator alarms;
    private final Approvals approvals;
    private final Duration driftScheduleRate;
    private final int driftWindowMinutes;

    private LocalRuntime(Builder b) {
        this.home = b.home.toAbsolutePath().normalize();
        this.clock = b.clock;
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Files.createDirectories(home);
            this.registryStore = new SqliteRegistryStore(home.resolve("registry.db"), clock);
            opened.add(registryStore);
            this.registry = new Registry(registryStore, clock);
            this.files = new FileArtifactStore(home.resolve("artifacts"), clock);
            this.artifacts = new NotifyingArtifactStore(files, Workflows.BUCKET, "", clock);
            this.metrics = new SqliteMetricsStore(home.resolve("metrics.db"));
            opened.add(metrics);
            RuntimeListener listener = b.listener;
            this.trainingBackend = ChildJvmTrainingBackend.builder()
                    .setArtifactStore(artifacts)
                    .setClasspath(b.trainerClasspath)
                    .optJvmOptions(b.trainerJvmOptions)
                    .optWorkDirectory(home.resolve("training"))
                    .optBucket(Workflows.BUCKET)
                    .optClock(clock)
                    .optProgressListener(listener::trainingProgress)
                    .build();
            opened.add(trainingBackend);
            this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "training-job-poller");
                t.setDaemon(true);
                return t;
            });
            TaskBindings bindings = bindings(b);
            AslExecutor.Builder eb = AslExecutor.builder().home(home).bindings(bindings);
            if (b.scheduler != null) {
                eb.scheduler(b.scheduler);
            }
            this.executor = eb.build();
            opened.add(executor);
            for (String workflow : Workflows.ALL) {
                executor.register(workflow, StateMachine.parse(Workflows.substitute(workflow,
                        Workflows.definition(workflow, b.stateMachines))));
            }
            this.workflows = new LocalWorkflowLauncher(executor, java.util.Set.copyOf(Workflows.ALL));
            this.events = new EventBus(workflows, clock);
            opened.add(events);
            events.addListener(listener::eventDelivered);
            this.alarms = new LocalAlarmEvaluator(registry, metrics, events, clock, b.alarmPeriod,
                    home.resolve("alarms.json"), listener);
            this.approvals = new Approvals(registry, artifacts, workflows);
            this.driftScheduleRate = b.driftScheduleRate;
            this.driftWindowMinutes = b.driftWindowMinutes;
            events.putRule(TriggerRules.datasetUploaded(Workflows.BUCKET));
            events.putRule(TriggerRules.driftAlarm());
            artifacts.onObjectCreated(events::put);
        } catch (IOException e) {
            closeAll(opened);
            throw new UncheckedIOException("cannot set up the local runtime under " + home, e);
        } catch (RuntimeException | Error e) {
            closeAll(opened);
            throw e;
        }
    }

    /** A builder; everything has a default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A runtime on {@code home} with the defaults. */
    public static LocalRuntime open(Path home) {
        return builder().home(home).build();
    }

    // ------------------------------------------------------------------------------------------------ wiring

    private TaskBindings bindings(Builder b) {
        TrainingTasks.Settings settings = new TrainingTasks.Settings(Workflows.BUCKET,
                Workflows.substitutions().get("TrainingImageUri"), b.hyperparameters);
        Map<String, TaskRouter> routers = new LinkedHashMap<>();
        routers.put("TrainingFunctionArn", new TrainingTaskHandler(new TrainingTasks(registry, artifacts, settings,
                "workflow:training-pipeline")).router());
        routers.put("DeploymentFunctionArn", new DeploymentTaskHandler(new DeploymentTasks(registry, metrics, clock,
                "workflow:deployment")).router());
        routers.put("MonitoringFunctionArn", new MonitoringTaskHandler(new MonitoringTasks(registry, artifacts, metrics,
                clock)).router());
        routers.put("RetirementFunctionArn", new RetirementTaskHandler(new RetirementTasks(registry, artifacts,
                "workflow:retirement")).router());
        TaskBindings bindings = new TaskBindings();
        Map<String, String> names = Workflows.substitutions();
        // The handler's exception propagates as is: the executor names the error after its class, as Lambda does.
        routers.forEach((name, router) -> bindings.bind(names.get(name),
                TaskHandler.sync(invocation -> router.handle(invocation.input()))));
        bindings.bind("arn:aws:states:::sagemaker:createTrainingJob.sync",
                new TrainingJobTask(trainingBackend, poller, b.trainingPollInterval, this::running));
        return bindings;
    }

    // ------------------------------------------------------------------------------------------------ accessors

    /** The home directory (absolute). */
    public Path home() {
        return home;
    }

    /** The registry service over the SQLite store. */
    public Registry registry() {
        return registry;
    }

    /** The artifact store; every write puts S3's {@code Object Created} event on the bus, as S3 does with EventBridge. */
    public ArtifactStore artifacts() {
        return artifacts;
    }

    /** Where the artifact store keeps its files. */
    public Path artifactRoot() {
        return files.root();
    }

    /** The embedded metrics (sink and source). */
    public SqliteMetricsStore metrics() {
        return metrics;
    }

    /** The ASL executor running the workflows. */
    public AslExecutor executor() {
        return executor;
    }

    /** Starts workflows and answers task tokens. */
    public WorkflowLauncher workflows() {
        return workflows;
    }

    /** The event bus and its rules. */
    public EventBus events() {
        return events;
    }

    /** The drift alarms. */
    public LocalAlarmEvaluator alarms() {
        return alarms;
    }

    /** Approve or reject a version, resuming a training pipeline that waits for it. */
    public Approvals approvals() {
        return approvals;
    }

    /** The training backend (child JVM). */
    public ChildJvmTrainingBackend trainingBackend() {
        return trainingBackend;
    }

    /** The bucket name of the workflows' S3 URIs. */
    public String bucket() {
        return Workflows.BUCKET;
    }

    /** {@code s3://modelcycle-local/<key>}. */
    public String s3Uri(String key) {
        return "s3://" + Workflows.BUCKET + "/" + ArtifactKeys.require(key);
    }

    // ------------------------------------------------------------------------------------------------ operations

    /**
     * Uploads a dataset file to {@code datasets/<model>/<file name>}: the dataset trigger starts
     * {@code training-pipeline} (the bus's listeners hear the delivery). Returns the dataset's key.
     */
    public String uploadDataset(String model, Path csv) {
        String key = ArtifactKeys.datasetPrefix(Model.requireName(model)) + csv.getFileName();
        try (var in = Files.newInputStream(csv)) {
            artifacts.put(key, in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv, e);
        }
        return key;
    }

    /** Adds the scheduled drift-check rule of every registered model that has none. */
    public void scheduleDriftChecks() {
        String token = null;
        do {
            var page = registry.models(new io.modelcycle.core.registry.PageRequest(token,
                    io.modelcycle.core.registry.PageRequest.MAX_LIMIT));
            for (Model m : page.items()) {
                if (!events.rules().containsKey(TriggerRules.SCHEDULE_RULE_PREFIX + m.name())) {
                    events.putRule(TriggerRules.driftSchedule(m.name(), driftScheduleRate, driftWindowMinutes));
                }
            }
            token = page.nextToken();
        } while (token != null);
    }

    /** Runs {@code model}'s scheduled drift check now; returns the drift-check execution's ARN. */
    public String fireDriftSchedule(String model) {
        registry.model(model);
        scheduleDriftChecks();
        EventBus.Delivery d = events.fireSchedule(TriggerRules.SCHEDULE_RULE_PREFIX + model);
        if (!d.succeeded()) {
            throw new IllegalStateException("the scheduled drift check of " + model + " did not start: " + d.error());
        }
        return d.executionArn();
    }

    /** Starts the schedules and evaluates the alarms every {@code alarmEvery}: what a long-running runtime does. */
    public void startTriggers(Duration alarmEvery) {
        scheduleDriftChecks();
        events.startSchedules();
        alarms.start(alarmEvery);
    }

    /** Waits for an execution to stop and describes it. */
    public ExecutionDescription await(String executionArn, Duration timeout) {
        try {
            return executor.completion(executionArn).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + executionArn, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("execution " + executionArn + " could not be followed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("execution " + executionArn + " still runs after " + timeout + ": "
                    + executor.describe(executionArn).status());
        }
    }

    /** The input of a workflow's execution, parsed. */
    public JsonNode input(String executionArn) {
        return Json.tree(executor.describe(executionArn).input());
    }

    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>();
        all.add(alarms);
        all.add(events);
        all.add(poller::shutdownNow);
        all.add(trainingBackend);
        all.add(executor);
        all.add(metrics);
        all.add(registryStore);
        closeAll(all);
    }

    /** Whether an execution still runs (true while the executor is being built: nothing can have stopped yet). */
    private boolean running(String executionArn) {
        AslExecutor e = executor;
        if (e == null) {
            return true;
        }
        try {
            return e.describe(executionArn).status() == io.modelcycle.local.asl.ExecutionStatus.RUNNING;
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }

    private static void closeAll(List<AutoCloseable> resources) {
        RuntimeException first = null;
        for (AutoCloseable c : resources) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = new IllegalStateException("closing the local runtime failed", e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Configuration of a runtime: {@code opt*} are optional. */
    public static final class Builder {
        private Path home = DEFAULT_HOME;
        private Clock clock = Clock.systemUTC();
        private Path stateMachines;
        private String trainerClasspath = System.getProperty("java.class.path");
        // The trainer shares this class path, which holds two SLF4J providers (the handlers' log4j JSON layout on
        // stdout, the trainer's simple logger on stderr): the trainer's contract keeps stdout for progress lines.
        private List<String> trainerJvmOptions = List.of("-Xmx768m", "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-Dslf4j.provider=org.slf4j.simple.SimpleServiceProvider");
        private Map<String, String> hyperparameters = FAST_HYPERPARAMETERS;
        private RuntimeListener listener = RuntimeListener.NONE;
        private Scheduler scheduler;
        private Duration alarmPeriod = Duration.ofMinutes(1);
        private Duration driftScheduleRate = Duration.ofDays(1);
        private int driftWindowMinutes = 60;
        private Duration trainingPollInterval = Duration.ofMillis(250);

        private Builder() {
        }

        /** The home directory; default {@code ./.modelcycle}. */
        public Builder home(Path home) {
            this.home = Objects.requireNonNull(home, "home");
            return this;
        }

        public Builder optClock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Where the {@code *.asl.json} files are; default: the checkout's {@code statemachines/}, else the bundled copy. */
        public Builder optStateMachines(Path directory) {
            this.stateMachines = directory;
            return this;
        }

        /** The trainer's class path; default this JVM's (which holds {@code modelcycle-djl}). */
        public Builder optTrainerClasspath(String classpath) {
            this.trainerClasspath = classpath;
            return this;
        }

        public Builder optTrainerJvmOptions(List<String> options) {
            this.trainerJvmOptions = List.copyOf(options);
            return this;
        }

        /** Default hyperparameters of every training job; default {@link #FAST_HYPERPARAMETERS}. */
        public Builder optHyperparameters(Map<String, String> hyperparameters) {
            this.hyperparameters = Map.copyOf(hyperparameters);
            return this;
        }

        public Builder optListener(RuntimeListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The executor's scheduler (a {@code VirtualScheduler} in tests); default a system one. */
        public Builder optScheduler(Scheduler scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /** The drift alarms' period; default one minute (AWS: one hour). */
        public Builder optAlarmPeriod(Duration period) {
            this.alarmPeriod = Objects.requireNonNull(period, "period");
            return this;
        }

        /** How often the scheduled drift check runs; default one day, as on AWS. */
        public Builder optDriftScheduleRate(Duration rate) {
            this.driftScheduleRate = Objects.requireNonNull(rate, "rate");
            return this;
        }

        public Builder optDriftWindowMinutes(int minutes) {
            this.driftWindowMinutes = minutes;
            return this;
        }

        public Builder optTrainingPollInterval(Duration interval) {
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new ValidationException("trainingPollInterval", "must be positive");
            }
            this.trainingPollInterval = interval;
            return this;
        }

        public LocalRuntime build() {
            return new LocalRuntime(this);
        }
    }
}
