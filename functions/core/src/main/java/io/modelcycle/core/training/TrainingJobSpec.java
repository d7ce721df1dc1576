package io.modelcycle.core.training;

import io.modelcycle.core.ValidationException;
import io.modelcycle.core.ValidationException.FieldError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Everything needed to start one training job. The limits checked here are SageMaker's, so a spec that passes is
 * one SageMaker accepts; the embedded backend runs the same spec and ignores what has no meaning on one machine
 * (role, instance type and count, volume, spot).
 *
 * <p>Locations ({@code inputChannels} values, {@code outputPath}, {@code checkpointUri}) are in the backend's terms:
 * {@code s3://bucket/prefix} URIs for SageMaker, artifact-store keys or key prefixes for the embedded backend (the
 * SageMaker adapter also accepts keys when it is given a default bucket).
 *
 * @param jobName         unique name, {@code [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}}; starting the same name twice returns the same job
 * @param image           the training image URI ({@code local} or any label for the embedded backend)
 * @param role            the IAM role ARN SageMaker assumes; null when the backend needs none
 * @param instanceType    the SageMaker instance type, default {@value #DEFAULT_INSTANCE_TYPE}
 * @param instanceCount   instances, at least 1, default 1
 * @param volumeGb        ML storage volume per instance in GB, at least 1, default {@value #DEFAULT_VOLUME_GB}
 * @param maxRuntime      the job is stopped after this long, whole seconds, 1 s to 28 days, default 1 day
 * @param managedSpot     run on spot capacity (cheaper, may be interrupted and resumed from the checkpoint)
 * @param checkpointUri   where the trainer's {@code /opt/ml/checkpoints} is synchronised; null for none
 * @param maxWait         spot only: the longest the job may take including waits for capacity, at least
 *                        {@code maxRuntime}; defaults to twice {@code maxRuntime} when spot is on, null otherwise
 * @param inputChannels   channel name ({@code [A-Za-z0-9._-]{1,64}}) to data location, at least one
 * @param hyperparameters name to value, all strings as SageMaker passes them; at most 100
 * @param outputPath      where the job's outputs go
 * @param tags            labels on the job, at most 50; keys may not start with {@code aws:}
 */
public record TrainingJobSpec(String jobName, String image, String role, String instanceType, int instanceCount,
                              int volumeGb, Duration maxRuntime, boolean managedSpot, String checkpointUri,
                              Duration maxWait, Map<String, String> inputChannels, Map<String, String> hyperparameters,
                              String outputPath, Map<String, String> tags) {

    public static final String DEFAULT_INSTANCE_TYPE = "ml.g5.xlarge";
    public static final int DEFAULT_VOLUME_GB = 30;
    public static final Duration DEFAULT_MAX_RUNTIME = Duration.ofDays(1);
    public static final Duration LONGEST_RUNTIME = Duration.ofDays(28);

    public static final Pattern JOB_NAME = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
    public static final Pattern CHANNEL_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern INSTANCE_TYPE = Pattern.compile("ml\\.[a-z0-9-]+\\.[a-z0-9]+");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@/-]+");

    public TrainingJobSpec {
        List<FieldError> errors = new ArrayList<>();
        if (jobName == null || !JOB_NAME.matcher(jobName).matches()) {
            errors.add(new FieldError("jobName", "'" + jobName + "' must be 1 to 63 letters, digits and inner hyphens ("
                    + JOB_NAME.pattern() + ")"));
        }
        if (image == null || image.isBlank() || image.length() > 255) {
            errors.add(new FieldError("image", "is required, at most 255 characters"));
        }
        if (role != null && !ROLE_ARN.matcher(role).matches()) {
            errors.add(new FieldError("role", "'" + role + "' is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)"));
        }
        instanceType = instanceType == null ? DEFAULT_INSTANCE_TYPE : instanceType;
        if (!INSTANCE_TYPE.matcher(instanceType).matches()) {
            errors.add(new FieldError("instanceType", "'" + instanceType + "' is not a SageMaker instance type such as "
                    + DEFAULT_INSTANCE_TYPE));
        }
        if (instanceCount < 1) {
            errors.add(new FieldError("instanceCount", "must be at least 1, was " + instanceCount));
        }
        if (volumeGb < 1) {
            errors.add(new FieldError("volumeGb", "must be at least 1, was " + volumeGb));
        }
        maxRuntime = maxRuntime == null ? DEFAULT_MAX_RUNTIME : maxRuntime;
        checkSeconds("maxRuntime", maxRuntime, errors);
        if (managedSpot) {
            maxWait = maxWait == null ? maxRuntime.multipliedBy(2) : maxWait;
            checkSeconds("maxWait", maxWait, errors);
            if (maxWait.compareTo(maxRuntime) < 0) {
                errors.add(new FieldError("maxWait", "must be at least maxRuntime (" + maxRuntime + "), was " + maxWait));
            }
        } else if (maxWait != null) {
            errors.add(new FieldError("maxWait", "applies only to managed spot training; set managedSpot or leave it out"));
        }
        if (checkpointUri != null && checkpointUri.isBlank()) {
            errors.add(new FieldError("checkpointUri", "must not be blank; leave it out for no checkpoints"));
        }
        inputChannels = sorted("inputChannels", inputChannels);
        if (inputChannels.isEmpty()) {
            errors.add(new FieldError("inputChannels", "at least one channel is required, e.g. train"));
        }
        inputChannels.forEach((name, location) -> {
            if (!CHANNEL_NAME.matcher(name).matches()) {
                errors.add(new FieldError("inputChannels", "channel name '" + name + "' must match " + CHANNEL_NAME.pattern()));
            } else if (location == null || location.isBlank()) {
                errors.add(new FieldError("inputChannels." + name, "needs a data location"));
            }
        });
        hyperparameters = sorted("hyperparameters", hyperparameters);
        if (hyperparameters.size() > 100) {
            errors.add(new FieldError("hyperparameters", "at most 100 are allowed, got " + hyperparameters.size()));
        }
        hyperparameters.forEach((name, value) -> {
            if (name.isBlank() || name.length() > 256) {
                errors.add(new FieldError("hyperparameters", "name '" + name + "' must be 1 to 256 characters"));
            } else if (value == null || value.length() > 2500) {
                errors.add(new FieldError("hyperparameters." + name, "needs a value of at most 2500 characters"));
            }
        });
        if (outputPath == null || outputPath.isBlank()) {
            errors.add(new FieldError("outputPath", "is required: where the model artifact goes"));
        }
        tags = sorted("tags", tags);
        if (tags.size() > 50) {
            errors.add(new FieldError("tags", "at most 50 are allowed, got " + tags.size()));
        }
        tags.forEach((key, value) -> {
            if (key.isEmpty() || key.length() > 128 || key.startsWith("aws:")) {
                errors.add(new FieldError("tags", "key '" + key + "' must be 1 to 128 characters, not starting with aws:"));
            } else if (value == null || value.length() > 256) {
                errors.add(new FieldError("tags." + key, "needs a value of at most 256 characters"));
            }
        });
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private static void checkSeconds(String field, Duration value, List<FieldError> errors) {
        if (value.compareTo(Duration.ofSeconds(1)) < 0 || value.compareTo(LONGEST_RUNTIME) > 0) {
            errors.add(new FieldError(field, "must be between 1 second and 28 days, was " + value));
        } else if (value.getNano() != 0) {
            errors.add(new FieldError(field, "must be whole seconds, was " + value));
        }
    }

    /** Null-safe, ordered (so requests and files built from it are stable) and unmodifiable; null values are kept for the checks. */
    private static Map<String, String> sorted(String field, Map<String, String> map) {
        Map<String, String> copy = new TreeMap<>();
        if (map != null) {
            for (Map.Entry<String, String> entry : map.entrySet()) {
                if (entry.getKey() == null) {
                    throw new ValidationException(field, "a name must not be null");
                }
                copy.put(entry.getKey(), entry.getValue());
            }
        }
        return Collections.unmodifiableMap(copy);
    }

    /** Wide configuration, DJL style: {@code set*} are required, {@code opt*} optional. */
    public static final class Builder {
        private String jobName;
        private String image;
        private String role;
        private String instanceType;
        private int instanceCount = 1;
        private int volumeGb = DEFAULT_VOLUME_GB;
        private Duration maxRuntime;
        private boolean managedSpot;
        private String checkpointUri;
        private Duration maxWait;
        private final Map<String, String> inputChannels = new LinkedHashMap<>();
        private final Map<String, String> hyperparameters = new LinkedHashMap<>();
        private String outputPath;
        private final Map<String, String> tags = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder setJobName(String jobName) {
            this.jobName = jobName;
            return this;
        }

        public Builder setImage(String image) {
            this.image = image;
            return this;
        }

        public Builder setOutputPath(String outputPath) {
            this.outputPath = outputPath;
            return this;
        }

        /** Adds (or replaces) one input channel; at least one is required. */
        public Builder setInputChannel(String name, String location) {
            inputChannels.put(name, location);
            return this;
        }

        public Builder optRole(String role) {
            this.role = role;
            return this;
        }

        public Builder optInstanceType(String instanceType) {
            this.instanceType = instanceType;
            return this;
        }

        public Builder optInstanceCount(int instanceCount) {
            this.instanceCount = instanceCount;
            return this;
        }

        public Builder optVolumeGb(int volumeGb) {
            this.volumeGb = volumeGb;
            return this;
        }

        public Builder optMaxRuntime(Duration maxRuntime) {
            this.maxRuntime = maxRuntime;
            return this;
        }

        /** Runs on managed spot capacity, waiting at most {@code maxWait} in all (null: twice the max runtime). */
        public Builder optManagedSpot(Duration maxWait) {
            this.managedSpot = true;
            this.maxWait = maxWait;
            return this;
        }

        public Builder optCheckpointUri(String checkpointUri) {
            this.checkpointUri = checkpointUri;
            return this;
        }

        public Builder optHyperparameter(String name, String value) {
            hyperparameters.put(name, value);
            return this;
        }

        public Builder optHyperparameters(Map<String, String> values) {
            hyperparameters.putAll(values);
            return this;
        }

        public Builder optTag(String key, String value) {
            tags.put(key, value);
            return this;
        }

        public TrainingJobSpec build() {
            return new TrainingJobSpec(jobName, image, role, instanceType, instanceCount, volumeGb, maxRuntime,
                    managedSpot, checkpointUri, maxWait, inputChannels, hyperparameters, outputPath, tags);
        }
    }
}
