package io.modelcycle.local.gateway;

import io.modelcycle.core.capture.BufferedCaptureSink;
import io.modelcycle.inference.InferenceHandler;
import io.modelcycle.inference.InferenceService;
import io.modelcycle.inference.runtime.BackgroundMetricsSink;
import io.modelcycle.local.runtime.LocalRuntime;
import io.modelcycle.registryapi.RegistryApiHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The HTTP side of a {@link LocalRuntime}: the registry API (with feedback and approvals) and inference handlers
 * built on the runtime's stores
 * (inference captures into the runtime's artifact store and counts into its metrics, which is what drift checks and
 * canary health comparisons read), behind a {@link LocalGateway} on loopback.
 *
 * <p>Alias changes made by workflows reach serving within {@link #ROUTES_TTL}: the inference service caches the
 * alias routes that long, as the Lambda does for five seconds.
 */
public final class LocalServing implements AutoCloseable {

    /** How long inference keeps an alias resolution; short, so a promotion is served within a second. */
    public static final Duration ROUTES_TTL = Duration.ofSeconds(1);
    /** How long a captured request waits before it is written; short, so a drift check sees recent traffic. */
    public static final Duration CAPTURE_FLUSH = Duration.ofSeconds(1);

    private final BufferedCaptureSink capture;
    private final BackgroundMetricsSink metrics;
    private final InferenceService inference;
    private final LocalGateway gateway;

    private LocalServing(BufferedCaptureSink capture, BackgroundMetricsSink metrics, InferenceService inference,
                         LocalGateway gateway) {
        this.capture = capture;
        this.metrics = metrics;
        this.inference = inference;
        this.gateway = gateway;
    }

    /**
     * Starts serving {@code runtime}'s models.
     *
     * @param runtime the runtime whose registry, artifacts and metrics the handlers use
     * @param port    the port on 127.0.0.1, 0 for a free one
     * @param actor   the caller recorded in the audit log for changes made through the gateway
     */
    public static LocalServing start(LocalRuntime runtime, int port, String actor) {
        Objects.requireNonNull(runtime, "runtime");
        BufferedCaptureSink capture = new BufferedCaptureSink(runtime.artifacts(), new BufferedCaptureSink.Settings(
                BufferedCaptureSink.DEFAULT_CAPACITY, BufferedCaptureSink.DEFAULT_BATCH_SIZE, CAPTURE_FLUSH));
        // Off the request path, as on Lambda; and through a lambda, because the service closes a closeable sink and
        // the runtime's metrics store outlives this.
        BackgroundMetricsSink metrics = new BackgroundMetricsSink(points -> runtime.metrics().publish(points), 100_000);
        InferenceService inference = InferenceService.create(runtime.registry(), runtime.artifacts(),
                runtime.home().resolve("serving"), capture, metrics, Clock.systemUTC(),
                new InferenceService.Settings(ROUTES_TTL, InferenceService.Settings.DEFAULT.pinnedIdle(),
                        InferenceService.Settings.DEFAULT.retryAfter()));
        try {
            // With the artifact store (feedback) and the workflows (an approval answers a waiting pipeline).
            RegistryApiHandler registryApi = new RegistryApiHandler(runtime.registry(), runtime.artifacts(),
                    runtime.workflows());
            InferenceHandler predictions = new InferenceHandler(inference);
            LocalGateway gateway = LocalGateway.start(port, actor, List.of(
                    new GatewayTarget(RegistryApiHandler.SERVICE, registryApi, registryApi.routes()),
                    new GatewayTarget(InferenceHandler.SERVICE, predictions, predictions.routes())));
            return new LocalServing(capture, metrics, inference, gateway);
        } catch (RuntimeException e) {
            inference.close();
            throw e;
        }
    }

    /** The gateway. */
    public LocalGateway gateway() {
        return gateway;
    }

    /** The inference service behind the prediction routes. */
    public InferenceService inference() {
        return inference;
    }

    /**
     * Writes every captured request and serving metric now, so that a drift check or a health comparison run next
     * sees all of them.
     */
    public void flush() {
        capture.flush();
        metrics.flush();
    }

    @Override
    public void close() {
        gateway.close();
        // Writes what is still buffered (captures, metrics) and releases the loaded models.
        inference.close();
    }
}
