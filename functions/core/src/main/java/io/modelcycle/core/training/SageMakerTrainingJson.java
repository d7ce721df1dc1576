package io.modelcycle.core.training;

import io.modelcycle.core.ValidationException;
import io.modelcycle.core.ValidationException.FieldError;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SageMaker's training job JSON as Step Functions' {@code arn:aws:states:::sagemaker:createTrainingJob.sync} task
 * passes and returns it: the {@code CreateTrainingJob} parameters in, the {@code DescribeTrainingJob} result out. With
 * these the local runtime binds that very task of the training-pipeline state machine to any {@link TrainingBackend}
 * (the embedded one), so the ASL file is the same on AWS and on one machine.
 *
 * <p>Only what {@link TrainingJobSpec} can express is accepted: File input mode, S3-prefix channels; any other field
 * ({@code VpcConfig}, {@code Environment}, …) is refused by name rather than silently dropped, so a state machine
 * that relies on it fails locally as loudly as it would behave differently on AWS.
 */
public final class SageMakerTrainingJson {

    private static final Set<String> KNOWN = Set.of("TrainingJobName", "AlgorithmSpecification", "RoleArn",
            "HyperParameters", "InputDataConfig", "OutputDataConfig", "ResourceConfig", "StoppingCondition",
            "EnableManagedSpotTraining", "CheckpointConfig", "Tags");

    private SageMakerTrainingJson() {
    }

    /**
     * The spec of a {@code CreateTrainingJob} request. Throws a {@link ValidationException} whose field errors name
     * SageMaker's fields, e.g. {@code InputDataConfig[1].DataSource.S3DataSource.S3Uri}.
     */
    public static TrainingJobSpec spec(Map<String, ?> request) {
        if (request == null) {
            throw new ValidationException("CreateTrainingJob", "the request is required");
        }
        List<FieldError> errors = new ArrayList<>();
        for (String key : request.keySet()) {
            if (!KNOWN.contains(key)) {
                errors.add(new FieldError(key, "is not supported by ModelCycle's training backends (supported: "
                        + String.join(", ", KNOWN.stream().sorted().toList()) + ")"));
            }
        }
        Reader in = new Reader(errors);
        Map<String, ?> algorithm = in.object(request, "AlgorithmSpecification", true);
        String image = in.string(algorithm, "AlgorithmSpecification.TrainingImage", true);
        String mode = in.string(algorithm, "AlgorithmSpecification.TrainingInputMode", false);
        if (mode != null && !mode.equals("File")) {
            errors.add(new FieldError("AlgorithmSpecification.TrainingInputMode", "only File is supported, got '" + mode + "'"));
        }
        Map<String, String> hyperparameters = new LinkedHashMap<>();
        Map<String, ?> hyper = in.object(request, "HyperParameters", false);
        (hyper == null ? Map.<String, Object>of() : hyper).forEach((name, value) -> {
            if (value instanceof String text) {
                hyperparameters.put(name, text);
            } else {
                errors.add(new FieldError("HyperParameters." + name, "must be a string (SageMaker passes every value as one), got "
                        + describe(value)));
            }
        });
        Map<String, String> channels = new LinkedHashMap<>();
        List<?> inputs = in.list(request, "InputDataConfig");
        for (int i = 0; i < inputs.size(); i++) {
            String at = "InputDataConfig[" + i + "]";
            Map<String, ?> channel = in.asObject(inputs.get(i), at);
            String name = in.string(channel, at + ".ChannelName", true);
            Map<String, ?> s3 = in.object(in.object(channel, at + ".DataSource", true), at + ".DataSource.S3DataSource", true);
            String uri = in.string(s3, at + ".DataSource.S3DataSource.S3Uri", true);
            String type = in.string(s3, at + ".DataSource.S3DataSource.S3DataType", false);
            if (type != null && !type.equals("S3Prefix")) {
                errors.add(new FieldError(at + ".DataSource.S3DataSource.S3DataType", "only S3Prefix is supported, got '" + type + "'"));
            }
            if (name != null && uri != null && channels.put(name, uri) != null) {
                errors.add(new FieldError(at + ".ChannelName", "channel '" + name + "' is given twice"));
            }
        }
        String output = in.string(in.object(request, "OutputDataConfig", true), "OutputDataConfig.S3OutputPath", true);
        Map<String, ?> resources = in.object(request, "ResourceConfig", false);
        Map<String, ?> stopping = in.object(request, "StoppingCondition", false);
        Long maxRuntime = in.number(stopping, "StoppingCondition.MaxRuntimeInSeconds");
        Long maxWait = in.number(stopping, "StoppingCondition.MaxWaitTimeInSeconds");
        Map<String, String> tags = new LinkedHashMap<>();
        List<?> tagList = in.list(request, "Tags");
        for (int i = 0; i < tagList.size(); i++) {
            Map<String, ?> tag = in.asObject(tagList.get(i), "Tags[" + i + "]");
            String key = in.string(tag, "Tags[" + i + "].Key", true);
            String value = in.string(tag, "Tags[" + i + "].Value", true);
            if (key != null && value != null) {
                tags.put(key, value);
            }
        }
        Object spot = request.get("EnableManagedSpotTraining");
        if (spot != null && !(spot instanceof Boolean)) {
            errors.add(new FieldError("EnableManagedSpotTraining", "must be true or false, got " + describe(spot)));
        }
        String checkpoint = in.string(in.object(request, "CheckpointConfig", false), "CheckpointConfig.S3Uri", false);
        Long count = in.number(resources, "ResourceConfig.InstanceCount");
        Long volume = in.number(resources, "ResourceConfig.VolumeSizeInGB");
        String instanceType = in.string(resources, "ResourceConfig.InstanceType", false);
        String jobName = in.string(request, "TrainingJobName", true);
        String role = in.string(request, "RoleArn", false);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return new TrainingJobSpec(jobName, image, role, instanceType, count == null ? 1 : Math.toIntExact(count),
                volume == null ? TrainingJobSpec.DEFAULT_VOLUME_GB : Math.toIntExact(volume),
                maxRuntime == null ? null : Duration.ofSeconds(maxRuntime), Boolean.TRUE.equals(spot), checkpoint,
                maxWait == null ? null : Duration.ofSeconds(maxWait), channels, hyperparameters, output, tags);
    }

