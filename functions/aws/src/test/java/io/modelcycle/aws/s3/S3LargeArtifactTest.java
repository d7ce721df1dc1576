package io.modelcycle.aws.s3;

import io.modelcycle.aws.AwsClients;
import io.modelcycle.aws.AwsConfig;
import io.modelcycle.core.artifact.ArtifactStore;
import io.modelcycle.testkit.aws.AwsEmulator;
import io.modelcycle.testkit.aws.AwsEmulatorExtension;
import io.modelcycle.testkit.contract.LargeArtifactContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A 200 MB artifact through {@link S3ArtifactStore} (multipart upload, final copy with the hash, verified read) in
 * the {@code -Xmx128m} surefire execution of this module.
 */
class S3LargeArtifactTest extends LargeArtifactContract {

    @RegisterExtension
    static final AwsEmulatorExtension AWS = new AwsEmulatorExtension();

    static AwsClients clients;

    @BeforeAll
    static void clients() {
        clients = new AwsClients(AwsConfig.fromEnv(AWS.emulator().environment()));
    }

    @AfterAll
    static void closeClients() {
        if (clients != null) {
            clients.close();
        }
    }

    @Override
    protected ArtifactStore createStore() {
        String bucket = AwsEmulator.uniqueName("large");
        clients.s3().createBucket(b -> b.bucket(bucket));
        return new S3ArtifactStore(clients.s3(), bucket, "");
    }
}
