package io.modelcycle.registryapi;

import com.fasterxml.jackson.core.type.TypeReference;
import io.modelcycle.aws.AwsConfig;
import io.modelcycle.core.Json;
import io.modelcycle.core.ValidationException;
import io.modelcycle.http.JsonBodies;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The registry API's configuration, read once from the environment (in Lambda's INIT phase) by
 * {@link #fromEnv(Map)}, which fails naming the variable that is missing or malformed.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>variable</th><th>meaning</th></tr>
 *   <tr><td>{@code REGISTRY_STORE}</td><td>required: {@code sqlite} (one machine) or {@code dynamodb} (AWS)</td></tr>
 *   <tr><td>{@code REGISTRY_SQLITE_PATH}</td><td>with {@code sqlite}: the database file</td></tr>
 *   <tr><td>{@code REGISTRY_TABLE}</td><td>with {@code dynamodb}: the table name</td></tr>
 *   <tr><td>{@code ARTIFACT_BUCKET}</td><td>with {@code dynamodb}: the S3 bucket of artifacts (ground-truth feedback,
 *       approval task tokens)</td></tr>
 *   <tr><td>{@code ARTIFACTS_ROOT}</td><td>optional, with {@code sqlite}: the artifact folder; default
 *       {@code artifacts} beside the SQLite file</td></tr>
 *   <tr><td>{@code STATE_MACHINE_ARNS}</td><td>optional, with {@code dynamodb}: JSON object, workflow name → state
 *       machine ARN; when set, approve and reject answer the task token of a training pipeline waiting for manual
 *       approval</td></tr>
 *   <tr><td>{@code AWS_REGION}, {@code AWS_ENDPOINT_URL}</td><td>with {@code dynamodb}: see {@link AwsConfig}</td></tr>
 *   <tr><td>{@code MAX_BODY_BYTES}</td><td>optional: largest accepted request body, default 262144</td></tr>
 *   <tr><td>{@code POWERTOOLS_METRICS_NAMESPACE}</td><td>optional: CloudWatch namespace, default {@code ModelCycle}</td></tr>
 * </table>
 *
 * @param store            which registry store to use
 * @param sqlitePath       the SQLite file, with {@link Store#SQLITE}; null otherwise
 * @param table            the DynamoDB table, with {@link Store#DYNAMODB}; null otherwise
 * @param aws              how to reach AWS, with {@link Store#DYNAMODB}; null otherwise
 * @param maxBodyBytes     largest accepted request body
 * @param metricsNamespace the CloudWatch metrics namespace
 * @param artifactBucket   the S3 artifact bucket, with {@link Store#DYNAMODB}; null otherwise
 * @param artifactsRoot    the artifact folder, with {@link Store#SQLITE}; null otherwise
 * @param stateMachineArns workflow name → state machine ARN, with {@link Store#DYNAMODB}; empty for none
 */
public record Config(Store store, Path sqlitePath, String table, AwsConfig aws, int maxBodyBytes,
                     String metricsNamespace, String artifactBucket, Path artifactsRoot,
                     Map<String, String> stateMachineArns) {

    public static final String REGISTRY_STORE = "REGISTRY_STORE";
    public static final String REGISTRY_SQLITE_PATH = "REGISTRY_SQLITE_PATH";
    public static final String REGISTRY_TABLE = "REGISTRY_TABLE";
    public static final String MAX_BODY_BYTES = "MAX_BODY_BYTES";
    public static final String ARTIFACT_BUCKET = "ARTIFACT_BUCKET";
    public static final String ARTIFACTS_ROOT = "ARTIFACTS_ROOT";
    public static final String STATE_MACHINE_ARNS = "STATE_MACHINE_ARNS";
    public static final String METRICS_NAMESPACE = "POWERTOOLS_METRICS_NAMESPACE";
    public static final String DEFAULT_NAMESPACE = "ModelCycle";

    /** Where the registry lives. */
    public enum Store { SQLITE, DYNAMODB }

    public Config {
        Objects.requireNonNull(store, "store");
        if (store == Store.SQLITE && sqlitePath == null) {
            throw new ValidationException(REGISTRY_SQLITE_PATH, "is required with " + REGISTRY_STORE + "=sqlite");
        }
        if (store == Store.DYNAMODB && (table == null || table.isBlank() || aws == null)) {
            throw new ValidationException(REGISTRY_TABLE, "and the AWS settings are required with " + REGISTRY_STORE
                    + "=dynamodb");
        }
        if (maxBodyBytes < 1) {
            throw new ValidationException(MAX_BODY_BYTES, "must be >= 1, got " + maxBodyBytes);
        }
        if (metricsNamespace == null || metricsNamespace.isBlank()) {
            metricsNamespace = DEFAULT_NAMESPACE;
        }
        if (store == Store.DYNAMODB && (artifactBucket == null || artifactBucket.isBlank())) {
            throw new ValidationException(ARTIFACT_BUCKET, "is required with " + REGISTRY_STORE + "=dynamodb");
        }
        if (store == Store.SQLITE && artifactsRoot == null) {
            Path parent = sqlitePath.toAbsolutePath().getParent();
            artifactsRoot = (parent == null ? Path.of(".") : parent).resolve("artifacts");
        }
        stateMachineArns = stateMachineArns == null ? Map.of() : Map.copyOf(stateMachineArns);
    }

    /** The configuration before ground truth and approvals needed artifacts: defaults for the new parts. */
    public Config(Store store, Path sqlitePath, String table, AwsConfig aws, int maxBodyBytes, String metricsNamespace) {
        this(store, sqlitePath, table, aws, maxBodyBytes, metricsNamespace, null, null, null);
    }

    /** Reads the configuration from {@code env}: handlers pass {@code System.getenv()}, tests a map. */
    public static Config fromEnv(Map<String, String> env) {
        String storeName = required(env, REGISTRY_STORE, "which registry store to use: sqlite or dynamodb");
        Store store;
        try {
            store = Store.valueOf(storeName.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ValidationException(REGISTRY_STORE, "environment variable " + REGISTRY_STORE + " is '" + storeName
                    + "'; it must be sqlite or dynamodb");
        }
        int maxBody = JsonBodies.DEFAULT_MAX_BYTES;
        String max = env.get(MAX_BODY_BYTES);
        if (max != null && !max.isBlank()) {
            try {
                maxBody = Integer.parseInt(max.trim());
            } catch (NumberFormatException e) {
                throw new ValidationException(MAX_BODY_BYTES, "environment variable " + MAX_BODY_BYTES
                        + " must be a number of bytes, got '" + max + "'");
            }
        }
        String namespace = env.get(METRICS_NAMESPACE);
        return switch (store) {
            case SQLITE -> {
                String root = env.get(ARTIFACTS_ROOT);
                yield new Config(store, Path.of(required(env, REGISTRY_SQLITE_PATH,
                        "the SQLite database file of the registry")), null, null, maxBody, namespace, null,
                        root == null || root.isBlank() ? null : Path.of(root.trim()), null);
            }
            case DYNAMODB -> {
                String table = required(env, REGISTRY_TABLE, "the DynamoDB table of the registry");
                AwsConfig aws = AwsConfig.fromEnv(env);
                yield new Config(store, null, table, aws, maxBody, namespace,
                        required(env, ARTIFACT_BUCKET, "the S3 bucket of artifacts (feedback, approval task tokens)"),
                        null, stateMachineArns(env));
            }
        };
    }

    private static Map<String, String> stateMachineArns(Map<String, String> env) {
        String json = env.get(STATE_MACHINE_ARNS);
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return Json.mapper().readValue(json, new TypeReference<Map<String, String>>() { });
        } catch (java.io.IOException e) {
            throw new ValidationException(STATE_MACHINE_ARNS, "environment variable " + STATE_MACHINE_ARNS
                    + " must be a JSON object of workflow name to state machine ARN, got '" + json + "'");
        }
    }

    private static String required(Map<String, String> env, String name, String meaning) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new ValidationException(name, "environment variable " + name + " is not set: it names " + meaning);
        }
        return value.trim();
    }
}
