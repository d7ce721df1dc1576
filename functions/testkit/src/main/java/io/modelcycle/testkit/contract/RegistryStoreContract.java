package io.modelcycle.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.AlreadyExistsException;
import io.modelcycle.core.ConcurrentUpdateException;
import io.modelcycle.core.ConflictException;
import io.modelcycle.core.Hashing;
import io.modelcycle.core.Json;
import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.model.Task;
import io.modelcycle.core.registry.Alias;
import io.modelcycle.core.registry.ArtifactRef;
import io.modelcycle.core.registry.AuditAction;
import io.modelcycle.core.registry.AuditEvent;
import io.modelcycle.core.registry.AuditVerification;
import io.modelcycle.core.registry.Change;
import io.modelcycle.core.registry.IllegalTransitionException;
import io.modelcycle.core.registry.Lineage;
import io.modelcycle.core.registry.ModelVersion;
import io.modelcycle.core.registry.Page;
import io.modelcycle.core.registry.PageRequest;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.core.registry.RegistryStore;
import io.modelcycle.core.registry.VersionStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link RegistryStore} must have, exercised through the {@link Registry} service the way
 * handlers and workflows use it. Extend it once per adapter and return a fresh, empty store from
 * {@link #createStore(Clock)}; the store must take its timestamps from that clock.
 *
 * <p>Subclasses that hold resources (a database file, an emulator table) may release them in their own
 * {@code @AfterEach}; if the store is {@link AutoCloseable} the contract closes it after each test.
 */
public abstract class RegistryStoreContract {

    /** Threads and iterations of the concurrency test: enough interleaving to lose updates, small enough for an emulator. */
    protected static final int THREADS = 32;
    protected static final int ITERATIONS_PER_THREAD = 5;

    protected static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    protected static final Change CHANGE = Change.by("alice", "contract test");

    protected MutableClock clock;
    protected RegistryStore store;
    protected Registry registry;

    /** A fresh, empty store whose timestamps come from {@code clock}. */
    protected abstract RegistryStore createStore(Clock clock) throws Exception;

    /**
     * A second store instance on the same data, as a second process (another Lambda instance, another CLI) would
     * open it: the concurrency test splits its threads between {@link #store} and this one, so writers race through
     * the store's own mechanism (transactions, conditional writes) and not only through a lock inside one object.
     * Called after {@link #createStore}; the contract closes it if it is {@link AutoCloseable}.
     */
    protected abstract RegistryStore openPeerStore(Clock clock) throws Exception;

    @BeforeEach
    void createRegistry() throws Exception {
        clock = new MutableClock(START);
        store = createStore(clock);
        registry = new Registry(store, clock);
    }

    @AfterEach
    void closeStore() throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    // ---------------------------------------------------------------- models

    @Test
    void createdModelIsFoundWithItsDefinitionAndCreationTime() {
        // GIVEN a model definition
        Model definition = model("churn");

        // WHEN it is created
        Model created = registry.createModel(definition, CHANGE);

        // THEN it is stored as given, stamped with the store's clock, and found by name
        assertThat(created.createdAt()).isEqualTo(START);
        assertThat(created.withCreatedAt(null)).isEqualTo(definition);
        assertThat(registry.model("churn")).isEqualTo(created);
        assertThat(store.findModel("churn")).contains(created);
        assertThat(actions("churn")).containsExactly(AuditAction.MODEL_CREATED);
    }

    @Test
    void duplicateModelIsRefusedAndTheFirstIsKept() {
        // GIVEN a model
        Model first = registry.createModel(model("churn"), CHANGE);
        clock.advance(Duration.ofMinutes(1));

        // WHEN a model with the same name is created again, with another owner
        Model second = new Model("churn", Task.REGRESSION, first.schema(), "amount", "someone-else", Map.of(), null, null);

        // THEN it is refused, naming the model, and neither the model nor the audit log changed
        assertThatThrownBy(() -> registry.createModel(second, CHANGE))
                .isInstanceOf(AlreadyExistsException.class)
                .hasMessageContaining("churn");
        assertThat(registry.model("churn")).isEqualTo(first);
        assertThat(actions("churn")).containsExactly(AuditAction.MODEL_CREATED);
    }

    @Test
    void unknownModelIsNotFound() {
        // GIVEN an empty registry
        // WHEN / THEN every read of a model that does not exist says so
        assertThat(store.findModel("ghost")).isEmpty();
        assertThatThrownBy(() -> registry.model("ghost")).isInstanceOf(NotFoundException.class).hasMessageContaining("ghost");
        assertThatThrownBy(() -> registry.registerVersion("ghost", lineage(), CHANGE))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("ghost");
        assertThatThrownBy(() -> registry.versions("ghost", null, PageRequest.first()))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> registry.aliases("ghost")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> registry.verifyAudit("ghost")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void modelsAreListedInNameOrderPageByPage() {
        // GIVEN five models created out of name order
        for (String name : List.of("delta", "alpha", "echo", "charlie", "bravo")) {
            registry.createModel(model(name), CHANGE);
        }

        // WHEN they are listed two at a time, following the next token
        List<List<String>> pages = new ArrayList<>();
        String token = null;
        do {
            Page<Model> page = registry.models(new PageRequest(token, 2));
            pages.add(page.items().stream().map(Model::name).toList());
            token = page.nextToken();
        } while (token != null && pages.size() < 10);

        // THEN every model appears once, in name order, and the last page has no next token
        assertThat(pages).containsExactly(List.of("alpha", "bravo"), List.of("charlie", "delta"), List.of("echo"));
    }

    @Test
    void aPageExactlyAsLongAsTheRestEndsTheListing() {
        // GIVEN two models
        registry.createModel(model("alpha"), CHANGE);
        registry.createModel(model("bravo"), CHANGE);

        // WHEN listed with a limit of two, and the next token (if any) is followed
        Page<Model> first = registry.models(PageRequest.first(2));
        List<String> rest = first.nextToken() == null ? List.of()
                : registry.models(new PageRequest(first.nextToken(), 2)).items().stream().map(Model::name).toList();

        // THEN both come on the first page and nothing follows
        assertThat(first.items()).extracting(Model::name).containsExactly("alpha", "bravo");
        assertThat(rest).isEmpty();
    }

    // ---------------------------------------------------------------- versions

    @Test
    void versionsAreNumberedOneToNInTrainingWithTheirLineage() {
        // GIVEN a model
        registry.createModel(model("churn"), CHANGE);

        // WHEN three versions are registered
        List<ModelVersion> versions = IntStream.range(0, 3)
                .mapToObj(i -> registry.registerVersion("churn", lineage(), CHANGE)).toList();

        // THEN they are 1, 2, 3, training, first revision, with the lineage as given, and read back equal
        assertThat(versions).extracting(ModelVersion::number).containsExactly(1, 2, 3);
        assertThat(versions).allSatisfy(v -> {
            assertThat(v.status()).isEqualTo(VersionStatus.TRAINING);
            assertThat(v.revision()).isEqualTo(1);
            assertThat(v.lineage()).isEqualTo(lineage());
            assertThat(v.createdAt()).isEqualTo(START);
            assertThat(registry.version("churn", v.number())).isEqualTo(v);
        });
        assertThat(actions("churn")).containsExactly(AuditAction.MODEL_CREATED, AuditAction.VERSION_REGISTERED,
                AuditAction.VERSION_REGISTERED, AuditAction.VERSION_REGISTERED);
    }

    @Test
    void versionNumbersAreCountedPerModel() {
        // GIVEN two models
        registry.createModel(model("churn"), CHANGE);
        registry.createModel(model("fraud"), CHANGE);

        // WHEN versions are registered on both, interleaved
        int churn1 = registry.registerVersion("churn", lineage(), CHANGE).number();
        int fraud1 = registry.registerVersion("fraud", lineage(), CHANGE).number();
        int churn2 = registry.registerVersion("churn", lineage(), CHANGE).number();

        // THEN each model counts from 1 on its own
        assertThat(List.of(churn1, fraud1, churn2)).containsExactly(1, 1, 2);
    }

    @Test
    void unknownVersionIsNotFound() {
        // GIVEN a model with one version
        registry.createModel(model("churn"), CHANGE);
        registry.registerVersion("churn", lineage(), CHANGE);

        // WHEN / THEN version 2 does not exist, and the error names it
        assertThat(store.findVersion("churn", 2)).isEmpty();
        assertThatThrownBy(() -> registry.version("churn", 2))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("version 2").hasMessageContaining("churn");
        assertThatThrownBy(() -> registry.approve("churn", 2, CHANGE)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aVersionLivesThroughTheWholeStatusMachine() {
        // GIVEN a registered version
        registry.createModel(model("churn"), CHANGE);
        registry.registerVersion("churn", lineage(), CHANGE);
        ArtifactRef artifact = new ArtifactRef("models/churn/versions/1/model.tar.gz", Hashing.sha256Hex("model"), 5);

        // WHEN it is trained, sent for approval, approved, deployed and retired
        clock.advance(Duration.ofSeconds(10));
        ModelVersion trained = registry.recordTrained("churn", 1, artifact, Map.of("roc_auc", 0.91),
                "models/churn/versions/1/profile.json", "models/churn/versions/1/card.md", null, CHANGE);
        registry.transition("churn", 1, VersionStatus.PENDING_APPROVAL, CHANGE);
        registry.approve("churn", 1, Change.by("bob", "looks good"));
        registry.transition("churn", 1, VersionStatus.DEPLOYED, CHANGE);
        ModelVersion retired = registry.transition("churn", 1, VersionStatus.RETIRED, Change.by("carol", "superseded"));

        // THEN every step is stored, with what training recorded kept to the end
        assertThat(trained.updatedAt()).isEqualTo(START.plusSeconds(10));
        assertThat(retired.status()).isEqualTo(VersionStatus.RETIRED);
        assertThat(retired.revision()).isEqualTo(6);
        assertThat(retired.statusReason()).isEqualTo("superseded");
        assertThat(registry.version("churn", 1)).isEqualTo(retired);
        assertThat(retired.artifact()).isEqualTo(artifact);
        assertThat(retired.metrics()).containsEntry("roc_auc", 0.91);
        assertThat(retired.profileKey()).isEqualTo("models/churn/versions/1/profile.json");
        // AND RETIRED is final
        assertThatThrownBy(() -> registry.transition("churn", 1, VersionStatus.DEPLOYED, CHANGE))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("RETIRED");
        assertThat(actions("churn")).filteredOn(a -> a == AuditAction.VERSION_UPDATED).hasSize(5);
    }

    @Test
    void anIllegalMoveIsRefusedNamingBothStatusesAndChangesNothing() {
        // GIVEN a version still training
        registry.createModel(model("churn"), CHANGE);
        ModelVersion training = registry.registerVersion("churn", lineage(), CHANGE);
        int eventsBefore = events("churn").size();

        // WHEN someone tries to approve it straight away
        // THEN it is refused with an error naming the current and the requested status
        assertThatThrownBy(() -> registry.approve("churn", 1, CHANGE))
                .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
                    assertThat(e.current()).isEqualTo(VersionStatus.TRAINING);
                    assertThat(e.requested()).isEqualTo(VersionStatus.APPROVED);
                })
                .hasMessageContaining("TRAINING").hasMessageContaining("APPROVED");
        // AND the version and the audit log are unchanged
        assertThat(registry.version("churn", 1)).isEqualTo(training);
        assertThat(events("churn")).hasSize(eventsBefore);
    }

    @Test
    void aRepeatedMoveIsANoOpWithoutASecondAuditEvent() {
        // GIVEN a version moved to TRAINED
        registry.createModel(model("churn"), CHANGE);
        registry.registerVersion("churn", lineage(), CHANGE);
        ModelVersion trained = registry.transition("churn", 1, VersionStatus.TRAINED, CHANGE);

        // WHEN the same move is requested again (a retried workflow task)
        clock.advance(Duration.ofMinutes(1));
        ModelVersion again = registry.transition("churn", 1, VersionStatus.TRAINED, CHANGE);

        // THEN nothing changes: same revision, one VERSION_UPDATED event
        assertThat(again).isEqualTo(trained);
        assertThat(again.revision()).isEqualTo(2);
        assertThat(actions("churn")).containsExactly(AuditAction.MODEL_CREATED, AuditAction.VERSION_REGISTERED,
                AuditAction.VERSION_UPDATED);
    }

    @Test
    void aStaleUpdateLosesItsCompareAndSet() {
        // GIVEN a version read by two writers, and the first writer's change applied
        registry.createModel(model("churn"), CHANGE);
        ModelVersion read = registry.registerVersion("churn", lineage(), CHANGE);
        ModelVersion first = read.next(VersionStatus.TRAINED, null, Map.of("accuracy", 0.8), null, null, null,
                read.lineage(), START);
        store.updateVersion(read, first, CHANGE);

        // WHEN the second writer applies its change derived from the same, now stale, revision
        ModelVersion second = read.next(VersionStatus.FAILED, null, Map.of(), null, null, "oom", read.lineage(), START);

        // THEN it is refused as a concurrent update and the first change stands
        assertThatThrownBy(() -> store.updateVersion(read, second, CHANGE)).isInstanceOf(ConcurrentUpdateException.class);
        assertThat(registry.version("churn", 1)).isEqualTo(first);
        assertThat(actions("churn")).filteredOn(a -> a == AuditAction.VERSION_UPDATED).hasSize(1);
    }

    @Test
    void versionsAreListedByStatusPageByPage() {
        // GIVEN five versions, of which 1, 3 and 5 are approved
        registry.createModel(model("churn"), CHANGE);
        for (int i = 1; i <= 5; i++) {
            registry.registerVersion("churn", lineage(), CHANGE);
            if (i % 2 == 1) {
                registry.transition("churn", i, VersionStatus.TRAINED, CHANGE);
                registry.approve("churn", i, CHANGE);
            }
        }

        // WHEN approved versions are listed two at a time, and all versions two at a time
        List<List<Integer>> approved = versionPages("churn", VersionStatus.APPROVED, 2);
        List<List<Integer>> all = versionPages("churn", null, 2);

        // THEN each listing is in number order, filtered, and ends with no next token
        assertThat(approved).containsExactly(List.of(1, 3), List.of(5));
        assertThat(all).containsExactly(List.of(1, 2), List.of(3, 4), List.of(5));
        assertThat(versionPages("churn", VersionStatus.DEPLOYED, 2)).containsExactly(List.of());
    }

    // ---------------------------------------------------------------- aliases

    @Test
    void aliasCompareAndSetAppliesOnlyOnTheExpectedVersion() {
        // GIVEN three approved versions
        registry.createModel(model("churn"), CHANGE);
        approvedVersion("churn");
        approvedVersion("churn");
        approvedVersion("churn");

        // WHEN production is created (expecting none), then moved from 1 to 2
        clock.advance(Duration.ofSeconds(5));
        Alias created = registry.setAlias("churn", Alias.PRODUCTION, 1, null, null, CHANGE);
        Alias moved = registry.setAlias("churn", Alias.PRODUCTION, 2, 1, null, CHANGE);

        // THEN both apply, stamped with the store's clock
        assertThat(created.version()).isEqualTo(1);
        assertThat(created.updatedAt()).isEqualTo(START.plusSeconds(5));
        assertThat(moved.version()).isEqualTo(2);
        assertThat(registry.alias("churn", Alias.PRODUCTION)).contains(moved);

        // AND creating it again, or moving it from a version it no longer points at, loses the compare-and-set
        assertThatThrownBy(() -> registry.setAlias("churn", Alias.PRODUCTION, 3, null, null, CHANGE))
                .isInstanceOf(ConcurrentUpdateException.class);
        assertThatThrownBy(() -> registry.setAlias("churn", Alias.PRODUCTION, 3, 1, null, CHANGE))
                .isInstanceOf(ConcurrentUpdateException.class);
        assertThat(registry.alias("churn", Alias.PRODUCTION)).contains(moved);
        assertThat(actions("churn")).filteredOn(a -> a == AuditAction.ALIAS_SET).hasSize(2);
    }

    @Test
    void expectingAVersionOfAnAliasThatDoesNotExistLoses() {
        // GIVEN an approved version and no alias
        registry.createModel(model("churn"), CHANGE);
        approvedVersion("churn");

        // WHEN / THEN moving a non-existent alias "from version 1" is a lost compare-and-set
        assertThatThrownBy(() -> registry.setAlias("churn", Alias.PRODUCTION, 1, 1, null, CHANGE))
                .isInstanceOf(ConcurrentUpdateException.class);
        assertThat(registry.alias("churn", Alias.PRODUCTION)).isEmpty();
    }

    @Test
    void canaryKeepsItsWeightAndAliasesAreListedByName() {
        // GIVEN two approved versions
        registry.createModel(model("churn"), CHANGE);
        approvedVersion("churn");
        approvedVersion("churn");

        // WHEN production, canary (10 %) and a user alias are set, and the canary re-weighted to 25 %
        registry.setAlias("churn", Alias.PRODUCTION, 1, null, null, CHANGE);
        registry.setAlias("churn", Alias.CANARY, 2, null, 0.1, CHANGE);
        registry.setAlias("churn", "shadow", 2, null, null, CHANGE);
        Alias reweighted = registry.setAlias("churn", Alias.CANARY, 2, 2, 0.25, CHANGE);

        // THEN the canary carries its latest weight, the others none, listed in name order
        assertThat(reweighted.weight()).isEqualTo(0.25);
        assertThat(registry.aliases("churn")).extracting(Alias::name, Alias::version, Alias::weight)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("canary", 2, 0.25),
                        org.assertj.core.groups.Tuple.tuple("production", 1, null),
                        org.assertj.core.groups.Tuple.tuple("shadow", 2, null));
    }

    @Test
    void settingAnAliasToWhereItAlreadyPointsIsANoOp() {
        // GIVEN production at version 1
        registry.createModel(model("churn"), CHANGE);
        approvedVersion("churn");
        Alias first = registry.setAlias("churn", Alias.PRODUCTION, 1, null, null, CHANGE);
        clock.advance(Duration.ofMinutes(1));

        // WHEN the same request is repeated
        Alias again = registry.setAlias("churn", Alias.PRODUCTION, 1, 1, null, CHANGE);

        // THEN nothing changes and no second event is written
        assertThat(again).isEqualTo(first);
        assertThat(actions("churn")).filteredOn(a -> a == AuditAction.ALIAS_SET).hasSize(1);
    }

    @Test
    void anAliasPointsOnlyAtApprovedOrDeployedVersions() {
        // GIVEN a version still training and one rejected
        registry.createModel(model("churn"), CHANGE);
        registry.registerVersion("churn", lineage(), CHANGE);
        registry.registerVersion("churn", lineage(), CHANGE);
        registry.transition("churn", 2, VersionStatus.TRAINED, CHANGE);
        registry.reject("churn", 2, Change.by("bob", "worse than production"));

        // WHEN / THEN pointing production at either is refused, naming the status, and nothing is written
        assertThatThrownBy(() -> registry.setAlias("churn", Alias.PRODUCTION, 1, null, null, CHANGE))
                .isInstanceOf(ConflictException.class).isNotInstanceOf(ConcurrentUpdateException.class)
                .hasMessageContaining("TRAINING");
        assertThatThrownBy(() -> registry.setAlias("churn", Alias.PRODUCTION, 2, null, null, CHANGE))
                .isInstanceOf(ConflictException.class).hasMessageContaining("REJECTED");
        assertThatThrownBy(() -> registry.setAlias("churn", Alias.PRODUCTION, 3, null, null, CHANGE))
                .isInstanceOf(NotFoundException.class);
        assertThat(registry.aliases("churn")).isEmpty();
        assertThat(actions("churn")).doesNotContain(AuditAction.ALIAS_SET);

        // AND a deployed version can be served
        registry.registerVersion("churn", lineage(), CHANGE);
        registry.transition("churn", 3, VersionStatus.TRAINED, CHANGE);
        registry.approve("churn", 3, CHANGE);
        registry.transition("churn", 3, VersionStatus.DEPLOYED, CHANGE);
        assertThat(registry.setAlias("churn", Alias.PRODUCTION, 3, null, null, CHANGE).version()).isEqualTo(3);
    }

    @Test
    void theStoreItselfRefusesAnAliasOnAVersionThatIsNotServable() {
        // GIVEN a rejected version (the Registry service would refuse first; a racing writer may not have)
        registry.createModel(model("churn"), CHANGE);
        registry.registerVersion("churn", lineage(), CHANGE);
        registry.transition("churn", 1, VersionStatus.TRAINED, CHANGE);
        registry.reject("churn", 1, Change.by("bob", "worse"));

        // WHEN the store is asked directly, THEN it refuses inside its own write, and writes nothing
        assertThatThrownBy(() -> store.setAlias(new Alias("churn", Alias.PRODUCTION, 1, null, null), null, CHANGE))
                .isInstanceOf(io.modelcycle.core.registry.VersionNotServableException.class).hasMessageContaining("REJECTED");
        assertThat(registry.aliases("churn")).isEmpty();
    }

    @Test
    void aVersionAnAliasPointsAtCannotBeTakenOutOfService() {
        // GIVEN production on version 1
        registry.createModel(model("churn"), CHANGE);
        int v1 = approvedVersion("churn");
        registry.setAlias("churn", Alias.PRODUCTION, v1, null, null, CHANGE);
        long events = events("churn").size();

        // WHEN the version is retired behind the alias's back (directly on the store, as a racing retirement would)
        var current = registry.version("churn", v1);
        var retired = current.next(VersionStatus.RETIRED, current.artifact(), current.metrics(), current.profileKey(),
                current.cardKey(), "retire", current.lineage(), START);
        // THEN the store refuses inside its write, naming the alias, and nothing changes
        assertThatThrownBy(() -> store.updateVersion(current, retired, CHANGE))
                .isInstanceOf(io.modelcycle.core.registry.VersionInUseException.class).hasMessageContaining("production");
        assertThat(registry.version("churn", v1).status()).isEqualTo(VersionStatus.APPROVED);
        assertThat(events("churn")).hasSize((int) events);

        // AND once the alias is gone, it can be retired
        registry.deleteAlias("churn", Alias.PRODUCTION, v1, CHANGE);
        assertThat(registry.transition("churn", v1, VersionStatus.RETIRED, CHANGE).status()).isEqualTo(VersionStatus.RETIRED);
    }

    @Test
    void deleteAliasIsACompareAndSetToo() {
        // GIVEN production at version 1
        registry.createModel(model("churn"), CHANGE);
        approvedVersion("churn");
        registry.setAlias("churn", Alias.PRODUCTION, 1, null, null, CHANGE);

        // WHEN deleting it "from version 2" THEN the compare-and-set loses and the alias stays
        assertThatThrownBy(() -> registry.deleteAlias("churn", Alias.PRODUCTION, 2, CHANGE))
                .isInstanceOf(ConcurrentUpdateException.class);
        assertThat(registry.alias("churn", Alias.PRODUCTION)).isPresent();

        // WHEN deleting it from version 1 THEN it is gone, with one ALIAS_DELETED event
        registry.deleteAlias("churn", Alias.PRODUCTION, 1, CHANGE);
        assertThat(registry.alias("churn", Alias.PRODUCTION)).isEmpty();
        assertThat(registry.aliases("churn")).isEmpty();
        assertThat(actions("churn")).filteredOn(a -> a == AuditAction.ALIAS_DELETED).hasSize(1);

        // AND deleting it again says it does not exist
        assertThatThrownBy(() -> registry.deleteAlias("churn", Alias.PRODUCTION, 1, CHANGE))
                .isInstanceOf(NotFoundException.class).hasMessageContaining(Alias.PRODUCTION);
    }

    // ---------------------------------------------------------------- audit

    @Test
    void everyAppliedChangeWritesOneChainedEventSayingWhoWhatAndWhy() {
        // GIVEN a sequence of changes by different people
        registry.createModel(model("churn"), Change.by("alice", "new model"));
        registry.registerVersion("churn", lineage(), Change.by("workflow:training-pipeline", null));
        registry.transition("churn", 1, VersionStatus.TRAINED, Change.by("workflow:training-pipeline", null));
        registry.approve("churn", 1, Change.by("bob", "meets the gate"));
        clock.advance(Duration.ofSeconds(1));
        registry.setAlias("churn", Alias.PRODUCTION, 1, null, null, Change.by("carol", "first release"));
        registry.deleteAlias("churn", Alias.PRODUCTION, 1, Change.by("carol", "rollback"));

        // WHEN the log is read
        List<AuditEvent> events = events("churn");

        // THEN there is one event per change, numbered 1..N, each linked to the one before
        assertThat(events).extracting(AuditEvent::action).containsExactly(AuditAction.MODEL_CREATED,
                AuditAction.VERSION_REGISTERED, AuditAction.VERSION_UPDATED, AuditAction.VERSION_UPDATED,
                AuditAction.ALIAS_SET, AuditAction.ALIAS_DELETED);
        assertThat(events).extracting(AuditEvent::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(events).extracting(AuditEvent::subject).containsExactly("model", "version/1", "version/1",
                "version/1", "alias/production", "alias/production");
        assertThat(events.get(0).previousHash()).isEqualTo(AuditEvent.GENESIS);
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).previousHash()).isEqualTo(events.get(i - 1).hash());
        }
        assertThat(events).extracting(AuditEvent::actor).containsExactly("alice", "workflow:training-pipeline",
                "workflow:training-pipeline", "bob", "carol", "carol");
        assertThat(events.get(3).reason()).isEqualTo("meets the gate");
        assertThat(events.get(4).timestamp()).isEqualTo(START.plusSeconds(1));
        // AND before/after record what changed
        assertThat(events.get(0).before()).isNull();
        assertThat(Json.tree(events.get(3).before()).get("status").asText()).isEqualTo("TRAINED");
        assertThat(Json.tree(events.get(3).after()).get("status").asText()).isEqualTo("APPROVED");
        assertThat(Json.tree(events.get(4).after()).get("version").asInt()).isEqualTo(1);
        assertThat(events.get(5).after()).isNull();
        // AND the chain verifies
        AuditVerification verification = registry.verifyAudit("churn");
        assertThat(verification.intact()).as(verification.problem()).isTrue();
        assertThat(verification.eventsChecked()).isEqualTo(6);
        assertThat(verification.headHash()).isEqualTo(events.get(5).hash());
    }

    @Test
    void eachModelHasItsOwnChain() {
        // GIVEN changes to two models, interleaved
        registry.createModel(model("churn"), CHANGE);
        registry.createModel(model("fraud"), CHANGE);
        registry.registerVersion("churn", lineage(), CHANGE);
        registry.registerVersion("fraud", lineage(), CHANGE);

        // WHEN / THEN each log starts at 1 from the genesis hash and verifies alone
        for (String name : List.of("churn", "fraud")) {
            List<AuditEvent> events = events(name);
            assertThat(events).extracting(AuditEvent::sequence).containsExactly(1L, 2L);
            assertThat(events).allSatisfy(e -> assertThat(e.model()).isEqualTo(name));
            assertThat(events.get(0).previousHash()).isEqualTo(AuditEvent.GENESIS);
            assertThat(registry.verifyAudit(name).intact()).isTrue();
        }
    }

    @Test
    void theAuditLogIsReadPageByPage() {
        // GIVEN a model with five events
        registry.createModel(model("churn"), CHANGE);
        for (int i = 0; i < 4; i++) {
            registry.registerVersion("churn", lineage(), CHANGE);
        }

        // WHEN read two at a time
        List<List<Long>> pages = new ArrayList<>();
        String token = null;
        do {
            Page<AuditEvent> page = registry.audit("churn", new PageRequest(token, 2));
            pages.add(page.items().stream().map(AuditEvent::sequence).toList());
            token = page.nextToken();
        } while (token != null && pages.size() < 10);

        // THEN every event comes once, oldest first
        assertThat(pages).containsExactly(List.of(1L, 2L), List.of(3L, 4L), List.of(5L));
        assertThat(store.auditEvents("churn", 3, 10)).extracting(AuditEvent::sequence).containsExactly(4L, 5L);
    }

    @Test
    void auditTimestampsNeverGoBackwardsWhenTheClockDoes() {
        // GIVEN a change at 12:00
        clock.set(START.plus(Duration.ofHours(12)));
        registry.createModel(model("churn"), CHANGE);

        // WHEN the host clock steps back a minute and another change is made
        clock.advance(Duration.ofMinutes(-1));
        registry.registerVersion("churn", lineage(), CHANGE);

        // THEN the second event is not earlier than the first, and the chain verifies
        List<AuditEvent> events = events("churn");
        assertThat(events.get(1).timestamp()).isEqualTo(events.get(0).timestamp());
        assertThat(registry.verifyAudit("churn").intact()).isTrue();
    }

    @Test
    void theLogAnswersWhichVersionAnAliasPointedAtAtAnyTime() {
        // GIVEN production set to 1 at t1, moved to 2 at t2, deleted at t3
        registry.createModel(model("churn"), CHANGE);
        approvedVersion("churn");
        approvedVersion("churn");
        Instant t1 = clock.advance(Duration.ofMinutes(10));
        registry.setAlias("churn", Alias.PRODUCTION, 1, null, null, CHANGE);
        Instant t2 = clock.advance(Duration.ofMinutes(10));
        registry.setAlias("churn", Alias.PRODUCTION, 2, 1, null, CHANGE);
        registry.setAlias("churn", Alias.CANARY, 1, null, 0.1, CHANGE);
        Instant t3 = clock.advance(Duration.ofMinutes(10));
        registry.deleteAlias("churn", Alias.PRODUCTION, 2, CHANGE);

        // WHEN / THEN the answer at each moment is what production pointed at then
        assertThat(registry.aliasAt("churn", Alias.PRODUCTION, t1.minusMillis(1))).isEmpty();
        assertThat(registry.aliasAt("churn", Alias.PRODUCTION, t1)).contains(1);
        assertThat(registry.aliasAt("churn", Alias.PRODUCTION, t1.plusSeconds(30))).contains(1);
        assertThat(registry.aliasAt("churn", Alias.PRODUCTION, t2)).contains(2);
        assertThat(registry.aliasAt("churn", Alias.PRODUCTION, t3.minusMillis(1))).contains(2);
        assertThat(registry.aliasAt("churn", Alias.PRODUCTION, t3)).isEmpty();
        assertThat(registry.aliasAt("churn", Alias.CANARY, t3.plusSeconds(60))).contains(1);
    }

    @Test
    void invalidInputIsRefusedBeforeTheStoreIsTouched() {
        // GIVEN a model
        registry.createModel(model("churn"), CHANGE);

        // WHEN / THEN bad names and weights are validation errors naming the field
        assertThatThrownBy(() -> registry.model("Bad Name")).isInstanceOf(ValidationException.class).hasMessageContaining("name");
        approvedVersion("churn");
        assertThatThrownBy(() -> registry.setAlias("churn", Alias.CANARY, 1, null, 1.5, CHANGE))
                .isInstanceOf(ValidationException.class).hasMessageContaining("weight");
        assertThatThrownBy(() -> registry.setAlias("churn", Alias.PRODUCTION, 1, null, 0.5, CHANGE))
                .isInstanceOf(ValidationException.class).hasMessageContaining("weight");
        assertThat(registry.aliases("churn")).isEmpty();
    }

    // ---------------------------------------------------------------- concurrency

    /**
     * Issue 2, point 4: {@value #THREADS} threads interleave register-version and set-alias on one model. Every
     * thread registers a version, approves it and tries to move production onto it from the version it last
     * read. Nothing may be lost: numbers are 1..N, every compare-and-set applies or is refused as a conflict, and
     * the audit log holds exactly one event per applied change, chained.
     */
    @Test
    void concurrentRegistrationsAndAliasMovesLoseNothing() throws Exception {
        // GIVEN one model, and two store instances on its data, each used by half the threads
        registry.createModel(model("churn"), CHANGE);
        RegistryStore peer = openPeerStore(clock);
        Registry[] registries = {registry, new Registry(peer, clock)};
        AtomicInteger applied = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        List<Integer> registered = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);

        // WHEN every thread registers, approves and moves production, at the same time
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            String actor = "worker-" + t;
            Registry registry = registries[t % registries.length];
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < ITERATIONS_PER_THREAD; i++) {
                    int number = registry.registerVersion("churn", lineage(), Change.by(actor, null)).number();
                    registered.add(number);
                    registry.transition("churn", number, VersionStatus.TRAINED, Change.by(actor, null));
                    registry.approve("churn", number, Change.by(actor, null));
                    Integer expected = registry.alias("churn", Alias.PRODUCTION).map(Alias::version).orElse(null);
                    try {
                        registry.setAlias("churn", Alias.PRODUCTION, number, expected, null, Change.by(actor, null));
                        applied.incrementAndGet();
                    } catch (ConcurrentUpdateException e) {
                        conflicts.incrementAndGet(); // lost the race: allowed, and must be the only way to lose
                    }
                }
                return null;
            }));
        }
        start.countDown();
        pool.shutdown();
        try {
            for (Future<?> future : futures) {
                future.get(120, TimeUnit.SECONDS); // rethrows any error other than a lost compare-and-set
            }
        } finally {
            pool.shutdownNow();
            if (peer != store && peer instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }

        // THEN version numbers are exactly 1..N, each handed out once
        int n = THREADS * ITERATIONS_PER_THREAD;
        List<Integer> expectedNumbers = IntStream.rangeClosed(1, n).boxed().toList();
        assertThat(registered).containsExactlyInAnyOrderElementsOf(expectedNumbers);
        assertThat(versionPages("churn", null, 100).stream().flatMap(List::stream).toList())
                .containsExactlyElementsOf(expectedNumbers);
        assertThat(versionPages("churn", VersionStatus.APPROVED, 100).stream().flatMap(List::stream).toList())
                .containsExactlyElementsOf(expectedNumbers);
        // AND every compare-and-set either applied or was refused as a conflict
        assertThat(applied.get() + conflicts.get()).isEqualTo(n);
        assertThat(applied.get()).isPositive();
        // AND the log holds exactly one event per applied change, chained and intact
        List<AuditEvent> events = events("churn");
        assertThat(events).filteredOn(e -> e.action() == AuditAction.MODEL_CREATED).hasSize(1);
        assertThat(events).filteredOn(e -> e.action() == AuditAction.VERSION_REGISTERED).hasSize(n);
        assertThat(events).filteredOn(e -> e.action() == AuditAction.VERSION_UPDATED).hasSize(2 * n);
        List<AuditEvent> aliasSets = events.stream().filter(e -> e.action() == AuditAction.ALIAS_SET).toList();
        assertThat(aliasSets).hasSize(applied.get());
        assertThat(events).hasSize(1 + 3 * n + applied.get());
        AuditVerification verification = registry.verifyAudit("churn");
        assertThat(verification.intact()).as(verification.problem()).isTrue();
        assertThat(verification.eventsChecked()).isEqualTo(events.size());
        // AND no alias update was lost: each move started from where the one before left production
        Integer previous = null;
        for (AuditEvent set : aliasSets) {
            JsonNode before = set.before() == null ? null : Json.tree(set.before());
            Integer from = before == null ? null : before.get("version").asInt();
            assertThat(from).as("alias move at sequence %d", set.sequence()).isEqualTo(previous);
            previous = Json.tree(set.after()).get("version").asInt();
        }
        assertThat(registry.alias("churn", Alias.PRODUCTION).map(Alias::version)).contains(previous);
    }

    // ---------------------------------------------------------------- helpers

    /** A valid model definition named {@code name}. */
    protected static Model model(String name) {
        FeatureSchema schema = new FeatureSchema(List.of(Feature.numeric("tenure_months"),
                Feature.categorical("plan", List.of("basic", "pro"))));
        return new Model(name, Task.BINARY_CLASSIFICATION, schema, "churned", "team-ml", Map.of("domain", "retention"),
                null, null);
    }

    protected static Lineage lineage() {
        return new Lineage("s3://datasets/churn/2026-01-01.csv", Hashing.sha256Hex("rows"), "local",
                Map.of("epochs", "3"), null, null, "manual");
    }

    /** Registers a version and moves it to APPROVED; returns its number. */
    protected int approvedVersion(String model) {
        int number = registry.registerVersion(model, lineage(), CHANGE).number();
        registry.transition(model, number, VersionStatus.TRAINED, CHANGE);
        registry.approve(model, number, CHANGE);
        return number;
    }

    /** The whole audit log of {@code model}, read through the store in pages of 100. */
    protected List<AuditEvent> events(String model) {
        List<AuditEvent> all = new ArrayList<>();
        long after = 0;
        while (true) {
            List<AuditEvent> page = store.auditEvents(model, after, 100);
            all.addAll(page);
            if (page.size() < 100) {
                return all;
            }
            after = page.get(page.size() - 1).sequence();
            if (all.size() > 100_000) {
                fail("the audit log of " + model + " does not end");
            }
        }
    }

    protected List<AuditAction> actions(String model) {
        return events(model).stream().map(AuditEvent::action).toList();
    }

    /** Version numbers page by page, following next tokens. */
    protected List<List<Integer>> versionPages(String model, VersionStatus status, int limit) {
        List<List<Integer>> pages = new ArrayList<>();
        String token = null;
        do {
            Page<ModelVersion> page = registry.versions(model, status, new PageRequest(token, limit));
            pages.add(page.items().stream().map(ModelVersion::number).toList());
            token = page.nextToken();
            if (pages.size() > 10_000) {
                fail("the version listing of " + model + " does not end");
            }
        } while (token != null);
        return pages;
    }
}
