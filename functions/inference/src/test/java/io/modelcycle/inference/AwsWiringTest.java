package io.modelcycle.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.modelcycle.aws.AwsClients;
import io.modelcycle.aws.AwsConfig;
import io.modelcycle.aws.dynamodb.DynamoDbRegistryStore;
import io.modelcycle.aws.s3.S3ArtifactStore;
import io.modelcycle.core.Hashing;
import io.modelcycle.core.Json;
import io.modelcycle.core.artifact.ArtifactKeys;
import io.modelcycle.core.registry.ArtifactRef;
import io.modelcycle.core.registry.Lineage;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.testkit.aws.AwsEmulator;
import io.modelcycle.testkit.aws.AwsEmulatorExtension;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The handler wired from the environment as in Lambda (DynamoDB registry, S3 artifacts, EMF metrics), on the AWS
 * emulator: it primes the production model from S3 and serves the sample events.
 */
class AwsWiringTest {

    @RegisterExtension
    static final AwsEmulatorExtension AWS = new AwsEmulatorExtension();

    @Test
    void the_environment_wiring_primes_from_s3_and_dynamodb_and_serves_predictions() {
        // GIVEN a table and a bucket holding the trained model as version 1, production → 1
        Map<String, String> env = new HashMap<>(AWS.emulator().environment());
        String table = AwsEmulator.uniqueName("inference");
        String bucket = AwsEmulator.uniqueName("inference");
        byte[] archive = TrainedModel.get().archive;
        try (AwsClients clients = new AwsClients(AwsConfig.fromEnv(env))) {
            DynamoDbRegistryStore.createTable(clients.dynamoDb(), table);
            clients.s3().createBucket(b -> b.bucket(bucket));
            Registry registry = new Registry(new DynamoDbRegistryStore(clients.dynamoDb(), table));
            S3ArtifactStore artifacts = new S3ArtifactStore(clients.s3(), bucket);
            registry.createModel(TrainedModel.definition(0.0), ServingFixture.SEED);
            registry.registerVersion("churn", new Lineage("s3://d", null, "local", Map.of(), null, null, "manual"),
                    ServingFixture.SEED);
            String key = ArtifactKeys.versionFile("churn", 1, ArtifactKeys.MODEL_ARCHIVE);
            artifacts.put(key, archive);
            registry.recordTrained("churn", 1, new ArtifactRef(key, Hashing.sha256Hex(archive), archive.length), Map.of(),
                    null, null, null, ServingFixture.SEED);
            registry.approve("churn", 1, ServingFixture.SEED);
            registry.setAlias("churn", "production", 1, null, null, ServingFixture.SEED);
        }
        env.put("REGISTRY_TABLE", table);
        env.put("ARTIFACT_BUCKET", bucket);
        env.put("MODEL_NAME", "churn");
        env.put("WORK_DIR", System.getProperty("java.io.tmpdir") + "/inference-wiring");

        // WHEN the handler is built from that environment, primed, and sent the sample request
        InferenceHandler handler = new InferenceHandler(env);
        boolean primed = handler.prime();
        APIGatewayV2HTTPResponse response = handler.handleRequest(
                io.modelcycle.http.HttpEvents.read(read("predict.json")),
                io.modelcycle.http.LocalContext.of("aws-1", InferenceHandler.SERVICE));

        // THEN it primed from S3 and answers with version 1
        assertThat(primed).isTrue();
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        assertThat(Json.tree(response.getBody()).get("version").asInt()).isEqualTo(1);
        handler.service().close();
    }

    private static String read(String file) {
        try {
            return java.nio.file.Files.readString(ServingFixture.EVENTS.resolve(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
