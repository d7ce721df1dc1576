package io.modelcycle.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcycle.core.artifact.StoredObject;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/** The whole S3 contract again with the store under a key prefix, as when several environments share a bucket. */
class PrefixedS3ArtifactStoreTest extends S3ArtifactStoreTest {

    @Override
    protected String prefix() {
        return "env/staging/";
    }

    @Test
    void objectsOutsideThePrefixAreInvisible() {
        // GIVEN an object of the store and one elsewhere in the same bucket
        store.put(KEY, new byte[] {1});
        S3ArtifactStore s3Store = (S3ArtifactStore) store;
        clients.s3().putObject(b -> b.bucket(s3Store.bucket()).key("env/prod/" + KEY), RequestBody.fromBytes(new byte[] {2}));

        // WHEN / THEN the store sees only its own, by its unprefixed key
        assertThat(store.list("")).extracting(StoredObject::key).containsExactly(KEY);
        assertThat(clients.s3().listObjectsV2(b -> b.bucket(s3Store.bucket()).prefix("env/staging/")).contents())
                .extracting(o -> o.key()).containsExactly("env/staging/" + KEY);
    }
}
