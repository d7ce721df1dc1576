package io.modelcycle.core.registry;

import io.modelcycle.core.model.Model;
import java.util.List;
import java.util.Optional;

/**
 * Port: durable storage of models, versions, aliases and their audit log.
 *
 * <p>Every write is atomic together with the audit event that records it: either both are stored or neither.
 * The store assigns the event's sequence number (the next after the model's last event), its timestamp (the
 * store's clock, never earlier than the previous event) and its hash chain via
 * {@link AuditEvent#chain}. Writers racing on the same model are serialised by the store; only a lost
 * compare-and-set that the caller asked for is reported as a conflict.
 *
 * <p>Implementations must pass {@code RegistryStoreContract} in the testkit.
 *
 * <p>Errors: {@link io.modelcycle.core.NotFoundException} when the model (or version, alias) does not exist,
 * {@link io.modelcycle.core.AlreadyExistsException} on a duplicate model,
 * {@link io.modelcycle.core.ConcurrentUpdateException} when a compare-and-set loses,
 * {@link io.modelcycle.core.TransientException} when the store is briefly unavailable, and
 * {@link io.modelcycle.core.StoreException} for anything else.
 */
public interface RegistryStore {

    /** Stores a new model (with {@code createdAt} set by the store) and its MODEL_CREATED event. */
    Model createModel(Model model, Change change);

    Optional<Model> findModel(String name);

    /** Models in name order. */
    Page<Model> listModels(PageRequest page);

    /**
     * Registers the next version of {@code model} in status TRAINING with the given lineage. Numbers are 1, 2, 3 …
     * with no gaps and no duplicates, whatever the concurrency; a VERSION_REGISTERED event is written with it.
     */
    ModelVersion createVersion(String model, Lineage lineage, Change change);

    Optional<ModelVersion> findVersion(String model, int number);

    /** Versions in ascending number order, optionally only those in {@code status} (null for all). */
    Page<ModelVersion> listVersions(String model, VersionStatus status, PageRequest page);

    /**
     * Replaces {@code expected} by {@code updated} if the stored version still has {@code expected.revision()}.
     * {@code updated} must be {@code expected}'s next revision. Writes a VERSION_UPDATED event.
     *
     * @throws io.modelcycle.core.ConcurrentUpdateException if the stored revision differs
     * @throws VersionInUseException if the update takes the version out of service (to a status that is not
     *         {@link VersionStatus#isServable() servable}) while an alias points at it — checked in the same
     *         transaction as the write, so no alias can be left on a retired version
     */
    ModelVersion updateVersion(ModelVersion expected, ModelVersion updated, Change change);

    /**
     * Points {@code alias} at its version if the alias currently points at {@code expectedVersion} (or, when
     * {@code expectedVersion} is null, does not exist yet). Writes an ALIAS_SET event; the stored alias's
     * {@code updatedAt} is the event's timestamp.
     *
     * @throws io.modelcycle.core.ConcurrentUpdateException if the alias points elsewhere
     * @throws VersionNotServableException if the version is not APPROVED or DEPLOYED at the time of the write
     */
    Alias setAlias(Alias alias, Integer expectedVersion, Change change);

    /**
     * Removes {@code alias} if it currently points at {@code expectedVersion}. Writes an ALIAS_DELETED event.
     *
     * @throws io.modelcycle.core.NotFoundException if there is no such alias
     * @throws io.modelcycle.core.ConcurrentUpdateException if it points elsewhere
     */
    void deleteAlias(String model, String alias, int expectedVersion, Change change);

    Optional<Alias> findAlias(String model, String alias);

    /** All aliases of a model, in name order. */
    List<Alias> listAliases(String model);

    /** Audit events of a model with sequence greater than {@code afterSequence}, ascending, at most {@code limit}. */
    List<AuditEvent> auditEvents(String model, long afterSequence, int limit);
}
