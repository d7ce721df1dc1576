package io.modelcycle.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcycle.core.ValidationException;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class AwsConfigTest {

    @Test
    void readsRegionAndOptionalEndpointFromTheEnvironment() {
        // GIVEN / WHEN the environment of a Lambda function, then of a test pointed at an emulator
        AwsConfig lambda = AwsConfig.fromEnv(Map.of("AWS_REGION", "eu-west-1"));
        AwsConfig emulated = AwsConfig.fromEnv(Map.of("AWS_REGION", "us-east-1",
                "AWS_ENDPOINT_URL", "http://127.0.0.1:4566"));

        // THEN the first goes to AWS, the second to the emulator
        assertThat(lambda.region()).isEqualTo("eu-west-1");
        assertThat(lambda.endpoint()).isEmpty();
        assertThat(emulated.endpoint()).contains(URI.create("http://127.0.0.1:4566"));
    }

    @Test
    void aMissingRegionFailsNamingTheVariable() {
        assertThatThrownBy(() -> AwsConfig.fromEnv(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.errors()).extracting(ValidationException.FieldError::field)
                                .containsExactly("AWS_REGION"))
                .hasMessageContaining("AWS_REGION");
    }

    @Test
    void aMalformedEndpointFailsNamingTheVariable() {
        assertThatThrownBy(() -> AwsConfig.fromEnv(Map.of("AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL", "localhost:4566")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("AWS_ENDPOINT_URL");
        assertThatThrownBy(() -> AwsConfig.fromEnv(Map.of("AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL", "http://a b")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("AWS_ENDPOINT_URL");
    }

    @Test
    void clientsAreBuiltOnceAndPointedAtTheConfiguredEndpointAndRegion() {
        // GIVEN a factory for an emulator endpoint (nothing is sent: building a client makes no request)
        AwsConfig config = AwsConfig.of("us-east-1", URI.create("http://127.0.0.1:1"));
        try (AwsClients clients = new AwsClients(config,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))) {
            // WHEN / THEN each client is built once, with the region and endpoint of the configuration
            assertThat(clients.s3()).isSameAs(clients.s3());
            assertThat(clients.dynamoDb()).isSameAs(clients.dynamoDb());
            assertThat(clients.s3().serviceClientConfiguration().region().id()).isEqualTo("us-east-1");
            assertThat(clients.dynamoDb().serviceClientConfiguration().endpointOverride())
                    .contains(URI.create("http://127.0.0.1:1"));
        }
    }
}
