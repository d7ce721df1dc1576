package io.modelcycle.registryapi;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.modelcycle.core.Hashing;
import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.model.Task;
import io.modelcycle.core.registry.ArtifactRef;
import io.modelcycle.core.registry.Change;
import io.modelcycle.core.registry.Lineage;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.core.artifact.ArtifactKeys;
import io.modelcycle.embedded.artifact.FileArtifactStore;
import io.modelcycle.embedded.registry.SqliteRegistryStore;
import io.modelcycle.http.HttpEvents;
import io.modelcycle.http.LocalContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real registry (SQLite file in a temporary folder) seeded with the state the sample events under
 * {@code events/registry-api/} are written against: model {@code churn} with
 * <ol>
 *   <li>version 1 APPROVED, alias {@code production} → 1;</li>
 *   <li>version 2 TRAINED (to approve);</li>
 *   <li>version 3 TRAINED (to reject);</li>
 *   <li>version 4 TRAINING (an illegal move to approve, and not servable);</li>
 *   <li>version 5 APPROVED (to point aliases at).</li>
 * </ol>
 * and an artifact store (files in the same folder) in which version 1's {@code model.json} lists the classes
 * {@code "0"} and {@code "1"}, which feedback labels are checked against.
 */
final class RegistryFixture implements AutoCloseable {

    static final Path EVENTS = locateEvents();

    final SqliteRegistryStore store;
    final Registry registry;
    final FileArtifactStore artifacts;
    final RegistryApiHandler handler;

    RegistryFixture(Path dir) {
        store = new SqliteRegistryStore(dir.resolve("registry.db"));
        registry = new Registry(store);
        artifacts = new FileArtifactStore(dir.resolve("artifacts"));
        handler = new RegistryApiHandler(registry, artifacts, null);
    }

    /** A seeded database built once per JVM; each test gets a copy, which is much faster than seeding again. */
    private static Path template;

    static RegistryFixture seeded(Path dir) {
        try {
            Files.copy(template(), dir.resolve("registry.db"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RegistryFixture fixture = new RegistryFixture(dir);
        fixture.artifacts.put(ArtifactKeys.versionFile("churn", 1, ArtifactKeys.MODEL_JSON),
                "{\"classes\":[\"0\",\"1\"]}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return fixture;
    }

    private static synchronized Path template() throws IOException {
        if (template == null) {
            Path dir = Files.createTempDirectory("registry-api-template");
            dir.toFile().deleteOnExit();
            try (RegistryFixture f = seed(dir)) {
                template = f.store.file();
            }
            template.toFile().deleteOnExit();
        }
        return template;
    }

    private static RegistryFixture seed(Path dir) {
        RegistryFixture f = new RegistryFixture(dir);
        Change seed = Change.by("seed", null);
        f.registry.createModel(churn(), seed);
        for (int v = 1; v <= 5; v++) {
            f.registry.registerVersion("churn", new Lineage("s3://data/datasets/churn/v" + v + ".csv", null, "local",
                    Map.of(), null, null, "manual"), seed);
            if (v != 4) {
                f.registry.recordTrained("churn", v, new ArtifactRef("models/churn/versions/" + v + "/model.tar.gz",
                        Hashing.sha256Hex("model " + v), 1000 + v), Map.of("roc_auc", 0.8 + v / 100.0), null, null,
                        null, seed);
            }
        }
        f.registry.approve("churn", 1, seed);
        f.registry.approve("churn", 5, seed);
        f.registry.setAlias("churn", "production", 1, null, null, seed);
        return f;
    }

    static Model churn() {
        return new Model("churn", Task.BINARY_CLASSIFICATION, new FeatureSchema(List.of(Feature.numeric("tenure"),
                Feature.categorical("plan", List.of("basic", "pro")))), "churned", "growth-team", Map.of(), null, null);
    }

    APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent event) {
        return handler.handleRequest(event, LocalContext.of("test-request", RegistryApiHandler.SERVICE));
    }

    APIGatewayV2HTTPResponse call(String eventFile) {
        return call(event(eventFile));
    }

    static APIGatewayV2HTTPEvent event(String eventFile) {
        try {
            return HttpEvents.read(Files.readString(EVENTS.resolve(eventFile)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        store.close();
    }

    /** {@code events/registry-api} at the repository root, found from the module directory the tests run in. */
    private static Path locateEvents() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("events").resolve("registry-api");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("events/registry-api not found above " + Path.of("").toAbsolutePath());
    }
}
