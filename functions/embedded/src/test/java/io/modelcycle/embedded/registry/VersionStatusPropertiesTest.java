package io.modelcycle.embedded.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.model.Task;
import io.modelcycle.core.registry.AuditAction;
import io.modelcycle.core.registry.AuditEvent;
import io.modelcycle.core.registry.Change;
import io.modelcycle.core.registry.IllegalTransitionException;
import io.modelcycle.core.registry.Lineage;
import io.modelcycle.core.registry.PageRequest;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.core.registry.VersionStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * Random sequences of requested status moves, applied through the registry to a real SQLite store, never leave the
 * status machine: every applied move is one it allows, every refused move names both statuses and changes neither
 * the version nor the audit log, and repeating the current status is a no-op.
 */
class VersionStatusPropertiesTest {

    @Property(tries = 40)
    void random_moves_never_reach_a_forbidden_state(@ForAll @Size(max = 12) List<VersionStatus> requested) throws IOException {
        Path dir = Files.createTempDirectory("status-props");
        try (SqliteRegistryStore store = new SqliteRegistryStore(dir.resolve("registry.db"))) {
            Registry registry = new Registry(store);
            Change change = Change.by("property", "random move");
            registry.createModel(new Model("m", Task.REGRESSION, new FeatureSchema(List.of(Feature.numeric("x"))), "y",
                    "team", Map.of(), null, null), change);
            registry.registerVersion("m", new Lineage("s3://b/datasets/m/a.csv", null, "local", Map.of(), null, null, null), change);

            VersionStatus status = VersionStatus.TRAINING;
            for (VersionStatus target : requested) {
                long eventsBefore = events(registry).size();
                if (target == status) {
                    registry.transition("m", 1, target, change);
                    assertThat(events(registry)).as("repeating %s", target).hasSize((int) eventsBefore);
                } else if (status.canMoveTo(target)) {
                    assertThat(registry.transition("m", 1, target, change).status()).isEqualTo(target);
                    List<AuditEvent> events = events(registry);
                    assertThat(events).hasSize((int) eventsBefore + 1);
                    assertThat(events.get(events.size() - 1).action()).isEqualTo(AuditAction.VERSION_UPDATED);
                    status = target;
                } else {
                    VersionStatus from = status;
                    try {
                        registry.transition("m", 1, target, change);
                        throw new AssertionError(from + " -> " + target + " was applied but the status machine forbids it");
                    } catch (IllegalTransitionException e) {
                        assertThat(e.getMessage()).contains(from.name()).contains(target.name());
                        assertThat(e.current()).isEqualTo(from);
                        assertThat(e.requested()).isEqualTo(target);
                    }
                    assertThat(events(registry)).as("a refused move writes nothing").hasSize((int) eventsBefore);
                }
                assertThat(registry.version("m", 1).status()).isEqualTo(status);
            }
            assertThat(registry.verifyAudit("m").intact()).isTrue();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static List<AuditEvent> events(Registry registry) {
        return registry.audit("m", PageRequest.first(100)).items();
    }
}
