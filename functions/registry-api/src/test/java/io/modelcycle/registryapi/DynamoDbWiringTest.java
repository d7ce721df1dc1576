package io.modelcycle.registryapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.modelcycle.aws.AwsClients;
import io.modelcycle.aws.AwsConfig;
import io.modelcycle.aws.dynamodb.DynamoDbRegistryStore;
import io.modelcycle.core.Json;
import io.modelcycle.http.LocalContext;
import io.modelcycle.testkit.aws.AwsEmulator;
import io.modelcycle.testkit.aws.AwsEmulatorExtension;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The handler wired from the environment with {@code REGISTRY_STORE=dynamodb}, as in Lambda, talking to DynamoDB
 * on the AWS emulator (moto_server or LocalStack, see the testkit): the same sample events get the same answers.
 */
class DynamoDbWiringTest {

    @RegisterExtension
    static final AwsEmulatorExtension AWS = new AwsEmulatorExtension();

    @Test
    void the_environment_wiring_serves_the_sample_events_from_dynamodb() {
        // GIVEN a fresh table and the environment Lambda would have
        Map<String, String> env = new HashMap<>(AWS.emulator().environment());
        String table = AwsEmulator.uniqueName("registry-api");
        try (AwsClients clients = new AwsClients(AwsConfig.fromEnv(env))) {
            DynamoDbRegistryStore.createTable(clients.dynamoDb(), table);
        }
        env.put(Config.REGISTRY_STORE, "dynamodb");
        env.put(Config.REGISTRY_TABLE, table);
        env.put(Config.ARTIFACT_BUCKET, "modelcycle-artifacts");
        RegistryApiHandler handler = new RegistryApiHandler(Config.fromEnv(env));
        LocalContext context = LocalContext.of("dynamo-1", RegistryApiHandler.SERVICE);

        // WHEN a model is created twice, read, and given a version
        APIGatewayV2HTTPResponse created = handler.handleRequest(RegistryFixture.event("create-model.json"), context);
        APIGatewayV2HTTPResponse again = handler.handleRequest(RegistryFixture.event("create-model.json"), context);
        var read = RegistryFixture.event("get-model.json");
        read.setRawPath("/models/fraud");
        APIGatewayV2HTTPResponse got = handler.handleRequest(read, context);
        var register = RegistryFixture.event("register-version.json");
        register.setRawPath("/models/fraud/versions");
        APIGatewayV2HTTPResponse version = handler.handleRequest(register, context);

        // THEN DynamoDB answers exactly as SQLite does
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
        assertThat(again.getStatusCode()).isEqualTo(409);
        assertThat(Json.tree(again.getBody()).get("error").get("code").asText()).isEqualTo("ALREADY_EXISTS");
        assertThat(got.getStatusCode()).isEqualTo(200);
        assertThat(Json.tree(got.getBody()).get("model").get("owner").asText()).isEqualTo("risk-team");
        assertThat(version.getStatusCode()).isEqualTo(201);
        assertThat(Json.tree(version.getBody()).get("number").asInt()).isEqualTo(1);
    }
}
