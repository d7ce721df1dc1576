package io.modelcycle.core.metrics;

import java.util.List;

/**
 * Port: reads a statistic of one series per period. Adapters: CloudWatch ({@code GetMetricData}) and the embedded
 * SQLite store, which aggregates in SQL. Implementations must pass {@code MetricsStoreContract} in the testkit.
 *
 * <p>Errors: {@link io.modelcycle.core.ValidationException} for a query the store refuses,
 * {@link io.modelcycle.core.TransientException} when the store is throttled or unreachable,
 * {@link io.modelcycle.core.StoreException} for anything retrying will not fix. An unknown metric is not an error:
 * it has no datapoints.
 */
public interface MetricsSource {

    /**
     * One datapoint per period of {@code query} that holds at least one point, ordered by time (oldest first);
     * periods without points are left out, never reported as zero.
     */
    List<Datapoint> read(MetricQuery query);
}
