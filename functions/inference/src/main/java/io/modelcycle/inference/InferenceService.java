package io.modelcycle.inference;

import io.modelcycle.core.ConflictException;
import io.modelcycle.core.IntegrityException;
import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.capture.CaptureRecord;
import io.modelcycle.core.capture.CaptureSink;
import io.modelcycle.core.metrics.MetricPoint;
import io.modelcycle.core.metrics.MetricUnit;
import io.modelcycle.core.metrics.MetricsSink;
import io.modelcycle.core.metrics.ServingMetrics;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.model.Task;
import io.modelcycle.core.registry.Alias;
import io.modelcycle.core.registry.ModelVersion;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.djl.ModelUnavailableException;
import io.modelcycle.djl.Prediction;
import io.modelcycle.http.HttpException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves predictions: resolves what a request asks for to one version, keeps that version's model loaded, validates
 * the rows, predicts, and records the serving metrics and a sampled capture.
 *
 * <p><b>Routing.</b> A model's aliases (and the model record, for its schema-level policies) are read from the
 * registry at most once per {@link Settings#routesTtl()} (default {@value Settings#DEFAULT_ROUTES_TTL_MILLIS} ms) per
 * model, so a promotion or a rollback is served within that time. A request for {@code production} (the default) goes
 * to the {@code canary} alias's version with the canary's weight when there is a canary; a request for any other
 * alias goes to that alias's version; a request may also pin a version, which must be APPROVED or DEPLOYED.
 *
 * <p><b>Loading.</b> A version's model is loaded once, after its archive's SHA-256 matched the registry
 * ({@link ModelLoader}), and kept. When the routes of a model are refreshed, a loaded version that no alias points at
 * any more (and that no pinned request used within {@link Settings#pinnedIdle()}) is retired: closed once the
 * requests using it are done. A version whose archive fails the check is not served: 503, one
 * {@value ServingMetrics#INTEGRITY_FAILURES} point, and no new attempt before {@link Settings#retryAfter()}.
 *
 * <p><b>Metrics</b> ({@link ServingMetrics}, dimensions model and version): {@code Requests} and {@code LatencyMs} per
 * request a version answered, {@code Errors} per request it failed on our side (a client's bad input is not the
 * version's fault). Publishing failures are logged and never fail a request.
 *
 * <p>Thread-safe.
 */
public final class InferenceService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InferenceService.class);

    /**
     * How routing and loading behave.
     *
     * @param routesTtl  how long aliases read from the registry are used before they are read again
     * @param pinnedIdle how long a version loaded for pinned requests only stays loaded without being used
     * @param retryAfter how long a version whose artifact failed to load is refused before it is tried again
     */
    public record Settings(Duration routesTtl, Duration pinnedIdle, Duration retryAfter) {
        public static final long DEFAULT_ROUTES_TTL_MILLIS = 5_000;
        public static final Settings DEFAULT = new Settings(Duration.ofMillis(DEFAULT_ROUTES_TTL_MILLIS),
                Duration.ofMinutes(5), Duration.ofSeconds(30));

        public Settings {
            Objects.requireNonNull(routesTtl, "routesTtl");
            Objects.requireNonNull(pinnedIdle, "pinnedIdle");
            Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }

    /** What a request resolved to. */
    record Target(Model model, int version, String alias) {
    }

    private record Routes(Model model, Map<String, Alias> aliases, long fetchedAtMillis) {
    }

    /** A version's load, done once; a failure is remembered until {@code retryAtMillis}. */
    private static final class Slot {
        LoadedModel loaded;
        RuntimeException failure;
        long retryAtMillis;
    }

    private final Registry registry;
    private final ModelLoader loader;
    private final CaptureSink capture;
    private final MetricsSink metrics;
    private final Clock clock;
    private final Settings settings;
    private final CanaryRouter router;
    private final Map<String, Routes> routes = new ConcurrentHashMap<>();
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    /** While priming: every step runs, but no metric point or capture record leaves the service. */
    private volatile boolean priming;

    InferenceService(Registry registry, ModelLoader loader, CaptureSink capture, MetricsSink metrics, Clock clock,
                     Settings settings, CanaryRouter router) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.capture = Objects.requireNonNull(capture, "capture");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = settings == null ? Settings.DEFAULT : settings;
        this.router = Objects.requireNonNull(router, "router");
    }

    /**
     * @param registry  where aliases and versions are read
     * @param artifacts where model archives are read
     * @param workDir   scratch space for unpacking archives (Lambda: under {@code /tmp})
     * @param capture   where sampled requests go
     * @param metrics   where serving metrics go
     * @param clock     for the routes' time to live and the metric timestamps
     * @param settings  routing and loading behaviour; null for {@link Settings#DEFAULT}
     */
    public static InferenceService create(Registry registry, io.modelcycle.core.artifact.ArtifactStore artifacts,
                                          java.nio.file.Path workDir, CaptureSink capture, MetricsSink metrics,
                                          Clock clock, Settings settings) {
        return new InferenceService(registry, new ModelLoader(artifacts, workDir), capture, metrics, clock, settings,
                new CanaryRouter());
    }

    // ---- resolution ----

    /** The version serving {@code alias} of {@code model}, drawing the canary for {@code production}. */
    Target resolve(String model, String alias) {
        Routes r = routes(model);
        Alias target = r.aliases().get(alias);
        if (target == null) {
            throw new NotFoundException("model '" + model + "' has no alias '" + alias + "'; its aliases are "
                    + new TreeSet<>(r.aliases().keySet()));
        }
        if (Alias.PRODUCTION.equals(alias)) {
            Alias canary = r.aliases().get(Alias.CANARY);
            if (canary != null && canary.weight() != null && router.draw(canary.weight())) {
                return new Target(r.model(), canary.version(), Alias.CANARY);
            }
        }
        return new Target(r.model(), target.version(), alias);
    }

    /** The version {@code alias} points at, without drawing the canary (priming). */
    Target resolveExact(String model, String alias) {
        Routes r = routes(model);
        Alias target = r.aliases().get(alias);
        if (target == null) {
            throw new NotFoundException("model '" + model + "' has no alias '" + alias + "'");
        }
        return new Target(r.model(), target.version(), alias);
    }

    /** A pinned version: it must exist and be servable (APPROVED or DEPLOYED). */
    Target pinned(String model, int version) {
        Routes r = routes(model);
        String key = key(model, version);
        Slot slot = slots.get(key);
        if (slot == null || slot.loaded == null) {
            ModelVersion v = registry.version(model, version);
            if (!v.status().isServable()) {
                throw new ConflictException("version " + version + " of model '" + model + "' is " + v.status()
                        + "; only APPROVED or DEPLOYED versions are served");
            }
        }
        return new Target(r.model(), version, null);
    }

    private Routes routes(String model) {
        long now = clock.millis();
        Routes current = routes.get(model);
        if (current != null && now - current.fetchedAtMillis() < settings.routesTtl().toMillis()
                && now >= current.fetchedAtMillis()) {
            return current;
        }
        Model definition = registry.model(model); // NotFoundException → 404
        Map<String, Alias> byName = new HashMap<>();
        for (Alias a : registry.aliases(model)) {
            byName.put(a.name(), a);
        }
        Routes fresh = new Routes(definition, Map.copyOf(byName), now);
        routes.put(model, fresh);
        retireUnrouted(model, fresh, now);
        return fresh;
    }

    /** Retires loaded versions of {@code model} that no alias points at and no pinned request used lately. */
    private void retireUnrouted(String model, Routes fresh, long now) {
        Set<Integer> routed = new HashSet<>();
        fresh.aliases().values().forEach(a -> routed.add(a.version()));
        String prefix = model + "@";
        for (Map.Entry<String, Slot> e : slots.entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                continue;
            }
            Slot slot = e.getValue();
            synchronized (slot) {
                LoadedModel m = slot.loaded;
                if (m != null && !routed.contains(m.version())
                        && now - m.lastUsedMillis() >= settings.pinnedIdle().toMillis()) {
                    slots.remove(e.getKey(), slot);
                    m.retire();
                    LOG.info("released version {} of model '{}': no alias routes to it", m.version(), model);
                }
            }
        }
    }

    // ---- loading ----

    /** The loaded model of the target, acquired: call {@link LoadedModel#release()} when done. */
    LoadedModel acquire(Target target) {
        String key = key(target.model().name(), target.version());
        while (true) {
            Slot slot = slots.computeIfAbsent(key, k -> new Slot());
            LoadedModel m;
            synchronized (slot) {
                long now = clock.millis();
                if (slot.loaded == null) {
                    if (slot.failure != null && now < slot.retryAtMillis) {
                        throw unavailable(target, slot.failure, false);
                    }
                    try {
                        ModelVersion version = registry.version(target.model().name(), target.version());
                        slot.loaded = new LoadedModel(target.model().name(), target.version(), loader.load(version));
                        slot.failure = null;
                        LOG.info("loaded version {} of model '{}'", target.version(), target.model().name());
                    } catch (IntegrityException | ModelUnavailableException e) {
                        slot.failure = e;
                        slot.retryAtMillis = now + settings.retryAfter().toMillis();
                        throw unavailable(target, e, true);
                    }
                }
                m = slot.loaded;
                if (m.acquire(now)) {
                    return m;
                }
                slots.remove(key, slot); // retired meanwhile: load it afresh
            }
        }
    }

    private HttpException unavailable(Target target, RuntimeException cause, boolean fresh) {
        String model = target.model().name();
        if (fresh) {
            LOG.error("version {} of model '{}' cannot be served", target.version(), model, cause);
            if (cause instanceof IntegrityException) {
                // counted even while priming: a damaged artifact is a fact about the store, not traffic
                send(List.of(point(ServingMetrics.integrityFailures(model, target.version()), 1, MetricUnit.COUNT)));
            }
        }
        String why = cause instanceof IntegrityException
                ? "its model artifact failed the SHA-256 check against the registry"
                : "its model artifact cannot be loaded";
        return new HttpException(503, "MODEL_UNAVAILABLE", "version " + target.version() + " of model '" + model
                + "' is not served: " + why + "; retry later or ask the model's owner",
                Map.of("retry-after", Long.toString(Math.max(1, settings.retryAfter().toSeconds()))));
    }

    /** Which versions of {@code model} are loaded now (for tests and operators). */
    public Set<Integer> loadedVersions(String model) {
        Set<Integer> out = new TreeSet<>();
        slots.forEach((k, slot) -> {
            synchronized (slot) {
                if (k.startsWith(model + "@") && slot.loaded != null) {
                    out.add(slot.loaded.version());
                }
            }
        });
        return out;
    }

    // ---- predicting ----

    /** Predicts {@code rows} with the target's version; see {@link #priming} for the warm-up before a snapshot. */
    PredictResponse predict(Target target, List<Map<String, Object>> rows, String requestId) {
        long start = System.nanoTime();
        String model = target.model().name();
        LoadedModel loaded;
        try {
            loaded = acquire(target);
        } catch (HttpException e) {
            publish(List.of(point(ServingMetrics.requests(model, target.version()), 1, MetricUnit.COUNT),
                    point(ServingMetrics.errors(model, target.version()), 1, MetricUnit.COUNT)));
            throw e;
        }
        try {
            List<List<Object>> values = loaded.validator().validate(rows); // ValidationException → 400, not an error
            List<Prediction> predictions;
            try {
                predictions = loaded.tabular().predictValues(values);
            } catch (RuntimeException e) {
                publish(List.of(point(loaded.requests, 1, MetricUnit.COUNT), point(loaded.errors, 1, MetricUnit.COUNT)));
                throw e;
            }
            PredictResponse response = new PredictResponse(model, target.version(), target.alias(), requestId, predictions);
            double millis = (System.nanoTime() - start) / 1e6;
            java.time.Instant now = clock.instant();
            publish(List.of(new MetricPoint(loaded.requests, 1, MetricUnit.COUNT, now),
                    new MetricPoint(loaded.latency, millis, MetricUnit.MILLISECONDS, now)));
            maybeCapture(target, loaded, rows, requestId, predictions);
            return response;
        } finally {
            loaded.release();
        }
    }

    private void maybeCapture(Target target, LoadedModel loaded, List<Map<String, Object>> rows, String requestId,
                              List<Prediction> predictions) {
        double rate = target.model().policies().capture().sampleRate();
        if (rate <= 0 || !router.draw(rate)) {
            return;
        }
        try {
            List<Object> outputs = new ArrayList<>(predictions.size());
            Task task = loaded.spec().task();
            String positive = task == Task.BINARY_CLASSIFICATION ? loaded.spec().classes().get(1) : null;
            for (Prediction p : predictions) {
                // the same prediction column as the drift baseline (profile.json): P(positive), label, or value
                outputs.add(switch (task) {
                    case BINARY_CLASSIFICATION -> p.probabilities().get(positive);
                    case MULTICLASS_CLASSIFICATION -> p.label();
                    case REGRESSION -> p.value();
                });
            }
            CaptureRecord record = new CaptureRecord(clock.instant(), target.model().name(), target.version(),
                    target.alias(), requestId, rows, outputs);
            if (!priming) {
                capture.capture(record);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not capture request {}", requestId, e); // capture never fails a request
        }
    }

    private MetricPoint point(io.modelcycle.core.metrics.MetricId id, double value, MetricUnit unit) {
        return new MetricPoint(id, value, unit, clock.instant());
    }

    private void publish(List<MetricPoint> points) {
        if (!priming) {
            send(points);
        }
    }

    private void send(List<MetricPoint> points) {
        try {
            metrics.publish(points);
        } catch (RuntimeException e) {
            LOG.warn("could not publish serving metrics", e); // a metric lost is better than a request failed
        }
    }

    // ---- SnapStart ----

    /**
     * Priming: draws once (loading the generator's classes and the secure seed source), then forgets the generator,
     * so no random state is in the snapshot.
     */
    void primeRouter() {
        router.draw(0.5);
        router.reseed();
    }

    /**
     * Runs {@code call} in priming mode: requests take every step (routing, the canary draw, validation, prediction,
     * building metric points and capture records) but nothing is published or captured. Only for the CRaC hook, when
     * the environment serves no traffic.
     */
    <T> T priming(java.util.function.Supplier<T> call) {
        priming = true;
        try {
            return call.get();
        } finally {
            priming = false;
        }
    }

    /** Forgets what must not outlive a snapshot: the random generator and the routes read before it. */
    void afterRestore() {
        router.reseed();
        routes.clear();
    }

    private static String key(String model, int version) {
        return model + "@" + version;
    }

    /** Flushes the capture sink and closes every loaded model. */
    @Override
    public void close() {
        capture.close();
        for (Slot slot : slots.values()) {
            synchronized (slot) {
                if (slot.loaded != null) {
                    slot.loaded.retire();
                }
            }
        }
        slots.clear();
        if (metrics instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("could not close the metrics sink", e);
            }
        }
    }
}
