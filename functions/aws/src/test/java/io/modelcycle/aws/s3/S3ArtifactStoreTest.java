package io.modelcycle.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcycle.aws.AwsClients;
import io.modelcycle.aws.AwsConfig;
import io.modelcycle.core.Hashing;
import io.modelcycle.core.IntegrityException;
import io.modelcycle.core.StoreException;
import io.modelcycle.core.artifact.ArtifactStore;
import io.modelcycle.core.artifact.StoredObject;
import io.modelcycle.testkit.aws.AwsEmulator;
import io.modelcycle.testkit.aws.AwsEmulatorExtension;
import io.modelcycle.testkit.contract.ArtifactStoreContract;
import io.modelcycle.testkit.contract.PseudoRandomInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** {@link S3ArtifactStore} against the AWS emulator, one fresh bucket per test. */
class S3ArtifactStoreTest extends ArtifactStoreContract {

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

    /** The key prefix under test; a subclass runs the whole contract again under a prefix. */
    protected String prefix() {
        return "";
    }

    @Override
    protected ArtifactStore createStore() {
        String bucket = AwsEmulator.uniqueName("artifacts");
        clients.s3().createBucket(b -> b.bucket(bucket));
        return new S3ArtifactStore(clients.s3(), bucket, prefix());
    }

    @Override
    protected void overwriteBehindTheStoresBack(ArtifactStore store, String key, byte[] bytes) {
        S3ArtifactStore s3Store = (S3ArtifactStore) store;
        S3Client s3 = clients.s3();
        String s3Key = prefix() + key;
        var old = s3.headObject(b -> b.bucket(s3Store.bucket()).key(s3Key));
        s3.putObject(b -> b.bucket(s3Store.bucket()).key(s3Key).metadata(old.metadata()), RequestBody.fromBytes(bytes));
    }

    @Override
    protected void writeAsAnotherTool(ArtifactStore store, String key, byte[] bytes) {
        clients.s3().putObject(b -> b.bucket(((S3ArtifactStore) store).bucket()).key(prefix() + key), RequestBody.fromBytes(bytes));
    }

    private S3ArtifactStore s3Store() {
        return (S3ArtifactStore) store;
    }

    @Test
    void objectsCarryTheirHashAsMetadataAndAskForEncryption() {
        // GIVEN an object written through the store
        byte[] bytes = "encrypted at rest".getBytes(StandardCharsets.UTF_8);
        store.put(KEY, bytes);

        // WHEN S3 itself is asked about it
        var head = clients.s3().headObject(b -> b.bucket(s3Store().bucket()).key(prefix() + KEY));

        // THEN the hash and size are on the object, and S3 encrypted it
        assertThat(head.metadata()).containsEntry("sha256", Hashing.sha256Hex(bytes))
                .containsEntry("size", Integer.toString(bytes.length));
        assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
        assertThat(store.uri(KEY)).isEqualTo("s3://" + s3Store().bucket() + "/" + prefix() + KEY);
    }

    @Test
    void contentLargerThanOnePartGoesThroughMultipartAndLeavesNoStagingBehind() throws Exception {
        // GIVEN content of two and a half parts
        long size = S3ArtifactStore.PART_SIZE * 5L / 2;
        byte[] bytes = new PseudoRandomInputStream(11, size).readAllBytes();

        // WHEN it is stored
        StoredObject stored = store.put(KEY, bytes);

        // THEN the final object carries the hash of all of it, and the staging upload is gone
        assertThat(stored.sha256()).isEqualTo(Hashing.sha256Hex(bytes));
        assertThat(store.read(KEY)).isEqualTo(bytes);
        var head = clients.s3().headObject(b -> b.bucket(s3Store().bucket()).key(prefix() + KEY));
        assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
        assertThat(clients.s3().listObjectsV2(b -> b.bucket(s3Store().bucket())).contents())
                .extracting(o -> o.key()).containsExactly(prefix() + KEY);
        assertThat(clients.s3().listMultipartUploads(b -> b.bucket(s3Store().bucket())).uploads()).isEmpty();
    }

    @Test
    void anObjectWrittenByAnotherToolIsListedButRefusedWhenOpened() {
        // GIVEN an object put straight into the bucket, without the store's metadata
        clients.s3().putObject(b -> b.bucket(s3Store().bucket()).key(prefix() + "datasets/churn/raw.csv"),
                RequestBody.fromString("a,b\n1,2\n"));

        // WHEN / THEN it is listed without a hash, and opening it says it cannot be verified
        assertThat(store.list("datasets/")).singleElement().satisfies(o -> {
            assertThat(o.sha256()).isNull();
            assertThat(o.size()).isEqualTo(8);
        });
        assertThatThrownBy(() -> store.open("datasets/churn/raw.csv")).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("datasets/churn/raw.csv").hasMessageContaining("no recorded SHA-256");
    }

    @Test
    void aMissingBucketIsAStoreErrorNamingIt() {
        // GIVEN a store on a bucket that does not exist
        S3ArtifactStore missing = new S3ArtifactStore(clients.s3(), AwsEmulator.uniqueName("missing"), prefix());

        // WHEN / THEN writing fails with a store error that says what was being done
        assertThatThrownBy(() -> missing.put(KEY, new byte[] {1})).isInstanceOf(StoreException.class)
                .hasMessageContaining(missing.uri(KEY)).hasMessageContaining("NoSuchBucket");
    }
}
