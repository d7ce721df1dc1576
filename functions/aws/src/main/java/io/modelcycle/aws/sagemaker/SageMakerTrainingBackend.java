package io.modelcycle.aws.sagemaker;

import io.modelcycle.aws.AwsErrors;
import io.modelcycle.core.ModelCycleException;
import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.StoreException;
import io.modelcycle.core.TransientException;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.training.TrainingBackend;
import io.modelcycle.core.training.TrainingJobSpec;
import io.modelcycle.core.training.TrainingJobState;
import io.modelcycle.core.training.TrainingJobStatus;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.Channel;
import software.amazon.awssdk.services.sagemaker.model.CheckpointConfig;
import software.amazon.awssdk.services.sagemaker.model.CreateTrainingJobRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.ResourceInUseException;
import software.amazon.awssdk.services.sagemaker.model.ResourceLimitExceededException;
import software.amazon.awssdk.services.sagemaker.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sagemaker.model.S3DataDistribution;
import software.amazon.awssdk.services.sagemaker.model.S3DataType;
import software.amazon.awssdk.services.sagemaker.model.SecondaryStatusTransition;
import software.amazon.awssdk.services.sagemaker.model.Tag;
import software.amazon.awssdk.services.sagemaker.model.TrainingInputMode;

/**
 * Runs training jobs on SageMaker: {@code CreateTrainingJob} in the training image (File input mode, every channel an
 * S3 prefix copied whole to each instance), {@code DescribeTrainingJob} mapped onto {@link TrainingJobStatus},
 * {@code StopTrainingJob}. The job id is the job name.
 *
 * <p>Locations in the spec are {@code s3://} URIs; when the backend has a default bucket, a location without a scheme
 * is a key (prefix) in that bucket, so the same spec as for the embedded backend's artifact store works here.
 *
 * <p>Errors, besides those of {@link TrainingBackend}: a spec without {@code role} is a
 * {@link ValidationException} on {@code role}; SageMaker's own refusal of a request ({@code ValidationException}) is
 * one on {@code trainingJob}, with SageMaker's words; a job SageMaker does not know is a {@link NotFoundException}
 * (SageMaker says so with {@code ResourceNotFound} or with a {@code ValidationException} "not found", depending on the
 * operation); throttling, 5xx and a full instance quota ({@code ResourceLimitExceeded}) are {@link TransientException}.
 * The SDK exception is always kept as the cause.
 */
public final class SageMakerTrainingBackend implements TrainingBackend {

    /** How SageMaker (and moto) word a missing job in a ValidationException. */
    private static final Pattern NOT_FOUND = Pattern.compile("(?i).*(not found|could not find|does not exist).*",
            Pattern.DOTALL);

    private final SageMakerClient sageMaker;
    private final String defaultBucket;

    /** Every location in a spec must be an {@code s3://} URI. */
    public SageMakerTrainingBackend(SageMakerClient sageMaker) {
        this(sageMaker, null);
    }

    /** Locations without a scheme are keys in {@code defaultBucket} (null: none, URIs only). */
    public SageMakerTrainingBackend(SageMakerClient sageMaker, String defaultBucket) {
        this.sageMaker = Objects.requireNonNull(sageMaker, "sageMaker");
        if (defaultBucket != null && (defaultBucket.isBlank() || defaultBucket.contains("/"))) {
            throw new ValidationException("defaultBucket", "'" + defaultBucket + "' is not a bucket name");
        }
        this.defaultBucket = defaultBucket;
    }

    @Override
    public String start(TrainingJobSpec spec) {
        Objects.requireNonNull(spec, "spec");
        CreateTrainingJobRequest request = request(spec);
        // Real SageMaker refuses a second job of the same name (ResourceInUse, handled below); look first anyway, so
        // that a retried start costs no failed create and behaves the same on emulators that overwrite instead.
        if (exists(spec.jobName())) {
            return spec.jobName();
        }
        try {
            sageMaker.createTrainingJob(request);
        } catch (ResourceInUseException e) {
            // Another caller started it between our look and our create: theirs is ours.
        } catch (RuntimeException e) {
            throw translate("starting SageMaker training job " + spec.jobName(), e);
        }
        return spec.jobName();
    }

