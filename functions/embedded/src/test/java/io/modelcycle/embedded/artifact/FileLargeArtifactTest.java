package io.modelcycle.embedded.artifact;

import io.modelcycle.core.artifact.ArtifactStore;
import io.modelcycle.testkit.contract.LargeArtifactContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** A 200 MB artifact through {@link FileArtifactStore} under {@code -Xmx128m} (surefire execution large-artifacts). */
class FileLargeArtifactTest extends LargeArtifactContract {

    @TempDir
    Path root;

    @Override
    protected ArtifactStore createStore() {
        return new FileArtifactStore(root);
    }
}
