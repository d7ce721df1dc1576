package io.modelcycle.core.metrics;

import java.util.Collection;
import java.util.List;

/**
 * Port: publishes metric points. Adapters: CloudWatch ({@code PutMetricData}, split into requests within the API's
 * limits) and the embedded SQLite store. Implementations must pass {@code MetricsStoreContract} in the testkit and
 * are thread-safe.
 *
 * <p>A publish of many points may be sent in several requests and is not atomic: when it fails, points of earlier
 * requests may already be stored. Publishing the same points again stores them again (CloudWatch has no
 * idempotency key), so callers retry only what the error says was not stored, or accept the duplicate.
 *
 * <p>Errors: {@link io.modelcycle.core.ValidationException} for a point the store refuses (invalid points are
 * refused by {@link MetricPoint} before any request is made), {@link io.modelcycle.core.TransientException} when
 * the store is throttled or unreachable (retry with backoff), {@link io.modelcycle.core.StoreException} for
 * anything retrying will not fix (denied access, bad configuration). Each keeps the vendor error as its cause.
 */
public interface MetricsSink {

    /** Stores every point; an empty collection is a no-op. */
    void publish(Collection<MetricPoint> points);

    default void publish(MetricPoint point) {
        publish(List.of(point));
    }
}
