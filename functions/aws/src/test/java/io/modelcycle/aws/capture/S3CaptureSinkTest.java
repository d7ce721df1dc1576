package io.modelcycle.aws.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcycle.aws.AwsClients;
import io.modelcycle.aws.AwsConfig;
import io.modelcycle.aws.s3.S3ArtifactStore;
import io.modelcycle.core.artifact.ArtifactStore;
import io.modelcycle.core.capture.BufferedCaptureSink;
import io.modelcycle.core.capture.CaptureSink;
import io.modelcycle.testkit.aws.AwsEmulator;
import io.modelcycle.testkit.aws.AwsEmulatorExtension;
import io.modelcycle.testkit.contract.CaptureSinkContract;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The capture contract over {@link S3ArtifactStore} on the AWS emulator, one fresh bucket per test. */
class S3CaptureSinkTest extends CaptureSinkContract {

    @RegisterExtension
    static final AwsEmulatorExtension AWS = new AwsEmulatorExtension();

    static AwsClients clients;

    @BeforeAll
    static void clients() {
        clients = new AwsClients(AwsConfig.fromEnv(AWS.emulator().environment()));
    }

    @AfterAll
    static void closeClients() {
        clients.close();
    }

    private String bucket() {
        String bucket = AwsEmulator.uniqueName("captures");
        clients.s3().createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    @Override
    protected ArtifactStore store() {
        return new S3ArtifactStore(clients.s3(), bucket());
    }

    /** A bucket that was never created: every PutObject fails with NoSuchBucket. */
    @Override
    protected ArtifactStore failingStore() {
        return new S3ArtifactStore(clients.s3(), AwsEmulator.uniqueName("no-such-bucket"));
    }

    @Test
    void captures_are_plain_gzip_objects_in_the_bucket() {
        // GIVEN a sink over a bucket
        String bucket = bucket();
        try (CaptureSink sink = new BufferedCaptureSink(new S3ArtifactStore(clients.s3(), bucket),
                new BufferedCaptureSink.Settings(10, 10, Duration.ofMinutes(1)))) {
            // WHEN a record is captured and the sink closed
            sink.capture(record("churn", "2026-11-29T23:59:59Z", 1));
        }

        // THEN S3 itself lists one .jsonl.gz object under the hour's prefix, whose bytes start like gzip
        List<S3Object> objects = clients.s3().listObjectsV2(b -> b.bucket(bucket).prefix("captures/churn/2026/11/29/23/"))
                .contents();
        assertThat(objects).singleElement().satisfies(o -> assertThat(o.key()).endsWith(".jsonl.gz"));
        byte[] bytes = clients.s3().getObjectAsBytes(b -> b.bucket(bucket).key(objects.get(0).key())).asByteArray();
        assertThat(bytes).startsWith((byte) 0x1f, (byte) 0x8b);
    }
}
