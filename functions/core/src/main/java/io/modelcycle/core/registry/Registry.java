package io.modelcycle.core.registry;

import io.modelcycle.core.ConcurrentUpdateException;
import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.model.Model;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The registry service: the one place that enforces the version status machine and the alias rules, over any
 * {@link RegistryStore}. Moves that are already done are no-ops (no second audit event), so a workflow task
 * that is retried or delivered twice has the effect of once.
 */
public final class Registry {

    /** How often a status move is re-read and re-tried when another writer changed the version meanwhile. */
    private static final int MAX_ATTEMPTS = 5;

    private final RegistryStore store;
    private final Clock clock;

    public Registry(RegistryStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Registry(RegistryStore store) {
        this(store, Clock.systemUTC());
    }

    public RegistryStore store() {
        return store;
    }

    // ---- models ----

    public Model createModel(Model definition, Change change) {
        return store.createModel(definition, change);
    }

    public Model model(String name) {
        Model.requireName(name);
        return store.findModel(name).orElseThrow(() -> new NotFoundException("model '" + name + "' does not exist"));
    }

    public Page<Model> models(PageRequest page) {
        return store.listModels(page);
    }

    // ---- versions ----

    /** Registers the next version, in status TRAINING. */
    public ModelVersion registerVersion(String model, Lineage lineage, Change change) {
        Model.requireName(model);
        return store.createVersion(model, lineage, change);
    }

    public ModelVersion version(String model, int number) {
        Model.requireName(model);
        return store.findVersion(model, number).orElseThrow(() -> new NotFoundException(
                "version " + number + " of model '" + model + "' does not exist"));
    }

    public Page<ModelVersion> versions(String model, VersionStatus status, PageRequest page) {
        model(model);
        return store.listVersions(model, status, page);
    }

    /** Moves a version to {@code target}, refusing moves the status machine forbids. */
    public ModelVersion transition(String model, int number, VersionStatus target, Change change) {
        return update(model, number, target, change, v -> v.next(target, v.artifact(), v.metrics(), v.profileKey(),
                v.cardKey(), change.reason(), v.lineage(), now()));
    }

    /** Records a finished training job: TRAINING → TRAINED with its artifact, metrics, profile and card. */
    public ModelVersion recordTrained(String model, int number, ArtifactRef artifact, Map<String, Double> metrics,
                                      String profileKey, String cardKey, Lineage lineage, Change change) {
        Objects.requireNonNull(artifact, "artifact");
        return update(model, number, VersionStatus.TRAINED, change, v -> v.next(VersionStatus.TRAINED, artifact,
                metrics, profileKey, cardKey, change.reason(), lineage == null ? v.lineage() : lineage, now()));
    }

    /** Records a failed training job: TRAINING → FAILED, with the cause as the status reason. */
    public ModelVersion recordFailed(String model, int number, Change change) {
        return transition(model, number, VersionStatus.FAILED, change);
    }

    /** Approves a version waiting for approval or fresh from training (automatic approval). */
    public ModelVersion approve(String model, int number, Change change) {
        return transition(model, number, VersionStatus.APPROVED, change);
    }

    /** Rejects a version; the reason is required, because a rejection nobody can explain is useless later. */
    public ModelVersion reject(String model, int number, Change change) {
        if (change.reason() == null || change.reason().isBlank()) {
            throw new ValidationException("reason", "a rejection needs a reason");
        }
        return transition(model, number, VersionStatus.REJECTED, change);
    }

    /** Merges extra metrics into a version without changing its status (e.g. the quality gate's verdict). */
    public ModelVersion addMetrics(String model, int number, Map<String, Double> extra, Change change) {
        for (int attempt = 1; ; attempt++) {
            ModelVersion current = version(model, number);
            Map<String, Double> merged = new HashMap<>(current.metrics());
            merged.putAll(extra);
            if (merged.equals(current.metrics())) {
                return current;
            }
            ModelVersion updated = current.next(current.status(), current.artifact(), merged, current.profileKey(),
                    current.cardKey(), current.statusReason(), current.lineage(), now());
            try {
                return store.updateVersion(current, updated, change);
            } catch (ConcurrentUpdateException e) {
                if (attempt == MAX_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private interface Step {
        ModelVersion apply(ModelVersion current);
    }

    private ModelVersion update(String model, int number, VersionStatus target, Change change, Step step) {
        for (int attempt = 1; ; attempt++) {
            ModelVersion current = version(model, number);
            if (current.status() == target) {
                return current; // already done: the same request twice has the effect of once
            }
            if (!current.status().canMoveTo(target)) {
                throw new IllegalTransitionException(model, number, current.status(), target);
            }
            try {
                return store.updateVersion(current, step.apply(current), change);
            } catch (ConcurrentUpdateException e) {
                if (attempt == MAX_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    // ---- aliases ----

    /**
     * Points {@code alias} at {@code version} if it currently points at {@code expectedVersion} (null: if it does
     * not exist yet). The version must be APPROVED or DEPLOYED. Setting an alias to where it already points,
     * with the same weight, is a no-op.
     */
    public Alias setAlias(String model, String alias, int version, Integer expectedVersion, Double weight, Change change) {
        Alias wanted = new Alias(model, alias, version, weight, null);
        ModelVersion target = version(model, version);
        if (!target.status().isServable()) {
            throw new VersionNotServableException(model, alias, version, target.status());
        }
        Optional<Alias> current = store.findAlias(model, alias);
        if (current.isPresent() && current.get().version() == version && Objects.equals(current.get().weight(), weight)
                && Objects.equals(expectedVersion, version)) {
            return current.get();
        }
        return store.setAlias(wanted, expectedVersion, change);
    }

    public void deleteAlias(String model, String alias, int expectedVersion, Change change) {
        model(model);
        store.deleteAlias(model, alias, expectedVersion, change);
    }

    public Optional<Alias> alias(String model, String alias) {
        Model.requireName(model);
        return store.findAlias(model, alias);
    }

    public List<Alias> aliases(String model) {
        model(model);
        return store.listAliases(model);
    }

    // ---- audit ----

    /** A page of the audit log, oldest first; the token is the last sequence number returned. */
    public Page<AuditEvent> audit(String model, PageRequest page) {
        model(model);
        long after = 0;
        if (page.token() != null) {
            try {
                after = Long.parseLong(page.token());
            } catch (NumberFormatException e) {
                throw new ValidationException("nextToken", "is not a token this API issued");
            }
        }
        List<AuditEvent> events = store.auditEvents(model, after, page.limit() + 1);
        boolean more = events.size() > page.limit();
        List<AuditEvent> items = more ? events.subList(0, page.limit()) : events;
        return new Page<>(items, more ? Long.toString(items.get(items.size() - 1).sequence()) : null);
    }

    /** Reads the whole log in pages and verifies the hash chain. */
    public AuditVerification verifyAudit(String model) {
        model(model);
        AuditChain chain = new AuditChain();
        long after = 0;
        while (true) {
            List<AuditEvent> events = store.auditEvents(model, after, 500);
            for (AuditEvent event : events) {
                if (!chain.accept(event)) {
                    return chain.result();
                }
            }
            if (events.size() < 500) {
                return chain.result();
            }
            after = events.get(events.size() - 1).sequence();
        }
    }

    /** Which version {@code alias} pointed at, at {@code time}, according to the audit log. */
    public Optional<Integer> aliasAt(String model, String alias, Instant time) {
        model(model);
        List<AuditEvent> all = new ArrayList<>();
        long after = 0;
        while (true) {
            List<AuditEvent> events = store.auditEvents(model, after, 500);
            all.addAll(events);
            if (events.size() < 500 || events.get(events.size() - 1).timestamp().isAfter(time)) {
                break;
            }
            after = events.get(events.size() - 1).sequence();
        }
        return AuditChain.aliasAt(all, alias, time);
    }

    private Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }
}
