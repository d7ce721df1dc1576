package io.modelcycle.core.lifecycle;

import com.fasterxml.jackson.core.type.TypeReference;
import io.modelcycle.core.Hashing;
import io.modelcycle.core.Json;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.artifact.ArtifactKeys;
import io.modelcycle.core.artifact.ArtifactStore;
import io.modelcycle.core.artifact.S3Uris;
import io.modelcycle.core.artifact.StoredObject;
import io.modelcycle.core.artifact.TarGzReader;
import io.modelcycle.core.dataset.CsvReader;
import io.modelcycle.core.dataset.DatasetReader;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.model.Policies.ApprovalPolicy;
import io.modelcycle.core.model.Policies.QualityGate;
import io.modelcycle.core.model.Task;
import io.modelcycle.core.registry.Alias;
import io.modelcycle.core.registry.ArtifactRef;
import io.modelcycle.core.registry.Change;
import io.modelcycle.core.registry.Lineage;
import io.modelcycle.core.registry.ModelVersion;
import io.modelcycle.core.registry.Page;
import io.modelcycle.core.registry.PageRequest;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.core.registry.VersionStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The tasks of the {@code training-pipeline} workflow around the training job itself: validate the dataset,
 * register the candidate, record what the job produced, judge it against the champion, and approve, wait for
 * approval or record the failure. Every task is idempotent, keyed by the workflow execution.
 */
public final class TrainingTasks {

    /** Files a training job's {@code model.tar.gz} holds that are copied out beside it. */
    private static final List<String> EXTRACTED = List.of(ArtifactKeys.MODEL_JSON, ArtifactKeys.METRICS,
            ArtifactKeys.PROFILE, ArtifactKeys.CARD);
    private static final Set<String> LOWER_IS_BETTER = Set.of("rmse", "mae", "log_loss");

    /** How training jobs are set up: the image, the bucket the URIs name, default hyperparameters. */
    public record Settings(String artifactBucket, String trainingImage, Map<String, String> hyperparameters) {
        public Settings {
            Objects.requireNonNull(artifactBucket, "artifactBucket");
            Objects.requireNonNull(trainingImage, "trainingImage");
            hyperparameters = hyperparameters == null ? Map.of() : Map.copyOf(hyperparameters);
        }
    }

    /** Input of {@link #validateDataset}: an uploaded dataset ({@code datasets/{model}/…}) or a retraining set. */
    public record DatasetRequest(String model, String datasetKey) {
        public DatasetRequest {
            Model.requireName(model);
            ArtifactKeys.require(datasetKey);
            if (!datasetKey.startsWith(ArtifactKeys.datasetPrefix(model)) && !datasetKey.startsWith(ArtifactKeys.retrainingPrefix(model))) {
                throw new ValidationException("datasetKey", "'" + datasetKey + "' is not under " + ArtifactKeys.datasetPrefix(model)
                        + " or " + ArtifactKeys.retrainingPrefix(model));
            }
        }
    }

    /** A dataset that was read whole and matches the model's schema. */
    public record DatasetSummary(String key, String uri, String sha256, long rows, long missingValues) {
    }

    /** Input of {@link #registerCandidate}: the validated dataset, what started the run, and the run's id. */
    public record CandidateRequest(String model, DatasetSummary dataset, String trigger, String executionId) {
        public CandidateRequest {
            Model.requireName(model);
            Objects.requireNonNull(dataset, "dataset");
            if (executionId == null || executionId.isBlank()) {
                throw new ValidationException("executionId", "is required: it makes registration idempotent");
            }
        }
    }

    /**
     * A registered candidate and the training job to run for it. {@code channels} is SageMaker's
     * {@code InputDataConfig}; {@code outputPrefix} is where the job writes.
     */
    public record Candidate(String model, int version, String jobName, Map<String, String> hyperparameters,
                            List<Map<String, Object>> channels, String outputPrefix, Integer championVersion) {
    }


    /** Input of {@link #recordTrainingResult}: the job's {@code model.tar.gz} as an {@code s3://} URI. */
    public record TrainingResult(String model, Integer version, String modelArtifacts) {
        public TrainingResult {
            new VersionRef(model, version);
            if (modelArtifacts == null) {
                throw new ValidationException("modelArtifacts", "is required: the job's model.tar.gz URI");
            }
        }
    }

    /** The quality gate's decision and why. */
    public record GateVerdict(boolean passed, String metric, Double candidate, Double champion, String reason,
                              ApprovalPolicy.Mode approval) {
    }

