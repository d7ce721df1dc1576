package io.modelcycle.core.metrics;

import io.modelcycle.core.model.Model;
import java.util.Map;

/**
 * The serving metrics the inference handler publishes per answering version, and the deployment workflow reads
 * to compare a canary with production. Namespace {@value #NAMESPACE}, dimensions {@code model} and
 * {@code version}:
 * <ul>
 *   <li>{@value #REQUESTS} — prediction requests answered by the version (count, one point per request);</li>
 *   <li>{@value #ERRORS} — requests the version failed with a server-side error (count);</li>
 *   <li>{@value #LATENCY} — handler latency in milliseconds;</li>
 *   <li>{@value #INTEGRITY_FAILURES} — model artifacts refused because their SHA-256 did not match the registry.</li>
 * </ul>
 * Client errors (bad input) are not the version's fault and are not counted as errors.
 */
public final class ServingMetrics {

    public static final String NAMESPACE = "modelcycle/serving";
    public static final String REQUESTS = "Requests";
    public static final String ERRORS = "Errors";
    public static final String LATENCY = "LatencyMs";
    public static final String INTEGRITY_FAILURES = "ModelIntegrityFailures";

    private ServingMetrics() {
    }

    public static MetricId requests(String model, int version) {
        return of(REQUESTS, model, version);
    }

    public static MetricId errors(String model, int version) {
        return of(ERRORS, model, version);
    }

    public static MetricId latency(String model, int version) {
        return of(LATENCY, model, version);
    }

    public static MetricId integrityFailures(String model, int version) {
        return of(INTEGRITY_FAILURES, model, version);
    }

    private static MetricId of(String name, String model, int version) {
        return new MetricId(NAMESPACE, name, Map.of(DriftAlarms.MODEL, Model.requireName(model),
                DriftAlarms.VERSION, Integer.toString(version)));
    }
}
