package io.modelcycle.cdk;

import io.modelcycle.core.ValidationException;
import io.modelcycle.core.model.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What a user sets when deploying, read once from CDK context ({@code cdk deploy -c models=churn,fraud}) or, for
 * each key, from an environment variable ({@code MODELCYCLE_MODELS=churn,fraud}); context wins.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>context key</th><th>environment</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code account}</td><td>{@code CDK_DEFAULT_ACCOUNT}</td><td>none: environment-agnostic</td><td>AWS account</td></tr>
 *   <tr><td>{@code region}</td><td>{@code CDK_DEFAULT_REGION}</td><td>none: environment-agnostic</td><td>AWS region</td></tr>
 *   <tr><td>{@code models}</td><td>{@code MODELCYCLE_MODELS}</td><td>none</td><td>comma-separated model names; one drift alarm, alarm rule and daily drift check each</td></tr>
 *   <tr><td>{@code trainingImageTag}</td><td>{@code MODELCYCLE_TRAINING_IMAGE_TAG}</td><td>none: build {@code functions/training/Dockerfile}</td><td>use an image already pushed to ECR at this tag instead</td></tr>
 *   <tr><td>{@code trainingImageRepository}</td><td>{@code MODELCYCLE_TRAINING_IMAGE_REPOSITORY}</td><td>{@code modelcycle-training}</td><td>the ECR repository of that image</td></tr>
 *   <tr><td>{@code trainingInstanceType}</td><td>{@code MODELCYCLE_TRAINING_INSTANCE_TYPE}</td><td>{@code ml.g5.xlarge}</td><td>SageMaker training instance</td></tr>
 *   <tr><td>{@code predictAuth}</td><td>{@code MODELCYCLE_PREDICT_AUTH}</td><td>{@code IAM}</td><td>{@code IAM} or {@code NONE} on the predict routes</td></tr>
 *   <tr><td>{@code tableDeletionProtection}</td><td>{@code MODELCYCLE_TABLE_DELETION_PROTECTION}</td><td>{@code true}</td><td>DynamoDB deletion protection on the registry table</td></tr>
 *   <tr><td>{@code pytorchNativeSha256}</td><td>{@code MODELCYCLE_PYTORCH_NATIVE_SHA256}</td><td>none: natives in the package</td><td>SHA-256 of the PyTorch native archive inference fetches from the bucket at init</td></tr>
 *   <tr><td>{@code pytorchNativeKey}</td><td>{@code MODELCYCLE_PYTORCH_NATIVE_KEY}</td><td>{@value #DEFAULT_NATIVE_KEY}</td><td>its key; must be under {@code runtime/}, the only prefix inference may read besides {@code models/}</td></tr>
 *   <tr><td>{@code lambdaPackageDir}</td><td>{@code MODELCYCLE_LAMBDA_PACKAGE_DIR}</td><td>none: each module's {@code target/}</td><td>one folder holding every {@code modelcycle-<module>-lambda.zip}</td></tr>
 * </table>
 *
 * @param account                 empty for an environment-agnostic stack
 * @param region                  empty for an environment-agnostic stack
 * @param models                  distinct, valid model names, in the order given
 * @param trainingImageTag        empty to build the training image from its Dockerfile
 * @param trainingImageRepository the ECR repository used with {@code trainingImageTag}
 * @param trainingInstanceType    e.g. {@code ml.g5.xlarge}
 * @param predictAuthorization    authorisation of the predict routes
 * @param tableDeletionProtection whether the registry table refuses deletion
 * @param repoRoot                the repository root (holds {@code statemachines/} and {@code functions/})
 * @param lambdaPackageDir        empty to take each package from its module's {@code target/}
 * @param pytorchNative           the PyTorch native archive in the bucket (key, SHA-256), or empty
 */
public record StackConfig(Optional<String> account, Optional<String> region, List<String> models,
                          Optional<String> trainingImageTag, String trainingImageRepository,
                          String trainingInstanceType, PredictAuthorization predictAuthorization,
                          boolean tableDeletionProtection, Path repoRoot, Optional<Path> lambdaPackageDir,
                          Optional<NativeArchive> pytorchNative) {

    /**
     * The PyTorch native archive inference downloads from the artifact bucket at init, pinned by its SHA-256.
     *
     * @param key    under {@code runtime/}
     * @param sha256 64 lower-case hex digits
     */
    public record NativeArchive(String key, String sha256) {
        public NativeArchive {
            if (key == null || !key.startsWith(RUNTIME_PREFIX) || key.length() == RUNTIME_PREFIX.length()) {
                throw new IllegalArgumentException("pytorchNativeKey must be a key under " + RUNTIME_PREFIX
                        + " (the only prefix inference may read besides models/), got '" + key + "'");
            }
            if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("pytorchNativeSha256 must be 64 lower-case hex digits, got '"
                        + sha256 + "'");
            }
        }
    }

    public static final String RUNTIME_PREFIX = "runtime/";
    public static final String DEFAULT_NATIVE_KEY = "runtime/pytorch-native-cpu-2.7.1-linux-x86_64.jar";

    /** The same settings without a native archive, as most tests and first deployments use. */
    public StackConfig(Optional<String> account, Optional<String> region, List<String> models,
                       Optional<String> trainingImageTag, String trainingImageRepository, String trainingInstanceType,
                       PredictAuthorization predictAuthorization, boolean tableDeletionProtection, Path repoRoot,
                       Optional<Path> lambdaPackageDir) {
        this(account, region, models, trainingImageTag, trainingImageRepository, trainingInstanceType,
                predictAuthorization, tableDeletionProtection, repoRoot, lambdaPackageDir, Optional.empty());
    }


    public static final String DEFAULT_INSTANCE_TYPE = "ml.g5.xlarge";
    public static final String DEFAULT_IMAGE_REPOSITORY = "modelcycle-training";
    private static final Pattern INSTANCE_TYPE = Pattern.compile("ml\\.[a-z0-9]+\\.[a-z0-9]+");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final Pattern IMAGE_TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*");

    public StackConfig {
        account = account == null ? Optional.empty() : account;
        region = region == null ? Optional.empty() : region;
        account.ifPresent(a -> require(ACCOUNT.matcher(a).matches(), "account", "must be 12 digits, got '" + a + "'"));
        region.ifPresent(r -> require(REGION.matcher(r).matches(), "region", "must look like eu-west-1, got '" + r + "'"));
        Objects.requireNonNull(models, "models");
        List<String> names = new ArrayList<>();
        for (String model : models) {
            try {
                names.add(Model.requireName(model));
            } catch (ValidationException e) {
                throw new IllegalArgumentException("models: '" + model + "' is not a valid model name: " + e.getMessage(), e);
            }
        }
        require(new LinkedHashSet<>(names).size() == names.size(), "models", "lists a model twice: " + names);
        models = List.copyOf(names);
        trainingImageTag = trainingImageTag == null ? Optional.empty() : trainingImageTag;
        trainingImageTag.ifPresent(t -> require(IMAGE_TAG.matcher(t).matches(), "trainingImageTag",
                "must be a Docker tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}), got '" + t + "'"));
        require(trainingImageRepository != null && REPOSITORY.matcher(trainingImageRepository).matches(),
                "trainingImageRepository", "must be an ECR repository name, got '" + trainingImageRepository + "'");
        require(trainingInstanceType != null && INSTANCE_TYPE.matcher(trainingInstanceType).matches(),
                "trainingInstanceType", "must be a SageMaker instance type such as ml.g5.xlarge, got '"
                        + trainingInstanceType + "'");
        Objects.requireNonNull(predictAuthorization, "predictAuthorization");
        Objects.requireNonNull(repoRoot, "repoRoot");
        require(Files.isDirectory(repoRoot.resolve("statemachines")), "repoRoot",
                "'" + repoRoot.toAbsolutePath() + "' is not the ModelCycle repository root (no statemachines/ folder)");
        repoRoot = repoRoot.toAbsolutePath().normalize();
        lambdaPackageDir = lambdaPackageDir == null ? Optional.empty() : lambdaPackageDir.map(p -> p.toAbsolutePath().normalize());
        pytorchNative = pytorchNative == null ? Optional.empty() : pytorchNative;
    }

    /**
     * Reads every setting from {@code context} (CDK context values) and then {@code env}.
     *
     * @param context  e.g. {@code app.getNode()::tryGetContext}; returns null for an unset key
     * @param env      environment variables
     * @param repoRoot the repository root
     */
    public static StackConfig from(Function<String, Object> context, Map<String, String> env, Path repoRoot) {
        Settings s = new Settings(context, env);
        List<String> models = new ArrayList<>();
        s.get("models", "MODELCYCLE_MODELS").ifPresent(list -> {
            for (String name : list.split(",")) {
                if (!name.isBlank()) {
                    models.add(name.trim());
                }
            }
        });
        return new StackConfig(
                s.get("account", "CDK_DEFAULT_ACCOUNT"),
                s.get("region", "CDK_DEFAULT_REGION"),
                models,
                s.get("trainingImageTag", "MODELCYCLE_TRAINING_IMAGE_TAG"),
                s.get("trainingImageRepository", "MODELCYCLE_TRAINING_IMAGE_REPOSITORY").orElse(DEFAULT_IMAGE_REPOSITORY),
                s.get("trainingInstanceType", "MODELCYCLE_TRAINING_INSTANCE_TYPE").orElse(DEFAULT_INSTANCE_TYPE),
                s.get("predictAuth", "MODELCYCLE_PREDICT_AUTH").map(v -> PredictAuthorization.parse("predictAuth", v))
                        .orElse(PredictAuthorization.IAM),
                s.get("tableDeletionProtection", "MODELCYCLE_TABLE_DELETION_PROTECTION")
                        .map(v -> parseBoolean("tableDeletionProtection", v)).orElse(true),
                repoRoot,
                s.get("lambdaPackageDir", "MODELCYCLE_LAMBDA_PACKAGE_DIR").map(Path::of),
                nativeArchive(s));
    }

    private static Optional<NativeArchive> nativeArchive(Settings s) {
        Optional<String> sha = s.get("pytorchNativeSha256", "MODELCYCLE_PYTORCH_NATIVE_SHA256");
        Optional<String> key = s.get("pytorchNativeKey", "MODELCYCLE_PYTORCH_NATIVE_KEY");
        if (sha.isEmpty() && key.isPresent()) {
            throw new IllegalArgumentException("pytorchNativeKey is set without pytorchNativeSha256: inference uses "
                    + "the archive only when its SHA-256 is pinned");
        }
        return sha.map(h -> new NativeArchive(key.orElse(DEFAULT_NATIVE_KEY), h));
    }

    /** The same settings with other models. */
    public StackConfig withModels(List<String> names) {
        return new StackConfig(account, region, names, trainingImageTag, trainingImageRepository, trainingInstanceType,
                predictAuthorization, tableDeletionProtection, repoRoot, lambdaPackageDir, pytorchNative);
    }

    private static boolean parseBoolean(String setting, String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(setting + " must be true or false, got '" + value + "'");
        };
    }

    private static void require(boolean ok, String setting, String message) {
        if (!ok) {
            throw new IllegalArgumentException(setting + " " + message);
        }
    }

    /** Context first, then the environment; blank counts as unset. */
    private record Settings(Function<String, Object> context, Map<String, String> env) {
        Optional<String> get(String key, String envName) {
            Object value = context.apply(key);
            if (value != null && !value.toString().isBlank()) {
                return Optional.of(value.toString().trim());
            }
            String fromEnv = env.get(envName);
            return fromEnv == null || fromEnv.isBlank() ? Optional.empty() : Optional.of(fromEnv.trim());
        }
    }
}
