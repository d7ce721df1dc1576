package io.modelcycle.aws.dynamodb;

import io.modelcycle.aws.AwsErrors;
import io.modelcycle.core.AlreadyExistsException;
import io.modelcycle.core.ConcurrentUpdateException;
import io.modelcycle.core.Json;
import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.StoreException;
import io.modelcycle.core.TransientException;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.registry.Alias;
import io.modelcycle.core.registry.AuditAction;
import io.modelcycle.core.registry.AuditEvent;
import io.modelcycle.core.registry.AuditHead;
import io.modelcycle.core.registry.Change;
import io.modelcycle.core.registry.Lineage;
import io.modelcycle.core.registry.ModelVersion;
import io.modelcycle.core.registry.Page;
import io.modelcycle.core.registry.PageRequest;
import io.modelcycle.core.registry.RegistryStore;
import io.modelcycle.core.registry.VersionInUseException;
import io.modelcycle.core.registry.VersionNotServableException;
import io.modelcycle.core.registry.VersionStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * {@link RegistryStore} on one DynamoDB table (single-table design), every change one {@code TransactWriteItems}.
 *
 * <h2>Table</h2>
 * String keys {@code pk} (partition) and {@code sk} (sort), on-demand billing, no secondary index:
 * <table>
 *   <caption>items</caption>
 *   <tr><th>pk</th><th>sk</th><th>attributes</th><th>what</th></tr>
 *   <tr><td>{@code MODEL#churn}</td><td>{@code META}</td>
 *       <td>{@code model} (JSON), {@code versionCount}, {@code auditSeq}, {@code auditHash}, {@code auditTime}</td>
 *       <td>the model, its version counter and the head of its audit chain</td></tr>
 *   <tr><td>{@code MODEL#churn}</td><td>{@code VERSION#0000000003}</td>
 *       <td>{@code data} (JSON), {@code revision}, {@code status}</td><td>one version</td></tr>
 *   <tr><td>{@code MODEL#churn}</td><td>{@code ALIAS#production}</td><td>{@code data} (JSON), {@code version}</td>
 *       <td>one alias</td></tr>
 *   <tr><td>{@code MODEL#churn}</td><td>{@code AUDIT#00000000000000000007}</td><td>{@code data} (JSON)</td>
 *       <td>one audit event</td></tr>
 *   <tr><td>{@code MODELS}</td><td>{@code MODEL#churn}</td><td>{@code model} (JSON)</td>
 *       <td>the directory of models, for listing them in name order</td></tr>
 * </table>
 * Everything of one model lives in its own partition, so a model's versions, aliases and log are each one
 * {@code Query} on a sort-key prefix, already in order (numbers are zero-padded). Models are listed from the
 * {@code MODELS} partition rather than a global secondary index because index reads are only eventually consistent:
 * a model just created must be listed at once. That partition is written only when a model is created.
 *
 * <h2>Writes</h2>
 * A change reads the model's {@code META} item and the subject it changes (together, in one {@code TransactGetItems},
 * so they are a consistent snapshot), checks the caller's expectation against it, and commits, in one transaction:
 * <ol>
 *   <li>an update of {@code META} conditioned on {@code auditSeq} still being the sequence it read, which sets the new
 *       audit head (and, when registering a version, the version counter: numbers are 1..N without gaps because only
 *       the writer that advanced the head from the sequence it read can take the next number);</li>
 *   <li>the write of the subject with its own condition: the version's {@code revision}, the alias's current
 *       {@code version} or its absence, the model's absence;</li>
 *   <li>the put of the audit event, built with {@link AuditHead#append} and conditioned on its absence.</li>
 * </ol>
 * When the transaction is cancelled, the cancellation reasons say which condition failed. If the {@code META}
 * condition failed, another writer changed the model in between: the change is re-read and retried (bounded, with
 * jittered backoff). The subject's condition may have failed in the same transaction for the same reason (the other
 * writer took the next version number or audit slot), so the fresh read, not the reason, decides whether the caller's
 * expectation (revision, alias version) still holds; if not, {@link ConcurrentUpdateException} is thrown before any
 * further transaction. If the {@code META} condition held but the subject's failed, the caller's compare-and-set lost:
 * {@link ConcurrentUpdateException} (or {@link AlreadyExistsException} for a model). Writers in one process that
 * change the same model also queue on a lock first, so they do not spend transactions racing each other; the
 * conditions alone keep writers in different processes (Lambda instances) correct.
 *
 * <p>Reads that decide a write, and all reads through this port, are strongly consistent: a caller reads its own
 * writes. Timestamps come from the store's clock, truncated to milliseconds and never earlier than the model's last
 * audit event.
 *
 * <p>Errors: throttling, 5xx and network failures are {@link TransientException}; a missing table or denied access is
 * a {@link StoreException}.
 */
public final class DynamoDbRegistryStore implements RegistryStore {

    static final String PK = "pk";
    static final String SK = "sk";
    static final String META = "META";
    static final String MODELS = "MODELS";
    static final String MODEL_PREFIX = "MODEL#";
    static final String VERSION_PREFIX = "VERSION#";
    static final String ALIAS_PREFIX = "ALIAS#";
    static final String AUDIT_PREFIX = "AUDIT#";

    /** Positions in every write transaction: 0 is the META update, 1 the subject, 2 the audit event. */
    private static final int META_UPDATE = 0;
    private static final int SUBJECT = 1;
    /** How often a change is re-read and retried after losing the META race to another writer. */
    private static final int MAX_ATTEMPTS = 50;
    private static final long MAX_BACKOFF_MILLIS = 100;
    private static final int LOCK_STRIPES = 64;
    private static final int QUERY_BATCH = 100;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];

    /**
     * @param dynamo from {@code AwsClients.dynamoDb()}
     * @param table  the table, created by the CDK app (or {@link #createTable} in tests and local use)
     * @param clock  the source of every timestamp the store sets
     */
    public DynamoDbRegistryStore(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        if (table == null || table.isBlank()) {
            throw new ValidationException("table", "a DynamoDB table name is required");
        }
        this.table = table;
        this.clock = Objects.requireNonNull(clock, "clock");
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    public DynamoDbRegistryStore(DynamoDbClient dynamo, String table) {
        this(dynamo, table, Clock.systemUTC());
    }

    /**
     * Creates the registry table ({@code pk}/{@code sk} strings, on-demand) and waits until it is active. For tests
     * and local use; in AWS the CDK app defines the table (with point-in-time recovery and deletion protection).
     */
    public static void createTable(DynamoDbClient dynamo, String table) {
        try {
            dynamo.createTable(b -> b.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName(PK).attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName(SK).attributeType(ScalarAttributeType.S).build())
                    .keySchema(
                            KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName(SK).keyType(KeyType.RANGE).build()));
            dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
        } catch (RuntimeException e) {
            throw AwsErrors.translate("creating DynamoDB table " + table, e);
        }
    }

    public String table() {
        return table;
    }

    // ------------------------------------------------------------------ models

    @Override
    public Model createModel(Model model, Change change) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(change, "change");
        String name = model.name();
        return locked(name, () -> {
            Instant at = eventTime(AuditHead.EMPTY);
            Model stored = model.withCreatedAt(at);
            AuditEvent event = AuditHead.EMPTY.append(name, at, change, AuditAction.MODEL_CREATED,
                    AuditHead.MODEL_SUBJECT, null, stored);
            String json = Json.write(stored);
            Map<String, AttributeValue> meta = key(modelPk(name), META);
            meta.put("model", s(json));
            meta.put("versionCount", n(0));
            putHead(meta, event);
            Map<String, AttributeValue> directory = key(MODELS, MODEL_PREFIX + name);
            directory.put("model", s(json));
            try {
                dynamo.transactWriteItems(b -> b.transactItems(
                        putIfAbsent(meta),
                        putIfAbsent(directory),
                        putIfAbsent(auditItem(event))));
            } catch (TransactionCanceledException e) {
                throwIfTransient("creating model '" + name + "'", e);
                throw new AlreadyExistsException("model '" + name + "' already exists");
            } catch (RuntimeException e) {
                throw AwsErrors.translate("creating model '" + name + "' in " + table, e);
            }
            return stored;
        });
    }

    @Override
    public Optional<Model> findModel(String name) {
        Model.requireName(name);
        return readMeta(name).map(meta -> Json.read(meta.get("model").s(), Model.class));
    }

    @Override
    public Page<Model> listModels(PageRequest page) {
        String after = page.token();
        if (after != null && !Model.NAME.matcher(after).matches()) {
            throw new ValidationException("nextToken", "is not a token this API issued");
        }
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", s(MODELS), ":prefix", s(MODEL_PREFIX)));
        if (after != null) {
            query.exclusiveStartKey(key(MODELS, MODEL_PREFIX + after));
        }
        List<Map<String, AttributeValue>> items = queryAtMost(query, page.limit() + 1, "listing models");
        List<Model> models = items.stream().map(i -> Json.read(i.get("model").s(), Model.class)).toList();
        return page(models, page.limit(), Model::name);
    }

    // ------------------------------------------------------------------ versions

    @Override
    public ModelVersion createVersion(String model, Lineage lineage, Change change) {
        Model.requireName(model);
        Objects.requireNonNull(lineage, "lineage");
        Objects.requireNonNull(change, "change");
        return writeWithRetry(model, "registering a version of model '" + model + "'", () -> {
            Meta meta = requireMeta(model);
            int number = meta.versionCount + 1;
            Instant at = eventTime(meta.head);
            ModelVersion version = new ModelVersion(model, number, VersionStatus.TRAINING, lineage, null, Map.of(),
                    null, null, null, at, at, 1);
            AuditEvent event = meta.head.append(model, at, change, AuditAction.VERSION_REGISTERED,
                    AuditHead.versionSubject(number), null, version);
            List<TransactWriteItem> items = List.of(
                    advanceHead(model, meta.head, event, number),
                    putIfAbsent(versionItem(version)),
                    putIfAbsent(auditItem(event)));
            return new Attempt<>(items, version, reasons -> new StoreException("version " + number + " of model '"
                    + model + "' exists although the version counter is " + meta.versionCount
                    + ": the table is inconsistent", reasons));
        });
    }

    @Override
    public Optional<ModelVersion> findVersion(String model, int number) {
        Model.requireName(model);
        if (number < 1) {
            return Optional.empty();
        }
        return getItem(modelPk(model), versionSk(number), "reading version " + number + " of model '" + model + "'")
                .map(DynamoDbRegistryStore::version);
    }

    @Override
    public Page<ModelVersion> listVersions(String model, VersionStatus status, PageRequest page) {
        Model.requireName(model);
        int after = 0;
        if (page.token() != null) {
            try {
                after = Integer.parseInt(page.token());
            } catch (NumberFormatException e) {
                throw new ValidationException("nextToken", "is not a token this API issued");
            }
            if (after < 1) {
                throw new ValidationException("nextToken", "is not a token this API issued");
            }
        }
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pk", s(modelPk(model)));
        values.put(":prefix", s(VERSION_PREFIX));
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)");
        if (status != null) {
            // A filter is applied after the read, so a batch may hold fewer matches; queryAtMost keeps reading.
            query.filterExpression("#status = :status").expressionAttributeNames(Map.of("#status", "status"));
            values.put(":status", s(status.name()));
        }
        query.expressionAttributeValues(values);
        if (after > 0) {
            query.exclusiveStartKey(key(modelPk(model), versionSk(after)));
        }
        List<Map<String, AttributeValue>> items = queryAtMost(query, page.limit() + 1,
                "listing versions of model '" + model + "'");
        List<ModelVersion> versions = items.stream().map(DynamoDbRegistryStore::version).toList();
        return page(versions, page.limit(), v -> Integer.toString(v.number()));
    }

    @Override
    public ModelVersion updateVersion(ModelVersion expected, ModelVersion updated, Change change) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(updated, "updated");
        Objects.requireNonNull(change, "change");
        if (!expected.model().equals(updated.model()) || expected.number() != updated.number()) {
            throw new ValidationException("version", "an update must keep the model and number: "
                    + expected.model() + "/" + expected.number() + " cannot become " + updated.model() + "/"
                    + updated.number());
        }
        if (updated.revision() != expected.revision() + 1) {
            throw new ValidationException("revision", "the updated version must be revision "
                    + (expected.revision() + 1) + ", got " + updated.revision());
        }
        String model = expected.model();
        int number = expected.number();
        String what = "version " + number + " of model '" + model + "'";
        return writeWithRetry(model, "updating " + what, () -> {
            Snapshot snapshot = readMetaAnd(model, versionSk(number), "reading " + what);
            Meta meta = snapshot.meta();
            ModelVersion stored = snapshot.subject().map(DynamoDbRegistryStore::version)
                    .orElseThrow(() -> new NotFoundException(what + " does not exist"));
            if (stored.revision() != expected.revision()) {
                throw staleVersion(what, expected, stored.revision(), null);
            }
            if (stored.status().isServable() && !updated.status().isServable()) {
                // Every alias change advances META's audit head, which this transaction's META condition pins: so the
                // aliases read after the snapshot are the aliases at commit, and none can be set in between.
                List<String> serving = listAliases(model).stream().filter(a -> a.version() == number)
                        .map(Alias::name).toList();
                if (!serving.isEmpty()) {
                    throw new VersionInUseException(model, number, serving);
                }
            }
            Instant at = eventTime(meta.head);
            AuditEvent event = meta.head.append(model, at, change, AuditAction.VERSION_UPDATED,
                    AuditHead.versionSubject(number), stored, updated);
            Map<String, AttributeValue> item = versionItem(updated);
            List<TransactWriteItem> items = List.of(
                    advanceHead(model, meta.head, event, null),
                    TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                            .conditionExpression("revision = :expected")
                            .expressionAttributeValues(Map.of(":expected", n(expected.revision())))).build(),
                    putIfAbsent(auditItem(event)));
            return new Attempt<>(items, updated, reasons -> staleVersion(what, expected, null, reasons));
        });
    }

    private static ConcurrentUpdateException staleVersion(String what, ModelVersion expected, Long storedRevision,
                                                          TransactionCanceledException cause) {
        return new ConcurrentUpdateException(what + " was changed by someone else: expected revision "
                + expected.revision() + (storedRevision == null ? "" : ", stored revision is " + storedRevision)
                + "; re-read it and try again", cause);
    }

    // ------------------------------------------------------------------ aliases

    @Override
    public Alias setAlias(Alias alias, Integer expectedVersion, Change change) {
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(change, "change");
        String model = Model.requireName(alias.model());
        String what = "alias '" + alias.name() + "' of model '" + model + "'";
        return writeWithRetry(model, "setting " + what, () -> {
            Snapshot snapshot = readMetaAnd(model, ALIAS_PREFIX + alias.name(), "reading " + what);
            Meta meta = snapshot.meta();
            Optional<Alias> current = snapshot.subject().map(DynamoDbRegistryStore::alias);
            // Versions are numbered 1..versionCount without gaps and never deleted, and the META condition pins
            // versionCount until the commit: so this check on the snapshot holds at commit time, with no extra item.
            if (alias.version() > meta.versionCount()) {
                throw new NotFoundException("version " + alias.version() + " of model '" + model + "' does not exist");
            }
            // Every version change advances META's audit head too, so the status read now is the status at commit.
            ModelVersion target = getItem(modelPk(model), versionSk(alias.version()), "reading version "
                    + alias.version() + " of model '" + model + "'").map(DynamoDbRegistryStore::version)
                    .orElseThrow(() -> new NotFoundException("version " + alias.version() + " of model '" + model
                            + "' does not exist"));
            if (!target.status().isServable()) {
                throw new VersionNotServableException(model, alias.name(), alias.version(), target.status());
            }
            Integer currentVersion = current.map(Alias::version).orElse(null);
            if (!Objects.equals(currentVersion, expectedVersion)) {
                throw aliasMoved(what, expectedVersion, currentVersion, null);
            }
            Instant at = eventTime(meta.head);
            Alias stored = new Alias(model, alias.name(), alias.version(), alias.weight(), at);
            AuditEvent event = meta.head.append(model, at, change, AuditAction.ALIAS_SET,
                    AuditHead.aliasSubject(alias.name()), current.orElse(null), stored);
            Map<String, AttributeValue> item = key(modelPk(model), ALIAS_PREFIX + alias.name());
            item.put("data", s(Json.write(stored)));
            item.put("version", n(stored.version()));
            TransactWriteItem put = expectedVersion == null
                    ? putIfAbsent(item)
                    : TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                            .conditionExpression("version = :expected")
                            .expressionAttributeValues(Map.of(":expected", n(expectedVersion)))).build();
            List<TransactWriteItem> items = List.of(advanceHead(model, meta.head, event, null), put,
                    putIfAbsent(auditItem(event)));
            return new Attempt<>(items, stored, reasons -> aliasMoved(what, expectedVersion,
                    findAlias(model, alias.name()).map(Alias::version).orElse(null), reasons));
        });
    }

    @Override
    public void deleteAlias(String model, String alias, int expectedVersion, Change change) {
        Model.requireName(model);
        Objects.requireNonNull(change, "change");
        String what = "alias '" + alias + "' of model '" + model + "'";
        writeWithRetry(model, "deleting " + what, () -> {
            Snapshot snapshot = readMetaAnd(model, ALIAS_PREFIX + alias, "reading " + what);
            Meta meta = snapshot.meta();
            Alias current = snapshot.subject().map(DynamoDbRegistryStore::alias)
                    .orElseThrow(() -> new NotFoundException(what + " does not exist"));
            if (current.version() != expectedVersion) {
                throw aliasMoved(what, expectedVersion, current.version(), null);
            }
            Instant at = eventTime(meta.head);
            AuditEvent event = meta.head.append(model, at, change, AuditAction.ALIAS_DELETED,
                    AuditHead.aliasSubject(alias), current, null);
            List<TransactWriteItem> items = List.of(
                    advanceHead(model, meta.head, event, null),
                    TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(modelPk(model), ALIAS_PREFIX + alias))
                            .conditionExpression("version = :expected")
                            .expressionAttributeValues(Map.of(":expected", n(expectedVersion)))).build(),
                    putIfAbsent(auditItem(event)));
            return new Attempt<>(items, null, reasons -> {
                Optional<Alias> now = findAlias(model, alias);
                if (now.isEmpty()) {
                    return new NotFoundException(what + " does not exist");
                }
                return aliasMoved(what, expectedVersion, now.get().version(), reasons);
            });
        });
    }

    private static ConcurrentUpdateException aliasMoved(String what, Integer expected, Integer actual,
                                                        TransactionCanceledException cause) {
        return new ConcurrentUpdateException(what + " points at " + (actual == null ? "nothing" : "version " + actual)
                + ", not at " + (expected == null ? "nothing" : "version " + expected) + " as expected", cause);
    }

    @Override
    public Optional<Alias> findAlias(String model, String alias) {
        Model.requireName(model);
        if (alias == null || !Alias.NAME.matcher(alias).matches()) {
            throw new ValidationException("alias", "alias name '" + alias + "' must match " + Alias.NAME.pattern());
        }
        return getItem(modelPk(model), ALIAS_PREFIX + alias, "reading alias '" + alias + "' of model '" + model + "'")
                .map(DynamoDbRegistryStore::alias);
    }

    private static Alias alias(Map<String, AttributeValue> item) {
        return Json.read(item.get("data").s(), Alias.class);
    }

    @Override
    public List<Alias> listAliases(String model) {
        Model.requireName(model);
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", s(modelPk(model)), ":prefix", s(ALIAS_PREFIX)));
        return queryAtMost(query, Integer.MAX_VALUE, "listing aliases of model '" + model + "'").stream()
                .map(item -> Json.read(item.get("data").s(), Alias.class)).toList();
    }

    // ------------------------------------------------------------------ audit

    @Override
    public List<AuditEvent> auditEvents(String model, long afterSequence, int limit) {
        Model.requireName(model);
        if (limit < 1) {
            throw new ValidationException("limit", "must be >= 1, got " + limit);
        }
        if (afterSequence < 0) {
            throw new ValidationException("afterSequence", "must be >= 0, got " + afterSequence);
        }
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":pk", s(modelPk(model)),
                        ":from", s(auditSk(afterSequence + 1)), ":to", s(auditSk(Long.MAX_VALUE))));
        return queryAtMost(query, limit, "reading the audit log of model '" + model + "'").stream()
                .map(item -> Json.read(item.get("data").s(), AuditEvent.class)).toList();
    }

    // ------------------------------------------------------------------ the write protocol

    /** One try at a change: the transaction, its result, and the error to throw if the subject's condition failed. */
    private record Attempt<T>(List<TransactWriteItem> items, T result,
                              java.util.function.Function<TransactionCanceledException, RuntimeException> subjectFailed) {
    }

    private interface AttemptFactory<T> {
        Attempt<T> next();
    }

    /**
     * Builds an attempt from fresh reads, commits it, and on losing only the META race re-reads and tries again. The
     * first item of every attempt is the META update; a failure of any other item is the subject's.
     */
    private <T> T writeWithRetry(String model, String what, AttemptFactory<T> factory) {
        return locked(model, () -> {
            for (int attempt = 1; ; attempt++) {
                Attempt<T> next = factory.next();
                try {
                    dynamo.transactWriteItems(b -> b.transactItems(next.items()));
                    return next.result();
                } catch (TransactionCanceledException e) {
                    throwIfTransient(what, e);
                    if (!failed(e, META_UPDATE) && failed(e, SUBJECT)) {
                        throw next.subjectFailed().apply(e);
                    }
                    // The META head had moved (so the audit slot, and maybe the subject, were taken by the same other
                    // writer), or DynamoDB reported a conflict with a transaction in flight. Re-read and retry: the
                    // fresh reads tell a lost compare-and-set of the caller's (thrown before the next transaction)
                    // from a change to something else of the model (which the retry simply follows).
                    if (attempt == MAX_ATTEMPTS) {
                        throw new TransientException(what + " gave up after " + MAX_ATTEMPTS
                                + " attempts: other writers kept changing model '" + model + "'", e);
                    }
                    backoff(attempt);
                } catch (RuntimeException e) {
                    throw AwsErrors.translate(what + " in " + table, e);
                }
            }
        });
    }

    /** Whether item {@code index} of the cancelled transaction failed its condition. */
    private static boolean failed(TransactionCanceledException e, int index) {
        if (!e.hasCancellationReasons() || e.cancellationReasons().size() <= index) {
            return false;
        }
        return "ConditionalCheckFailed".equals(e.cancellationReasons().get(index).code());
    }

    /**
     * Throttling and conflicts with another transaction in flight are not about the caller's conditions: the former is
     * a {@link TransientException}, the latter (only seen on real DynamoDB) is treated like a lost META race.
     */
    private static void throwIfTransient(String what, TransactionCanceledException e) {
        if (!e.hasCancellationReasons()) {
            return;
        }
        for (CancellationReason reason : e.cancellationReasons()) {
            String code = reason.code();
            if ("ThrottlingError".equals(code) || "ProvisionedThroughputExceeded".equals(code)
                    || "RequestLimitExceeded".equals(code)) {
                throw new TransientException(what + " was throttled: " + reason.message(), e);
            }
        }
    }

    private static void backoff(int attempt) {
        long cap = Math.min(MAX_BACKOFF_MILLIS, 1L << Math.min(attempt, 10));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException("interrupted while retrying a registry write", e);
        }
    }

    private interface Body<T> {
        T run();
    }

    /** Serialises this process's writers to one model, so they queue instead of cancelling each other's transactions. */
    private <T> T locked(String model, Body<T> body) {
        ReentrantLock lock = locks[Math.floorMod(model.hashCode(), LOCK_STRIPES)];
        lock.lock();
        try {
            return body.run();
        } finally {
            lock.unlock();
        }
    }

    /** The event time: the clock, in milliseconds, never before the previous event (as {@link AuditHead#append}). */
    private Instant eventTime(AuditHead head) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return head.timestamp() != null && now.isBefore(head.timestamp()) ? head.timestamp() : now;
    }

    /** Moves the audit head from {@code head} to {@code event}, and the version counter to {@code versionCount}. */
    private TransactWriteItem advanceHead(String model, AuditHead head, AuditEvent event, Integer versionCount) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":expected", n(head.sequence()));
        values.put(":seq", n(event.sequence()));
        values.put(":hash", s(event.hash()));
        values.put(":time", s(event.timestamp().toString()));
        String update = "SET auditSeq = :seq, auditHash = :hash, auditTime = :time";
        if (versionCount != null) {
            update += ", versionCount = :count";
            values.put(":count", n(versionCount));
        }
        String expression = update;
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(key(modelPk(model), META))
                .updateExpression(expression)
                .conditionExpression("auditSeq = :expected")
                .expressionAttributeValues(values)).build();
    }

    private TransactWriteItem putIfAbsent(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk)")).build();
    }

    private static void putHead(Map<String, AttributeValue> meta, AuditEvent event) {
        meta.put("auditSeq", n(event.sequence()));
        meta.put("auditHash", s(event.hash()));
        meta.put("auditTime", s(event.timestamp().toString()));
    }

    private static Map<String, AttributeValue> auditItem(AuditEvent event) {
        Map<String, AttributeValue> item = key(modelPk(event.model()), auditSk(event.sequence()));
        item.put("data", s(Json.write(event)));
        return item;
    }

    private static Map<String, AttributeValue> versionItem(ModelVersion version) {
        Map<String, AttributeValue> item = key(modelPk(version.model()), versionSk(version.number()));
        item.put("data", s(Json.write(version)));
        item.put("revision", n(version.revision()));
        item.put("status", s(version.status().name()));
        return item;
    }

    private static ModelVersion version(Map<String, AttributeValue> item) {
        return Json.read(item.get("data").s(), ModelVersion.class);
    }

    // ------------------------------------------------------------------ reads

    /** What a writer must know about a model: its version counter and the head of its audit chain. */
    private record Meta(int versionCount, AuditHead head) {
    }

    private Optional<Map<String, AttributeValue>> readMeta(String model) {
        return getItem(modelPk(model), META, "reading model '" + model + "'");
    }

    /** The META item and one subject item of a model, read together in one serializable request. */
    private record Snapshot(Meta meta, Optional<Map<String, AttributeValue>> subject) {
    }

    private Snapshot readMetaAnd(String model, String subjectSk, String what) {
        List<ItemResponse> responses;
        try {
            responses = dynamo.transactGetItems(b -> b.transactItems(
                    TransactGetItem.builder().get(g -> g.tableName(table).key(key(modelPk(model), META))).build(),
                    TransactGetItem.builder().get(g -> g.tableName(table).key(key(modelPk(model), subjectSk))).build()))
                    .responses();
        } catch (TransactionCanceledException e) {
            // DynamoDB cancels a transactional read that collides with a write in flight.
            throw new TransientException(what + " collided with a write in flight", e);
        } catch (RuntimeException e) {
            throw AwsErrors.translate(what + " in " + table, e);
        }
        Map<String, AttributeValue> meta = responses.get(0).hasItem() ? responses.get(0).item() : Map.of();
        if (meta.isEmpty()) {
            throw new NotFoundException("model '" + model + "' does not exist");
        }
        Map<String, AttributeValue> subject = responses.get(1).hasItem() ? responses.get(1).item() : Map.of();
        return new Snapshot(meta(meta), subject.isEmpty() ? Optional.empty() : Optional.of(subject));
    }

    private Meta requireMeta(String model) {
        return meta(readMeta(model).orElseThrow(() -> new NotFoundException("model '" + model + "' does not exist")));
    }

    private static Meta meta(Map<String, AttributeValue> item) {
        AuditHead head = new AuditHead(Long.parseLong(item.get("auditSeq").n()), item.get("auditHash").s(),
                Instant.parse(item.get("auditTime").s()));
        return new Meta(Integer.parseInt(item.get("versionCount").n()), head);
    }

    private Optional<Map<String, AttributeValue>> getItem(String pk, String sk, String what) {
        try {
            var response = dynamo.getItem(b -> b.tableName(table).key(key(pk, sk)).consistentRead(true));
            return response.hasItem() && !response.item().isEmpty() ? Optional.of(response.item()) : Optional.empty();
        } catch (RuntimeException e) {
            throw AwsErrors.translate(what + " in " + table, e);
        }
    }

    /** Runs the query page after page until {@code max} items are collected or the partition range ends. */
    private List<Map<String, AttributeValue>> queryAtMost(QueryRequest.Builder query, int max, String what) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = query.build().exclusiveStartKey();
        try {
            while (items.size() < max) {
                QueryRequest request = query.limit(Math.min(QUERY_BATCH, Math.max(1, max - items.size())))
                        .exclusiveStartKey(start == null || start.isEmpty() ? null : start).build();
                QueryResponse response = dynamo.query(request);
                for (Map<String, AttributeValue> item : response.items()) {
                    if (items.size() < max) {
                        items.add(item);
                    }
                }
                if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) {
                    break;
                }
                start = response.lastEvaluatedKey();
            }
        } catch (RuntimeException e) {
            throw AwsErrors.translate(what + " in " + table, e);
        }
        return items;
    }

    /** The first {@code limit} of {@code items} (which holds up to one more), with a token if there were more. */
    private static <T> Page<T> page(List<T> items, int limit, java.util.function.Function<T, String> token) {
        if (items.size() <= limit) {
            return new Page<>(items, null);
        }
        List<T> first = items.subList(0, limit);
        return new Page<>(first, token.apply(first.get(limit - 1)));
    }

    // ------------------------------------------------------------------ keys

    static String modelPk(String model) {
        return MODEL_PREFIX + model;
    }

    static String versionSk(int number) {
        return VERSION_PREFIX + String.format("%010d", number);
    }

    static String auditSk(long sequence) {
        return AUDIT_PREFIX + String.format("%020d", sequence);
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        Map<String, AttributeValue> key = new HashMap<>();
        key.put(PK, s(pk));
        key.put(SK, s(sk));
        return key;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    private static AttributeValue n(long value) {
        return AttributeValue.builder().n(Long.toString(value)).build();
    }
}
