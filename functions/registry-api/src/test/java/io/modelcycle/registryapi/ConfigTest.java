package io.modelcycle.registryapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.modelcycle.core.Json;
import io.modelcycle.core.ValidationException;
import io.modelcycle.http.LocalContext;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {

    @Test
    void a_missing_store_choice_is_named() {
        assertThatThrownBy(() -> Config.fromEnv(Map.of()))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.errors().get(0).field()).isEqualTo("REGISTRY_STORE");
                    assertThat(e.getMessage()).contains("sqlite or dynamodb");
                });
        assertThatThrownBy(() -> Config.fromEnv(Map.of("REGISTRY_STORE", "mysql")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("'mysql'");
    }

    @Test
    void each_store_names_the_variable_it_still_needs() {
        assertThatThrownBy(() -> Config.fromEnv(Map.of("REGISTRY_STORE", "sqlite")))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("REGISTRY_SQLITE_PATH"));
        assertThatThrownBy(() -> Config.fromEnv(Map.of("REGISTRY_STORE", "dynamodb")))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("REGISTRY_TABLE"));
        assertThatThrownBy(() -> Config.fromEnv(Map.of("REGISTRY_STORE", "dynamodb", "REGISTRY_TABLE", "registry")))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("AWS_REGION"));
        assertThatThrownBy(() -> Config.fromEnv(Map.of("REGISTRY_STORE", "sqlite", "REGISTRY_SQLITE_PATH", "/tmp/r.db",
                "MAX_BODY_BYTES", "lots")))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("MAX_BODY_BYTES"));
    }

    @Test
    void reads_a_full_configuration() {
        Config dynamo = Config.fromEnv(Map.of("REGISTRY_STORE", "DynamoDB", "REGISTRY_TABLE", "registry",
                "AWS_REGION", "eu-west-1", "AWS_ENDPOINT_URL", "http://127.0.0.1:5000",
                "POWERTOOLS_METRICS_NAMESPACE", "Acme", "ARTIFACT_BUCKET", "artifacts-bucket",
                "STATE_MACHINE_ARNS", "{\"training-pipeline\":\"arn:aws:states:eu-west-1:123456789012:stateMachine:tp\"}"));
        assertThat(dynamo.store()).isEqualTo(Config.Store.DYNAMODB);
        assertThat(dynamo.table()).isEqualTo("registry");
        assertThat(dynamo.aws().region()).isEqualTo("eu-west-1");
        assertThat(dynamo.metricsNamespace()).isEqualTo("Acme");
        assertThat(dynamo.maxBodyBytes()).isEqualTo(256 * 1024);
        assertThat(dynamo.artifactBucket()).isEqualTo("artifacts-bucket");
        assertThat(dynamo.stateMachineArns()).containsEntry("training-pipeline",
                "arn:aws:states:eu-west-1:123456789012:stateMachine:tp");
    }

    @Test
    void dynamodb_needs_the_artifact_bucket_and_well_formed_state_machine_arns() {
        Map<String, String> env = new java.util.HashMap<>(Map.of("REGISTRY_STORE", "dynamodb", "REGISTRY_TABLE", "r",
                "AWS_REGION", "eu-west-1"));
        assertThatThrownBy(() -> Config.fromEnv(env)).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.errors().get(0).field()).isEqualTo("ARTIFACT_BUCKET"));
        env.put("ARTIFACT_BUCKET", "b");
        env.put("STATE_MACHINE_ARNS", "training-pipeline=arn");
        assertThatThrownBy(() -> Config.fromEnv(env)).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.errors().get(0).field()).isEqualTo("STATE_MACHINE_ARNS"));
    }

    @Test
    void sqlite_keeps_artifacts_beside_the_database_unless_told_otherwise(@TempDir Path dir) {
        Config beside = Config.fromEnv(Map.of("REGISTRY_STORE", "sqlite", "REGISTRY_SQLITE_PATH",
                dir.resolve("registry.db").toString()));
        Config elsewhere = Config.fromEnv(Map.of("REGISTRY_STORE", "sqlite", "REGISTRY_SQLITE_PATH",
                dir.resolve("registry.db").toString(), "ARTIFACTS_ROOT", dir.resolve("store").toString()));
        assertThat(beside.artifactsRoot()).isEqualTo(dir.toAbsolutePath().resolve("artifacts"));
        assertThat(elsewhere.artifactsRoot()).isEqualTo(dir.resolve("store"));
        assertThat(beside.stateMachineArns()).isEmpty();
    }

    @Test
    void the_environment_wiring_serves_requests_from_a_sqlite_file(@TempDir Path dir) {
        // GIVEN a handler wired from environment variables only, as Lambda's INIT phase does it
        RegistryApiHandler handler = new RegistryApiHandler(Config.fromEnv(Map.of("REGISTRY_STORE", "sqlite",
                "REGISTRY_SQLITE_PATH", dir.resolve("registry.db").toString(), "MAX_BODY_BYTES", "100")));
        LocalContext context = LocalContext.of("cfg-1", "registry-api");

        // WHEN a model list is requested, and a body over the configured limit is sent
        APIGatewayV2HTTPResponse list = handler.handleRequest(RegistryFixture.event("list-models.json"), context);
        APIGatewayV2HTTPResponse create = handler.handleRequest(RegistryFixture.event("create-model.json"), context);

        // THEN the store answers (empty) and the limit from MAX_BODY_BYTES applies
        assertThat(list.getStatusCode()).isEqualTo(200);
        assertThat(Json.tree(list.getBody()).get("items").size()).isZero();
        assertThat(create.getStatusCode()).isEqualTo(413);
        assertThat(dir.resolve("registry.db")).exists();
    }
}
