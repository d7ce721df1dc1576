package io.modelcycle.aws.stage;

import com.fasterxml.jackson.core.type.TypeReference;
import io.modelcycle.aws.AwsClients;
import io.modelcycle.aws.AwsConfig;
import io.modelcycle.aws.dynamodb.DynamoDbRegistryStore;
import io.modelcycle.aws.s3.S3ArtifactStore;
import io.modelcycle.aws.stepfunctions.StepFunctionsWorkflowLauncher;
import io.modelcycle.core.Json;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.artifact.ArtifactStore;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.core.workflow.WorkflowLauncher;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The adapters a stage Lambda runs on, built from its environment by its public no-arg constructor (once, in
 * Lambda's INIT phase). Environment variables:
 *
 * <table>
 *   <caption>Environment</caption>
 *   <tr><th>variable</th><th></th><th>meaning</th></tr>
 *   <tr><td>{@code AWS_REGION}</td><td>required</td><td>set by Lambda</td></tr>
 *   <tr><td>{@code AWS_ENDPOINT_URL}</td><td>optional</td><td>an emulator's endpoint, for tests</td></tr>
 *   <tr><td>{@code REGISTRY_TABLE}</td><td>required</td><td>the DynamoDB registry table</td></tr>
 *   <tr><td>{@code ARTIFACT_BUCKET}</td><td>required</td><td>the S3 artifact bucket</td></tr>
 *   <tr><td>{@code STATE_MACHINE_ARNS}</td><td>optional</td><td>JSON object, workflow name → state machine ARN</td></tr>
 *   <tr><td>{@code TRAINING_IMAGE_URI}</td><td>optional</td><td>the DJL training image (training stage)</td></tr>
 * </table>
 */
public final class AwsStage {

    /** The typed environment; {@link #fromEnv} names the variable that is missing or malformed. */
    public record Config(AwsConfig aws, String registryTable, String artifactBucket, Map<String, String> stateMachineArns,
                         Optional<String> trainingImage) {

        public static final String REGISTRY_TABLE = "REGISTRY_TABLE";
        public static final String ARTIFACT_BUCKET = "ARTIFACT_BUCKET";
        public static final String STATE_MACHINE_ARNS = "STATE_MACHINE_ARNS";
        public static final String TRAINING_IMAGE_URI = "TRAINING_IMAGE_URI";

        public static Config fromEnv(Map<String, String> env) {
            AwsConfig aws = AwsConfig.fromEnv(env);
            String table = required(env, REGISTRY_TABLE, "the DynamoDB table of the registry");
            String bucket = required(env, ARTIFACT_BUCKET, "the S3 bucket of models, datasets and captures");
            Map<String, String> arns = Map.of();
            String arnJson = env.get(STATE_MACHINE_ARNS);
            if (arnJson != null && !arnJson.isBlank()) {
                try {
                    arns = Json.mapper().readValue(arnJson, new TypeReference<Map<String, String>>() { });
                } catch (java.io.IOException e) {
                    throw new ValidationException(STATE_MACHINE_ARNS, "environment variable " + STATE_MACHINE_ARNS
                            + " must be a JSON object of workflow name to state machine ARN");
                }
            }
            return new Config(aws, table, bucket, arns, Optional.ofNullable(env.get(TRAINING_IMAGE_URI)).filter(s -> !s.isBlank()));
        }

        private static String required(Map<String, String> env, String name, String what) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                throw new ValidationException(name, "environment variable " + name + " is not set: " + what);
            }
            return value.trim();
        }
    }

    private final Config config;
    private final AwsClients clients;
    private final Registry registry;
    private final ArtifactStore artifacts;
    private final AwsClients.Lazy<SfnClient> sfn;

    public AwsStage(Config config, AwsClients clients) {
        this.config = config;
        this.clients = clients;
        this.registry = new Registry(new DynamoDbRegistryStore(clients.dynamoDb(), config.registryTable()));
        this.artifacts = new S3ArtifactStore(clients.s3(), config.artifactBucket());
        this.sfn = clients.lazy(() -> clients.configure(SfnClient.builder()).build());
    }

    /** From {@code System.getenv()}: what a handler's no-arg constructor calls. */
    public static AwsStage fromEnv() {
        Config config = Config.fromEnv(System.getenv());
        return new AwsStage(config, new AwsClients(config.aws()));
    }

    public Config config() {
        return config;
    }

    public AwsClients clients() {
        return clients;
    }

    public Registry registry() {
        return registry;
    }

    public ArtifactStore artifacts() {
        return artifacts;
    }

    public WorkflowLauncher workflows() {
        return new StepFunctionsWorkflowLauncher(sfn.get(), config.stateMachineArns());
    }
}
