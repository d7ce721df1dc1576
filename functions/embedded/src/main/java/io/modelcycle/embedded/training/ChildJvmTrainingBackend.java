package io.modelcycle.embedded.training;

import io.modelcycle.core.Json;
import io.modelcycle.core.ModelCycleException;
import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.artifact.ArtifactKeys;
import io.modelcycle.core.artifact.ArtifactStore;
import io.modelcycle.core.artifact.StoredObject;
import io.modelcycle.core.training.TrainingBackend;
import io.modelcycle.core.training.TrainingJobSpec;
import io.modelcycle.core.training.TrainingJobState;
import io.modelcycle.core.training.TrainingJobStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs training jobs on this machine: the trainer in a child JVM
 * ({@code java <jvm options> -cp <class path> <main class> --root <root>}), under the SageMaker training container
 * contract, so the very trainer of the GPU image runs unchanged on the CPU.
 *
 * <p>For each job it lays out a temporary {@code <root>}: every input channel's objects are copied (and their SHA-256
 * verified) from the {@link ArtifactStore} to {@code <root>/input/data/<channel>/}, keeping their path below the
 * location's last '/' as SageMaker does for an S3 prefix; the hyperparameters go to
 * {@code <root>/input/config/hyperparameters.json}. While the trainer runs, each line of its stdout is its latest
 * progress (the status message, and the {@link TrainingProgressListener}); its stderr is kept as
 * {@code trainer.log}. When it exits 0 the contents of {@code <root>/model} are packed into {@code model.tar.gz} and
 * stored, with {@code model.json}, {@code metrics.json}, {@code profile.json} and {@code card.md} beside it, where
 * SageMaker would put them: under {@code <outputPath>/<jobName>/output/}. When it fails, the failure reason is its
 * {@code <root>/output/failure} file (or, without one, its exit status and the end of its stderr). The root is then
 * deleted.
 *
 * <p>Locations are artifact-store keys or key prefixes; with {@link Builder#optBucket a bucket name}, {@code
 * s3://<bucket>/<key>} URIs too, and the artifact location is then reported as such a URI, so a workflow written for
 * SageMaker runs here unchanged. Role, instance type and count, volume, spot and checkpoints have no meaning on one
 * machine and are ignored; the maximum run time is enforced (the job ends STOPPED, {@code MaxRuntimeExceeded}).
 *
 * <p>{@link #stop} ends the trainer's whole process tree (SIGTERM, then SIGKILL after a grace period). Jobs are
 * remembered by this instance only; their outputs are in the store. Errors: those of {@link TrainingBackend}, plus
 * {@link ValidationException} on {@code inputChannels.<name>} when a channel's location holds no objects.
 */
public final class ChildJvmTrainingBackend implements TrainingBackend, AutoCloseable {

    /** The trainer of {@code functions/djl}. */
    public static final String TRAINER_MAIN = "io.modelcycle.djl.train.TrainerMain";

    private static final System.Logger LOG = System.getLogger(ChildJvmTrainingBackend.class.getName());
    private static final int FAILURE_REASON_LIMIT = 1024;
    private static final int STDERR_TAIL_LINES = 5;

    private final ArtifactStore store;
    private final List<String> commandPrefix;
    private final Path workDirectory;
    private final String bucket;
    private final TrainingProgressListener listener;
    private final boolean keepRoots;
    private final Duration stopGracePeriod;
    private final Clock clock;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers;

    private ChildJvmTrainingBackend(Builder builder) {
        this.store = Objects.requireNonNull(builder.store, "setArtifactStore is required");
        if (builder.classpath == null || builder.classpath.isBlank()) {
            throw new ValidationException("classpath", "the trainer's class path is required (setClasspath)");
        }
        List<String> prefix = new ArrayList<>();
        prefix.add(builder.java.toString());
        prefix.addAll(builder.jvmOptions);
        prefix.add("-cp");
        prefix.add(builder.classpath);
        prefix.add(builder.mainClass);
        this.commandPrefix = List.copyOf(prefix);
        this.workDirectory = builder.workDirectory;
        this.bucket = builder.bucket;
        this.listener = builder.listener;
        this.keepRoots = builder.keepRoots;
        this.stopGracePeriod = builder.stopGracePeriod;
        this.clock = builder.clock;
        this.timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "training-timers");
            thread.setDaemon(true);
            return thread;
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a class path written by {@code mvn dependency:build-classpath -Dmdep.outputFile=<file>} (entries joined
     * by the platform's path separator, optionally over several lines), so the trainer's class path can be built once
     * and handed to {@link Builder#setClasspath}.
     */
    public static String classpathFromFile(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip()
                    .replaceAll("\\s*[\\r\\n]+\\s*", java.io.File.pathSeparator);
            if (text.isEmpty()) {
                throw new ValidationException("classpath", "class path file " + file + " is empty");
            }
            return text;
        } catch (IOException e) {
            throw new ValidationException("classpath", "cannot read class path file " + file + ": " + e.getMessage());
        }
    }

    @Override
    public String start(TrainingJobSpec spec) {
        Objects.requireNonNull(spec, "spec");
        synchronized (jobs) {
            if (jobs.containsKey(spec.jobName())) {
                return spec.jobName();
            }
            // Resolve everything the job reads and writes before accepting it, so a bad location is the caller's
            // error now rather than a failed job later.
            Map<String, List<Staged>> channels = new LinkedHashMap<>();
            spec.inputChannels().forEach((name, location) -> channels.put(name, resolveChannel(name, location)));
            String outputPrefix = prefix(key(spec.outputPath(), "outputPath")) + spec.jobName() + "/output/";
            Job job = new Job(spec, channels, outputPrefix, clock.instant());
            jobs.put(spec.jobName(), job);
            Thread worker = new Thread(() -> run(job), "training-" + spec.jobName());
            worker.setDaemon(true);
            worker.start();
            return spec.jobName();
        }
    }

    @Override
    public TrainingJobStatus describe(String jobId) {
        return job(jobId).status();
    }

    @Override
    public void stop(String jobId) {
        Job job = job(jobId);
        Process process = job.requestStop("Stopping: stop requested");
        if (process != null) {
            terminate(process);
        }
    }

    /**
     * Waits until the job has ended (or {@code timeout} passes) and returns its status: what the local runtime's
     * {@code .sync} integration needs, without polling.
     */
    public TrainingJobStatus await(String jobId, Duration timeout) throws InterruptedException {
        Job job = job(jobId);
        job.done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return job.status();
    }

    /** Stops every job still running and waits briefly for them to end. */
    @Override
    public void close() {
        for (Job job : jobs.values()) {
            Process process = job.requestStop("Stopping: backend closed");
            if (process != null) {
                terminate(process);
            }
        }
        for (Job job : jobs.values()) {
            try {
                job.done.await(stopGracePeriod.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        timers.shutdownNow();
    }

    private Job job(String jobId) {
        if (jobId == null) {
            throw new ValidationException("jobId", "is required");
        }
        Job job = jobs.get(jobId);
        if (job == null) {
            throw new NotFoundException("no training job '" + jobId + "' was started on this embedded backend");
        }
        return job;
    }

    // ---- the job's life, on its own thread ----

    private void run(Job job) {
        Path root = null;
        Path log = null;
        try {
            Files.createDirectories(workDirectory);
            root = Files.createTempDirectory(workDirectory, "training-" + job.spec.jobName() + "-");
            log = root.resolve("trainer.log");
            Path mlRoot = Files.createDirectories(root.resolve("ml"));
            job.progress("Downloading: staging input data");
            stage(job, mlRoot);
            Process process = launch(job, mlRoot, log);
            if (process == null) {
                job.end(TrainingJobState.STOPPED, "Stopped: stopped before the trainer started", null, null);
                return;
            }
            ScheduledFuture<?> deadline = timers.schedule(() -> {
                if (job.requestStop("MaxRuntimeExceeded: the trainer ran longer than " + job.spec.maxRuntime()) != null) {
                    terminate(process);
                }
            }, job.spec.maxRuntime().toMillis(), TimeUnit.MILLISECONDS);
            relayProgress(job, process.getInputStream());
            int exit = process.waitFor();
            deadline.cancel(false);
            if (job.stopRequested()) {
                job.end(TrainingJobState.STOPPED, null, null, null);
            } else if (exit != 0) {
                job.end(TrainingJobState.FAILED, null, failureReason(mlRoot, exit, log), null);
            } else {
                job.progress("Uploading: storing the model");
                String archive = storeOutputs(job, mlRoot);
                job.end(TrainingJobState.COMPLETED, "Completed", null, archive);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            job.end(TrainingJobState.FAILED, null, "InternalError: interrupted while the trainer ran", null);
        } catch (RuntimeException | IOException e) {
            LOG.log(System.Logger.Level.WARNING, "training job " + job.spec.jobName() + " could not run", e);
            Process process = job.process();
            if (process != null && process.isAlive()) {
                terminate(process); // never leave a trainer running that nobody watches
            }
            // A domain error (a corrupted or missing input object) is the data's fault, as SageMaker's ClientError.
            String reason = e instanceof ModelCycleException domain ? "ClientError: " + domain.getMessage()
                    : "InternalError: " + e;
            job.end(job.stopRequested() ? TrainingJobState.STOPPED : TrainingJobState.FAILED, null,
                    job.stopRequested() ? null : limit(reason), null);
        } finally {
            storeLog(job, log);
            if (root != null && !keepRoots) {
                deleteTree(root);
            }
            job.done.countDown();
        }
    }

    private void stage(Job job, Path mlRoot) throws IOException {
        Path data = Files.createDirectories(mlRoot.resolve("input/data"));
        for (Map.Entry<String, List<Staged>> channel : job.channels.entrySet()) {
            Path dir = Files.createDirectories(data.resolve(channel.getKey()));
            for (Staged object : channel.getValue()) {
                Path target = dir.resolve(object.relativePath()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("object " + object.key() + " would be staged outside its channel directory");
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = store.open(object.key())) {
                    // Read to the end: the store's stream verifies the SHA-256 there.
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path config = Files.createDirectories(mlRoot.resolve("input/config"));
        Files.writeString(config.resolve("hyperparameters.json"), Json.write(job.spec.hyperparameters()));
        Files.createDirectories(mlRoot.resolve("model"));
        Files.createDirectories(mlRoot.resolve("output"));
    }

    /** Starts the trainer unless a stop came first; the process is registered with the job before anyone can stop it. */
    private Process launch(Job job, Path mlRoot, Path log) throws IOException {
        List<String> command = new ArrayList<>(commandPrefix);
        command.add("--root");
        command.add(mlRoot.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(mlRoot.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                .redirectError(log.toFile());
        synchronized (job) {
            if (job.stopRequested()) {
                return null;
            }
            Process process = builder.start();
            job.running(process, "Training: trainer started");
            return process;
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private void relayProgress(Job job, InputStream stdout) throws IOException {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                job.progress(line);
                try {
                    listener.onProgress(job.spec.jobName(), line);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "progress listener failed on job " + job.spec.jobName(), e);
                }
            }
        }
    }

    /** SIGTERM to the whole tree (descendants first, captured before the parent dies), SIGKILL after the grace period. */
    private void terminate(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        try {
            timers.schedule(() -> tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly),
                    stopGracePeriod.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            tree.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private String failureReason(Path mlRoot, int exit, Path log) {
        Path failure = mlRoot.resolve("output/failure");
        try {
            if (Files.isRegularFile(failure)) {
                String text = Files.readString(failure, StandardCharsets.UTF_8).strip();
                if (!text.isEmpty()) {
                    return limit(text);
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot read " + failure, e);
        }
        String tail = tail(log);
        return limit("AlgorithmError: the trainer exited with status " + exit + " and wrote no output/failure"
                + (tail.isEmpty() ? "" : "; its stderr ends: " + tail));
    }

    private String storeOutputs(Job job, Path mlRoot) throws IOException {
        Path model = mlRoot.resolve("model");
        Path archive = mlRoot.resolve("output/model.tar.gz");
        int files;
        try (OutputStream out = Files.newOutputStream(archive)) {
            files = TarGzWriter.pack(model, out);
        }
        if (files == 0) {
            throw new IOException("the trainer exited 0 but wrote nothing to " + model);
        }
        for (String name : List.of(ArtifactKeys.MODEL_JSON, ArtifactKeys.METRICS, ArtifactKeys.PROFILE, ArtifactKeys.CARD)) {
            Path file = model.resolve(name);
            if (Files.isRegularFile(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    store.put(job.outputPrefix + name, in);
                }
            }
        }
        String key = job.outputPrefix + ArtifactKeys.MODEL_ARCHIVE;
        try (InputStream in = Files.newInputStream(archive)) {
            store.put(key, in);
        }
        return bucket == null ? key : "s3://" + bucket + "/" + key;
    }

    private void storeLog(Job job, Path log) {
        if (log == null || !Files.isRegularFile(log)) {
            return;
        }
        try (InputStream in = Files.newInputStream(log)) {
            store.put(job.outputPrefix + "trainer.log", in);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot store the trainer log of job " + job.spec.jobName(), e);
        }
    }

    // ---- locations ----

    /** The objects of one channel, each with its path below the location's last '/'. */
    private List<Staged> resolveChannel(String name, String location) {
        String key = key(location, "inputChannels." + name);
        String base = key.contains("/") ? key.substring(0, key.lastIndexOf('/') + 1) : "";
        List<StoredObject> objects = store.list(key);
        if (objects.isEmpty()) {
            throw new ValidationException("inputChannels." + name, "no objects under '" + location + "' in the artifact store");
        }
        return objects.stream().map(o -> new Staged(o.key(), o.key().substring(base.length()))).toList();
    }

    /** The store key (or key prefix) a location names: a key as is, or {@code s3://<bucket>/<key>} with this backend's bucket. */
    private String key(String location, String field) {
        String key = location;
        if (location.contains("://")) {
            String expected = "s3://" + bucket + "/";
            if (bucket == null || !location.startsWith(expected)) {
                throw new ValidationException(field, "'" + location + "' is not in this embedded backend's artifact store; use a key"
                        + (bucket == null ? "" : " or " + expected + "<key>"));
            }
            key = location.substring(expected.length());
        }
        String trimmed = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
        try {
            ArtifactKeys.require(trimmed);
        } catch (ValidationException e) {
            throw new ValidationException(field, e.errors().get(0).message());
        }
        return key;
    }

    private static String prefix(String key) {
        return key.endsWith("/") ? key : key + "/";
    }

    private static String limit(String reason) {
        return reason.length() <= FAILURE_REASON_LIMIT ? reason : reason.substring(0, FAILURE_REASON_LIMIT - 1) + "…";
    }

    private static String tail(Path log) {
        if (log == null || !Files.isRegularFile(log)) {
            return "";
        }
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            List<String> all = lines.filter(line -> !line.isBlank()).toList();
            return String.join(" | ", all.subList(Math.max(0, all.size() - STDERR_TAIL_LINES), all.size())).strip();
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.DEBUG, "cannot delete " + path, e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot delete " + root, e);
        }
    }

    private record Staged(String key, String relativePath) {
    }

    /** One job's state; every change is under its monitor, so describe() sees a consistent snapshot. */
    private final class Job {
        final TrainingJobSpec spec;
        final Map<String, List<Staged>> channels;
        final String outputPrefix;
        final Instant startedAt;
        final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        private TrainingJobState state = TrainingJobState.IN_PROGRESS;
        private String message = "Starting";
        private String failureReason;
        private String artifact;
        private Instant endedAt;
        private Process process;
        private boolean stopRequested;

        Job(TrainingJobSpec spec, Map<String, List<Staged>> channels, String outputPrefix, Instant startedAt) {
            this.spec = spec;
            this.channels = channels;
            this.outputPrefix = outputPrefix;
            this.startedAt = startedAt;
        }

        synchronized TrainingJobStatus status() {
            return new TrainingJobStatus(spec.jobName(), state, message, failureReason, artifact, startedAt, endedAt, null);
        }

        synchronized void progress(String line) {
            // Once stopping, the message says why, whatever the trainer prints on its way out.
            if (state == TrainingJobState.IN_PROGRESS) {
                message = line;
            }
        }

        synchronized void running(Process started, String line) {
            process = started;
            message = line;
        }

        synchronized Process process() {
            return process;
        }

        synchronized boolean stopRequested() {
            return stopRequested;
        }

        /** Marks the job stopping; returns the process to terminate, or null when there is none or it has ended. */
        synchronized Process requestStop(String why) {
            if (state.isTerminal() || stopRequested) {
                return null;
            }
            stopRequested = true;
            state = TrainingJobState.STOPPING;
            message = why;
            return process;
        }

        synchronized void end(TrainingJobState finalState, String finalMessage, String reason, String artifactLocation) {
            if (state.isTerminal()) {
                return;
            }
            state = finalState;
            if (finalMessage != null) {
                message = finalMessage;
            } else if (finalState == TrainingJobState.STOPPED && !message.startsWith("MaxRuntimeExceeded")) {
                message = "Stopped";
            } else if (finalState == TrainingJobState.FAILED) {
                message = "Failed";
            }
            failureReason = reason;
            artifact = artifactLocation;
            endedAt = clock.instant();
        }
    }

    /** Wide configuration, DJL style: {@code set*} are required, {@code opt*} optional. */
    public static final class Builder {
        private ArtifactStore store;
        private String classpath;
        private Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        private List<String> jvmOptions = List.of("-Xmx1g", "-Dai.djl.offline=true");
        private String mainClass = TRAINER_MAIN;
        private Path workDirectory = Path.of(System.getProperty("java.io.tmpdir"), "modelcycle-training");
        private String bucket;
        private TrainingProgressListener listener = TrainingProgressListener.NONE;
        private boolean keepRoots;
        private Duration stopGracePeriod = Duration.ofSeconds(10);
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Where channels are read from and outputs stored. */
        public Builder setArtifactStore(ArtifactStore store) {
            this.store = store;
            return this;
        }

        /** The trainer's class path: {@code modelcycle-djl} and its dependencies; see {@link #classpathFromFile}. */
        public Builder setClasspath(String classpath) {
            this.classpath = classpath;
            return this;
        }

        /** The {@code java} executable; default: the one running this JVM. */
        public Builder optJava(Path java) {
            this.java = Objects.requireNonNull(java, "java");
            return this;
        }

        /** Options before {@code -cp}; default {@code -Xmx1g -Dai.djl.offline=true}. */
        public Builder optJvmOptions(List<String> options) {
            this.jvmOptions = List.copyOf(options);
            return this;
        }

        /** The trainer's main class; default {@value #TRAINER_MAIN}. */
        public Builder optMainClass(String mainClass) {
            if (mainClass == null || mainClass.isBlank()) {
                throw new ValidationException("mainClass", "must name a class");
            }
            this.mainClass = mainClass;
            return this;
        }

        /** Where job roots are created; default {@code <java.io.tmpdir>/modelcycle-training}. */
        public Builder optWorkDirectory(Path workDirectory) {
            this.workDirectory = Objects.requireNonNull(workDirectory, "workDirectory");
            return this;
        }

        /** The bucket name that {@code s3://} locations name in the local runtime; null (default): keys only. */
        public Builder optBucket(String bucket) {
            if (bucket != null && (bucket.isBlank() || bucket.contains("/"))) {
                throw new ValidationException("bucket", "'" + bucket + "' is not a bucket name");
            }
            this.bucket = bucket;
            return this;
        }

        public Builder optProgressListener(TrainingProgressListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Keeps each job's root after it ends, to look at what the trainer saw; default false. */
        public Builder optKeepRoots(boolean keep) {
            this.keepRoots = keep;
            return this;
        }

        /** How long a stopped trainer may take to exit after SIGTERM before it is killed; default 10 s. */
        public Builder optStopGracePeriod(Duration grace) {
            if (grace == null || grace.isNegative()) {
                throw new ValidationException("stopGracePeriod", "must be zero or more");
            }
            this.stopGracePeriod = grace;
            return this;
        }

        public Builder optClock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public ChildJvmTrainingBackend build() {
            return new ChildJvmTrainingBackend(this);
        }
    }
}