    /**
     * The job as {@code DescribeTrainingJob} reports it: {@code TrainingJobName}, {@code TrainingJobStatus}
     * ({@code InProgress}, {@code Completed}, {@code Failed}, {@code Stopping}, {@code Stopped}), {@code SecondaryStatus},
     * {@code FailureReason}, {@code ModelArtifacts.S3ModelArtifacts}, {@code TrainingStartTime} and
     * {@code TrainingEndTime} (epoch milliseconds, as Step Functions renders SageMaker's timestamps),
     * {@code BillableTimeInSeconds}, and the latest progress message as the last {@code SecondaryStatusTransitions}
     * entry's {@code StatusMessage}. Absent values are left out.
     */
    public static Map<String, Object> description(TrainingJobStatus status) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("TrainingJobName", status.jobId());
        String secondary = switch (status.state()) {
            case IN_PROGRESS -> "Training";
            case COMPLETED -> "Completed";
            case FAILED -> "Failed";
            case STOPPING -> "Stopping";
            case STOPPED -> status.message() != null && status.message().startsWith("MaxRuntimeExceeded")
                    ? "MaxRuntimeExceeded" : "Stopped";
        };
        out.put("TrainingJobStatus", switch (status.state()) {
            case IN_PROGRESS -> "InProgress";
            case COMPLETED -> "Completed";
            case FAILED -> "Failed";
            case STOPPING -> "Stopping";
            case STOPPED -> "Stopped";
        });
        out.put("SecondaryStatus", secondary);
        if (status.failureReason() != null) {
            out.put("FailureReason", status.failureReason());
        }
        if (status.modelArtifact() != null) {
            out.put("ModelArtifacts", Map.of("S3ModelArtifacts", status.modelArtifact()));
        }
        putTime(out, "TrainingStartTime", status.startedAt());
        putTime(out, "TrainingEndTime", status.endedAt());
        if (status.billableSeconds() != null) {
            out.put("BillableTimeInSeconds", status.billableSeconds());
        }
        if (status.message() != null) {
            out.put("SecondaryStatusTransitions", List.of(Map.of("Status", secondary, "StatusMessage", status.message())));
        }
        return out;
    }

    private static void putTime(Map<String, Object> out, String name, Instant at) {
        if (at != null) {
            out.put(name, at.toEpochMilli());
        }
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName() + " " + value;
    }

    /** Typed reads of the JSON tree that record a field error instead of throwing, so every mistake is reported at once. */
    private record Reader(List<FieldError> errors) {

        /** Null when absent (an error if required); a missing parent is reported once, not once per child. */
        Map<String, ?> object(Map<String, ?> parent, String path, boolean required) {
            Object value = parent == null ? null : parent.get(last(path));
            if (value == null) {
                if (required && parent != null) {
                    errors.add(new FieldError(path, "is required"));
                }
                return null;
            }
            return asObject(value, path);
        }

        @SuppressWarnings("unchecked")
        Map<String, ?> asObject(Object value, String path) {
            if (value instanceof Map<?, ?> map) {
                return (Map<String, ?>) map;
            }
            errors.add(new FieldError(path, "must be an object, got " + describe(value)));
            return null;
        }

        List<?> list(Map<String, ?> parent, String path) {
            Object value = parent == null ? null : parent.get(last(path));
            if (value == null) {
                return List.of();
            }
            if (value instanceof List<?> list) {
                return list;
            }
            errors.add(new FieldError(path, "must be a list, got " + describe(value)));
            return List.of();
        }

        String string(Map<String, ?> parent, String path, boolean required) {
            Object value = parent == null ? null : parent.get(last(path));
            if (value == null) {
                if (required && parent != null) {
                    errors.add(new FieldError(path, "is required"));
                }
                return null;
            }
            if (value instanceof String text) {
                return text;
            }
            errors.add(new FieldError(path, "must be a string, got " + describe(value)));
            return null;
        }

        Long number(Map<String, ?> parent, String path) {
            Object value = parent == null ? null : parent.get(last(path));
            if (value == null) {
                return null;
            }
            if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                    && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
                return n.longValue();
            }
            errors.add(new FieldError(path, "must be a whole number, got " + describe(value)));
            return null;
        }

        private static String last(String path) {
            return path.substring(path.lastIndexOf('.') + 1);
        }
    }
}