    @Override
    public TrainingJobStatus describe(String jobId) {
        return status(describeRaw(jobId));
    }

    @Override
    public void stop(String jobId) {
        if (describe(jobId).isTerminal()) {
            return;
        }
        try {
            sageMaker.stopTrainingJob(r -> r.trainingJobName(jobId));
        } catch (RuntimeException e) {
            // SageMaker refuses to stop a job that ended meanwhile; that is the outcome the caller wanted.
            if (isValidation(e) && describe(jobId).isTerminal()) {
                return;
            }
            throw translate("stopping SageMaker training job " + jobId, e);
        }
    }

    /** The CreateTrainingJob request for {@code spec}; package-private so tests can compare it with what SageMaker echoes. */
    CreateTrainingJobRequest request(TrainingJobSpec spec) {
        if (spec.role() == null) {
            throw new ValidationException("role", "SageMaker needs the ARN of the IAM role the job runs as");
        }
        List<Channel> channels = spec.inputChannels().entrySet().stream()
                .map(channel -> Channel.builder()
                        .channelName(channel.getKey())
                        .dataSource(source -> source.s3DataSource(s3 -> s3
                                .s3DataType(S3DataType.S3_PREFIX)
                                .s3Uri(s3Uri(channel.getValue(), "inputChannels." + channel.getKey()))
                                .s3DataDistributionType(S3DataDistribution.FULLY_REPLICATED)))
                        .build())
                .toList();
        List<Tag> tags = spec.tags().entrySet().stream()
                .map(tag -> Tag.builder().key(tag.getKey()).value(tag.getValue()).build())
                .toList();
        return CreateTrainingJobRequest.builder()
                .trainingJobName(spec.jobName())
                .algorithmSpecification(algorithm -> algorithm
                        .trainingImage(spec.image())
                        .trainingInputMode(TrainingInputMode.FILE))
                .roleArn(spec.role())
                .inputDataConfig(channels)
                .outputDataConfig(output -> output.s3OutputPath(s3Uri(spec.outputPath(), "outputPath")))
                .resourceConfig(resources -> resources
                        .instanceType(spec.instanceType())
                        .instanceCount(spec.instanceCount())
                        .volumeSizeInGB(spec.volumeGb()))
                .stoppingCondition(stopping -> stopping
                        .maxRuntimeInSeconds(Math.toIntExact(spec.maxRuntime().toSeconds()))
                        .maxWaitTimeInSeconds(spec.maxWait() == null ? null : Math.toIntExact(spec.maxWait().toSeconds())))
                .enableManagedSpotTraining(spec.managedSpot())
                .checkpointConfig(spec.checkpointUri() == null ? null
                        : CheckpointConfig.builder().s3Uri(s3Uri(spec.checkpointUri(), "checkpointUri")).build())
                .hyperParameters(spec.hyperparameters().isEmpty() ? null : spec.hyperparameters())
                .tags(tags.isEmpty() ? null : tags)
                .build();
    }

    private String s3Uri(String location, String field) {
        if (location.startsWith("s3://")) {
            if (location.length() <= "s3://".length() || location.charAt("s3://".length()) == '/') {
                throw new ValidationException(field, "'" + location + "' names no bucket");
            }
            return location;
        }
        if (location.contains("://")) {
            throw new ValidationException(field, "'" + location + "' is not an s3:// URI; SageMaker reads and writes S3 only");
        }
        if (defaultBucket == null) {
            throw new ValidationException(field, "'" + location + "' is not an s3:// URI and this backend has no default"
                    + " bucket to read it as a key in");
        }
        return "s3://" + defaultBucket + "/" + (location.startsWith("/") ? location.substring(1) : location);
    }

