package io.modelcycle.testkit.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.HttpURLConnection;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(AwsEmulatorExtension.class)
class AwsEmulatorTest {

    @Test
    void servesOnLoopbackWithDummyCredentials(AwsEmulator aws) throws Exception {
        // GIVEN the extension has started the JVM's emulator
        URI endpoint = aws.endpoint();

        // WHEN we send it a plain HTTP request
        HttpURLConnection connection = (HttpURLConnection) endpoint.resolve("/").toURL().openConnection();
        connection.setConnectTimeout(2000);
        connection.setReadTimeout(5000);
        int status = connection.getResponseCode();
        connection.disconnect();

        // THEN it answers, on loopback, and the SDK's default chain would find the dummy credentials
        assertThat(status).isBetween(200, 599);
        assertThat(endpoint.getHost()).isIn("127.0.0.1", "localhost");
        assertThat(aws.region()).isEqualTo("us-east-1");
        assertThat(System.getProperty("aws.accessKeyId")).isEqualTo(aws.accessKeyId());
        assertThat(aws.environment()).containsEntry("AWS_ENDPOINT_URL", endpoint.toString());
    }

    @Test
    void oneEmulatorPerJvm(AwsEmulator aws) {
        // WHEN the emulator is asked for again, THEN it is the same server, not a second one
        assertThat(AwsEmulator.shared()).isSameAs(aws);
        assertThat(new AwsEmulatorExtension().emulator().endpoint()).isEqualTo(aws.endpoint());
    }

    @Test
    void namesAreFreshAndValidForBucketsAndTables() {
        String first = AwsEmulator.uniqueName("Artifacts");
        String second = AwsEmulator.uniqueName("Artifacts");
        assertThat(first).isNotEqualTo(second).matches("[a-z0-9][a-z0-9-]{2,62}");
    }
}
