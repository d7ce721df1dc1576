package io.modelcycle.core.metrics;

import io.modelcycle.core.ValidationException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * One observation of a metric.
 *
 * @param metric    which series
 * @param value     a finite number within CloudWatch's range, {@code -2^360} to {@code 2^360} (CloudWatch rejects
 *                  NaN and infinities, so both adapters do)
 * @param unit      its unit; null means {@link MetricUnit#NONE}
 * @param timestamp when it was observed; kept to the millisecond, the resolution both stores keep
 */
public record MetricPoint(MetricId metric, double value, MetricUnit unit, Instant timestamp) {

    /** CloudWatch's bound on the magnitude of a value. */
    public static final double MAX_MAGNITUDE = Math.pow(2, 360);

    public MetricPoint {
        if (metric == null) {
            throw new ValidationException("metric", "is required");
        }
        if (!Double.isFinite(value) || Math.abs(value) > MAX_MAGNITUDE) {
            throw new ValidationException("value", "must be a finite number between -2^360 and 2^360, got " + value
                    + " for " + metric);
        }
        unit = unit == null ? MetricUnit.NONE : unit;
        if (timestamp == null) {
            throw new ValidationException("timestamp", "is required for " + metric);
        }
        timestamp = timestamp.truncatedTo(ChronoUnit.MILLIS);
    }

    public static MetricPoint of(String namespace, String name, Map<String, String> dimensions, double value,
                                 MetricUnit unit, Instant timestamp) {
        return new MetricPoint(new MetricId(namespace, name, dimensions), value, unit, timestamp);
    }
}