    private boolean exists(String jobName) {
        try {
            describeRaw(jobName);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private DescribeTrainingJobResponse describeRaw(String jobId) {
        if (jobId == null || !TrainingJobSpec.JOB_NAME.matcher(jobId).matches()) {
            throw new ValidationException("jobId", "'" + jobId + "' is not a SageMaker training job name");
        }
        try {
            return sageMaker.describeTrainingJob(r -> r.trainingJobName(jobId));
        } catch (RuntimeException e) {
            throw translate("describing SageMaker training job " + jobId, e);
        }
    }

    static TrainingJobStatus status(DescribeTrainingJobResponse job) {
        var raw = job.trainingJobStatus();
        boolean unknown = raw == null || raw == software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus.UNKNOWN_TO_SDK_VERSION;
        TrainingJobState state = unknown ? TrainingJobState.IN_PROGRESS : switch (raw) {
            case COMPLETED -> TrainingJobState.COMPLETED;
            case FAILED -> TrainingJobState.FAILED;
            case STOPPING -> TrainingJobState.STOPPING;
            case STOPPED -> TrainingJobState.STOPPED;
            default -> TrainingJobState.IN_PROGRESS;
        };
        StringBuilder message = new StringBuilder();
        if (unknown) {
            // A status newer than this SDK: still running as far as callers can tell, and the message names it.
            message.append("status ").append(job.trainingJobStatusAsString()).append("; ");
        }
        if (job.secondaryStatusAsString() != null) {
            message.append(job.secondaryStatusAsString());
        }
        if (job.hasSecondaryStatusTransitions() && !job.secondaryStatusTransitions().isEmpty()) {
            SecondaryStatusTransition last = job.secondaryStatusTransitions().get(job.secondaryStatusTransitions().size() - 1);
            if (last.statusMessage() != null && !last.statusMessage().isBlank()) {
                message.append(message.length() > 0 ? ": " : "").append(last.statusMessage());
            }
        }
        String failure = job.failureReason();
        if (state == TrainingJobState.FAILED && (failure == null || failure.isBlank())) {
            failure = "SageMaker reported the job failed without a reason";
        } else if (state != TrainingJobState.FAILED && failure != null && !failure.isBlank()) {
            // A stopped job can carry a reason too (e.g. the maximum wait ran out); keep it where callers will see it.
            message.append(message.length() > 0 ? " (" : "(").append(failure).append(')');
            failure = null;
        }
        String artifact = job.modelArtifacts() == null ? null : job.modelArtifacts().s3ModelArtifacts();
        if (state == TrainingJobState.COMPLETED && (artifact == null || artifact.isBlank())) {
            throw new StoreException("SageMaker reports training job " + job.trainingJobName()
                    + " completed but names no model artifact", null);
        }
        return new TrainingJobStatus(job.trainingJobName(), state, message.length() == 0 ? null : message.toString(),
                failure, artifact, job.trainingStartTime() != null ? job.trainingStartTime() : job.creationTime(),
                job.trainingEndTime(), job.billableTimeInSeconds() == null ? null : job.billableTimeInSeconds().longValue());
    }

    private static boolean isValidation(RuntimeException e) {
        return e instanceof AwsServiceException service && service.awsErrorDetails() != null
                && "ValidationException".equals(service.awsErrorDetails().errorCode());
    }

    private static ModelCycleException translate(String what, RuntimeException e) {
        if (e instanceof ResourceNotFoundException
                || isValidation(e) && NOT_FOUND.matcher(String.valueOf(e.getMessage())).matches()) {
            return withCause(new NotFoundException(what + ": SageMaker has no such job ("
                    + ((AwsServiceException) e).awsErrorDetails().errorMessage() + ")"), e);
        }
        if (e instanceof ResourceLimitExceededException limit) {
            return new TransientException(what + ": a SageMaker quota is reached ("
                    + limit.awsErrorDetails().errorMessage() + "); retry when other jobs end, or raise the quota", e);
        }
        if (isValidation(e)) {
            return withCause(new ValidationException("trainingJob", "SageMaker refused " + what + ": "
                    + ((AwsServiceException) e).awsErrorDetails().errorMessage()), e);
        }
        return AwsErrors.translate(what, e);
    }

    /** The domain exceptions without a cause constructor still keep the SDK's exception. */
    private static <T extends ModelCycleException> T withCause(T domain, Throwable cause) {
        domain.initCause(cause);
        return domain;
    }
}
