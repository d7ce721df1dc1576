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
                "POWERTOOLS_METRICS_NAMESPACE", "Acme"));
        assertThat(dynamo.store()).isEqualTo(Config.Store.DYNAMODB);
        assertThat(dynamo.table()).isEqualTo("registry");
        assertThat(dynamo.aws().region()).isEqualTo("eu-west-1");
        assertThat(dynamo.metricsNamespace()).isEqualTo("Acme");
        assertThat(dynamo.maxBodyBytes()).isEqualTo(256 * 1024);
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