    /** Input of {@link #requestApproval}: the task token the waiting workflow is resumed with. */
    public record ApprovalRequest(String model, Integer version, String taskToken) {
        public ApprovalRequest {
            new VersionRef(model, version);
            if (taskToken == null || taskToken.isBlank()) {
                throw new ValidationException("taskToken", "is required");
            }
        }
    }

    /** Input of {@link #markFailed}: the {@code Error} and {@code Cause} a Catch caught. */
    public record FailureRequest(String model, Integer version, Map<String, Object> error) {
        public FailureRequest {
            new VersionRef(model, version);
        }
    }

    private final Registry registry;
    private final ArtifactStore artifacts;
    private final Settings settings;
    private final String actor;

    public TrainingTasks(Registry registry, ArtifactStore artifacts, Settings settings, String actor) {
        this.registry = Objects.requireNonNull(registry);
        this.artifacts = Objects.requireNonNull(artifacts);
        this.settings = Objects.requireNonNull(settings);
        this.actor = Objects.requireNonNull(actor);
    }

    /**
     * Reads the whole dataset once: every row must parse against the model's schema (the error names the line and
     * column), and the SHA-256 recorded at upload is verified on the way.
     */
    public DatasetSummary validateDataset(DatasetRequest request) {
        Model model = registry.model(request.model());
        StoredObject stat = artifacts.stat(request.datasetKey()).orElseThrow(() -> new io.modelcycle.core.NotFoundException(
                "dataset '" + request.datasetKey() + "' does not exist"));
        if (stat.sha256() == null) {
            // Uploaded with another tool (aws s3 cp): record its hash now, so lineage and every later read can rely on it.
            stat = artifacts.adopt(request.datasetKey());
        }
        DatasetReader reader = new DatasetReader(model.schema(), model.target(), model.task());
        long[] rows = {0};
        long[] missing = {0};
        try (InputStream in = artifacts.open(request.datasetKey());
             CsvReader csv = new CsvReader(new InputStreamReader(in, StandardCharsets.UTF_8), request.datasetKey())) {
            reader.forEach(csv, row -> {
                rows[0]++;
                missing[0] += row.missingCount();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dataset " + request.datasetKey(), e);
        }
        if (rows[0] == 0) {
            throw new ValidationException("datasetKey", "dataset '" + request.datasetKey() + "' has a header but no rows");
        }
        return new DatasetSummary(request.datasetKey(), S3Uris.uri(settings.artifactBucket(), request.datasetKey()),
                stat.sha256(), rows[0], missing[0]);
    }

    /**
     * Registers the next version (TRAINING) with its lineage and plans its training job. The job name is derived
     * from the workflow execution, so a second delivery of this task finds the version it registered.
     */
    public Candidate registerCandidate(CandidateRequest request) {
        Model model = registry.model(request.model());
        String jobName = jobName(request.model(), request.executionId());
        Optional<Alias> production = registry.alias(request.model(), Alias.PRODUCTION);
        Integer champion = production.map(Alias::version).orElse(null);
        Map<String, String> hyperparameters = new LinkedHashMap<>(settings.hyperparameters());
        ModelVersion version = findByJob(request.model(), jobName).orElseGet(() -> registry.registerVersion(
                request.model(),
                new Lineage(request.dataset().uri(), request.dataset().sha256(), settings.trainingImage(),
                        hyperparameters, jobName, champion, request.trigger()),
                Change.by(actor, "candidate trained from " + request.dataset().key())));
        int n = version.number();
        String modelJsonKey = ArtifactKeys.versionFile(request.model(), n, "input/" + ArtifactKeys.MODEL_JSON);
        artifacts.put(modelJsonKey, Json.write(model).getBytes(StandardCharsets.UTF_8));
        List<Map<String, Object>> channels = new ArrayList<>();
        channels.add(channel("model", modelJsonKey, "application/json"));
        channels.add(channel("train", request.dataset().key(), "text/csv"));
        if (champion != null) {
            ModelVersion championVersion = registry.version(request.model(), champion);
            if (championVersion.artifact() != null) {
                channels.add(channel("champion", championVersion.artifact().key(), "application/x-gzip"));
            }
        }
        return new Candidate(request.model(), n, jobName, hyperparameters, channels,
                trainingPrefix(request.model(), n), champion);
    }

    /**
     * Copies the job's {@code model.tar.gz} to {@code models/{model}/versions/{n}/model.tar.gz}, extracts
     * {@code model.json}, {@code metrics.json}, {@code profile.json} and {@code card.md} beside it, removes the job's
     * raw output and checkpoints (under {@code training/}, now copied), and marks the version TRAINED with the
     * archive's SHA-256, size and the metrics.
     *
     * <p>SageMaker writes its output without the SHA-256 the artifact store records, so the job's archive is
     * {@link ArtifactStore#adopt adopted} (hashed as it is now) before it is copied; from the copy on, every read is
     * verified.
     */
    public ModelVersion recordTrainingResult(TrainingResult result) {
        ModelVersion version = registry.version(result.model(), result.version());
        if (version.status() != VersionStatus.TRAINING) {
            return version; // recorded by an earlier delivery of this task
        }
        String source = S3Uris.key(settings.artifactBucket(), result.modelArtifacts());
        String archiveKey = ArtifactKeys.versionFile(result.model(), result.version(), ArtifactKeys.MODEL_ARCHIVE);
        // An earlier delivery may have copied the archive and removed the job's output already.
        StoredObject archive = artifacts.stat(archiveKey).filter(o -> o.sha256() != null).orElse(null);
        if (archive == null || artifacts.stat(source).isPresent()) {
            StoredObject job = artifacts.stat(source).orElseThrow(() -> new io.modelcycle.core.NotFoundException(
                    "the training job's output '" + result.modelArtifacts() + "' does not exist"));
            if (job.sha256() == null) {
                artifacts.adopt(source);
            }
            archive = source.equals(archiveKey) ? artifacts.stat(archiveKey).orElseThrow() : copy(source, archiveKey);
        }
        Map<String, String> extracted = extract(archiveKey, result.model(), result.version());
        if (!extracted.containsKey(ArtifactKeys.METRICS) || !extracted.containsKey(ArtifactKeys.MODEL_JSON)) {
            throw new ValidationException("modelArtifacts", "'" + result.modelArtifacts() + "' lacks model.json or metrics.json");
        }
        Map<String, Double> metrics = Json.mapperRead(artifacts.read(extracted.get(ArtifactKeys.METRICS)),
                new TypeReference<Map<String, Double>>() { });
        for (StoredObject leftover : artifacts.list(trainingPrefix(result.model(), result.version()))) {
            artifacts.delete(leftover.key());
        }
        return registry.recordTrained(result.model(), result.version(),
                new ArtifactRef(archiveKey, archive.sha256(), archive.size()), metrics,
                extracted.get(ArtifactKeys.PROFILE), extracted.get(ArtifactKeys.CARD), null,
                Change.by(actor, "training job finished"));
    }

    /**
     * Candidate vs champion on the same held-out rows (the trainer scored both), by the model's quality gate. A
     * candidate that fails is REJECTED with the reason.
     */
    public GateVerdict qualityGate(VersionRef ref) {
        Model model = registry.model(ref.model());
        ModelVersion version = registry.version(ref.model(), ref.version());
        QualityGate gate = model.policies().qualityGate();
        String metric = gate.metric() != null ? gate.metric() : defaultMetric(model.task());
        boolean lowerIsBetter = LOWER_IS_BETTER.contains(metric);
        Double candidate = version.metrics().get(metric);
        Double champion = version.metrics().get("champion_" + metric);
        ApprovalPolicy.Mode approval = model.policies().approval().mode();
        String reason;
        boolean passed;
        if (candidate == null) {
            passed = false;
            reason = "the trainer reported no '" + metric + "'; reported: " + version.metrics().keySet();
        } else if (gate.minimum() != null && (lowerIsBetter ? candidate > gate.minimum() : candidate < gate.minimum())) {
            passed = false;
            reason = metric + " " + round(candidate) + (lowerIsBetter ? " is above the maximum " : " is below the minimum ") + gate.minimum();
        } else if (champion != null && (lowerIsBetter ? candidate > champion + gate.tolerance() : candidate < champion - gate.tolerance())) {
            passed = false;
            reason = metric + " " + round(candidate) + " is worse than the champion's " + round(champion)
                    + " on the same held-out rows (tolerance " + gate.tolerance() + ")";
        } else {
            passed = true;
            reason = metric + " " + round(candidate) + (champion == null ? " (no champion)" : " vs champion " + round(champion));
        }
        if (version.status() == VersionStatus.TRAINED && !passed) {
            registry.reject(ref.model(), ref.version(), Change.by(actor, "quality gate: " + reason));
        }
        return new GateVerdict(passed, metric, candidate, champion, reason, approval);
    }

    /** Automatic approval after a passed gate. */
    public ModelVersion approve(VersionRef ref) {
        return registry.approve(ref.model(), ref.version(), Change.by(actor, "approved automatically by policy"));
    }

    /**
     * Manual approval: the version waits in PENDING_APPROVAL and the workflow's task token is kept beside it, so
     * whoever approves or rejects it later can resume the workflow ({@link Approvals}).
     */
    public ModelVersion requestApproval(ApprovalRequest request) {
        ModelVersion version = registry.transition(request.model(), request.version(), VersionStatus.PENDING_APPROVAL,
                Change.by(actor, "waiting for manual approval"));
        artifacts.put(Approvals.tokenKey(request.model(), request.version()),
                Json.write(Map.of("taskToken", request.taskToken())).getBytes(StandardCharsets.UTF_8));
        return version;
    }

    /**
     * Records a pipeline failure on the candidate: TRAINING → FAILED; a candidate that trained but failed later
     * (gate or approval step) is REJECTED instead, since FAILED means "never trained". Serving is not touched.
     */
    public ModelVersion markFailed(FailureRequest request) {
        ModelVersion version = registry.version(request.model(), request.version());
        String why = describe(request.error());
        return switch (version.status()) {
            case TRAINING -> registry.recordFailed(request.model(), request.version(), Change.by(actor, why));
            case TRAINED, PENDING_APPROVAL -> registry.reject(request.model(), request.version(),
                    Change.by(actor, "pipeline failed after training: " + why));
            default -> version;
        };
    }

    private Optional<ModelVersion> findByJob(String model, String jobName) {
        String token = null;
        do {
            Page<ModelVersion> page = registry.versions(model, null, new PageRequest(token, PageRequest.MAX_LIMIT));
            for (ModelVersion v : page.items()) {
                if (jobName.equals(v.lineage().jobId())) {
                    return Optional.of(v);
                }
            }
            token = page.nextToken();
        } while (token != null);
        return Optional.empty();
    }

    /** Where the job writes its raw output and checkpoints: {@code models/{model}/versions/{n}/training/}. */
    static String trainingPrefix(String model, int version) {
        return ArtifactKeys.versionPrefix(model, version) + "training/";
    }

    /** SageMaker job names: at most 63 characters of {@code [a-zA-Z0-9-]}, unique per account and region. */
    static String jobName(String model, String executionId) {
        String suffix = Hashing.sha256Hex(executionId).substring(0, 12);
        String head = model.length() > 46 ? model.substring(0, 46) : model;
        return "mc-" + head + "-" + suffix;
    }

    private Map<String, Object> channel(String name, String key, String contentType) {
        return Map.of("ChannelName", name, "ContentType", contentType, "DataSource", Map.of("S3DataSource", Map.of(
                "S3DataType", "S3Prefix", "S3Uri", S3Uris.uri(settings.artifactBucket(), key),
                "S3DataDistributionType", "FullyReplicated")));
    }

    private StoredObject copy(String from, String to) {
        try (InputStream in = artifacts.open(from)) {
            return artifacts.put(to, in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from, e);
        }
    }

    private Map<String, String> extract(String archiveKey, String model, int version) {
        Map<String, String> keys = new LinkedHashMap<>();
        try (InputStream in = artifacts.open(archiveKey); TarGzReader tar = new TarGzReader(in)) {
            for (TarGzReader.Entry entry = tar.next(); entry != null; entry = tar.next()) {
                String file = entry.name().contains("/") ? entry.name().substring(entry.name().lastIndexOf('/') + 1) : entry.name();
                if (EXTRACTED.contains(file)) {
                    String key = ArtifactKeys.versionFile(model, version, file);
                    artifacts.put(key, entry.content());
                    keys.put(file, key);
                }
            }
            in.transferTo(java.io.OutputStream.nullOutputStream()); // read to the end so the SHA-256 is verified
        } catch (IOException e) {
            throw new ValidationException("modelArtifacts", "'" + archiveKey + "' is not a readable .tar.gz: " + e.getMessage());
        }
        return keys;
    }

    static String defaultMetric(Task task) {
        return switch (task) {
            case BINARY_CLASSIFICATION -> "roc_auc";
            case MULTICLASS_CLASSIFICATION -> "macro_f1";
            case REGRESSION -> "rmse";
        };
    }

    private static String describe(Map<String, Object> error) {
        if (error == null) {
            return "unknown error";
        }
        String text = error.getOrDefault("Error", "error") + ": " + error.getOrDefault("Cause", "");
        return text.length() > 1900 ? text.substring(0, 1900) + "…" : text;
    }

    private static String round(double value) {
        return String.format(java.util.Locale.ROOT, "%.4f", value);
    }
}
