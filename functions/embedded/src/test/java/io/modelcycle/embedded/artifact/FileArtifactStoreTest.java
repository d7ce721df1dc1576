package io.modelcycle.embedded.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcycle.core.IntegrityException;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.artifact.ArtifactStore;
import io.modelcycle.core.artifact.StoredObject;
import io.modelcycle.testkit.contract.ArtifactStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileArtifactStore} against the artifact contract, plus what is particular to files. */
class FileArtifactStoreTest extends ArtifactStoreContract {

    @TempDir
    Path root;

    @Override
    protected ArtifactStore createStore() {
        return new FileArtifactStore(root);
    }

    @Override
    protected void overwriteBehindTheStoresBack(ArtifactStore store, String key, byte[] bytes) throws Exception {
        Files.write(((FileArtifactStore) store).pathOf(key), bytes);
    }

    @Override
    protected void writeAsAnotherTool(ArtifactStore store, String key, byte[] bytes) throws Exception {
        Path file = ((FileArtifactStore) store).pathOf(key);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    @Test
    void objectsArePlainFilesWithASidecarAndNoTemporariesLeftBehind() throws Exception {
        // GIVEN an object written twice
        store.put(KEY, new byte[] {1, 2, 3});
        store.put(KEY, new byte[] {4, 5});

        // WHEN the folder is looked at with ordinary tools
        Path file = root.resolve(KEY);
        try (Stream<Path> siblings = Files.list(file.getParent())) {
            // THEN the object is a file holding exactly its bytes, next to one sidecar, and nothing else
            assertThat(Files.readAllBytes(file)).containsExactly(4, 5);
            assertThat(siblings.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("model.tar.gz", "model.tar.gz#sha256");
        }
        assertThat(store.uri(KEY)).isEqualTo(file.toRealPath().toUri().toString());
    }

    @Test
    void leftoversOfACrashedPutAreNotListed() throws Exception {
        // GIVEN an object and the temporary files a crashed put would leave beside it
        store.put(KEY, new byte[] {1});
        Path dir = root.resolve(KEY).getParent();
        Files.write(dir.resolve("model.json#tmp.1234"), new byte[] {9});
        Files.write(dir.resolve("model.tar.gz#sha256#tmp.1234"), new byte[] {9});

        // WHEN / THEN only the object is listed
        assertThat(store.list("")).extracting(StoredObject::key).containsExactly(KEY);
    }

    @Test
    void anObjectWhoseSidecarIsMissingIsNotTrusted() throws Exception {
        // GIVEN an object whose recorded hash was lost
        store.put(KEY, new byte[] {1});
        Files.delete(root.resolve(KEY + "#sha256"));

        // WHEN / THEN reading it is an integrity error naming the key
        assertThatThrownBy(() -> store.read(KEY)).isInstanceOf(IntegrityException.class).hasMessageContaining(KEY);
    }

    @Test
    void aKeyCannotBeBothAnObjectAndAFolder() {
        // GIVEN an object at models/churn
        store.put("models/churn", new byte[] {1});

        // WHEN / THEN a key below it, or a key naming an existing folder, is refused with the reason
        assertThatThrownBy(() -> store.put("models/churn/versions/1/model.json", new byte[] {2}))
                .isInstanceOf(ValidationException.class).hasMessageContaining("models/churn");
        assertThatThrownBy(() -> store.put("models", new byte[] {2}))
                .isInstanceOf(ValidationException.class).hasMessageContaining("folder");
        assertThat(store.read("models/churn")).containsExactly(1);
    }

    @Test
    void twoStoresOnOneRootSeeEachOthersObjects() {
        // GIVEN an object written through one store
        store.put(KEY, new byte[] {7});

        // WHEN another store is opened on the same folder (as after a restart)
        FileArtifactStore reopened = new FileArtifactStore(root);

        // THEN it reads the object, verified
        assertThat(reopened.read(KEY)).containsExactly(7);
    }
}
