package io.modelcycle.core.metrics;

import io.modelcycle.core.ValidationException;
import java.time.Instant;

/**
 * One period's statistic, as a {@link MetricsSource} returns it.
 *
 * @param timestamp the start of the period
 * @param value     the statistic over the points published in {@code [timestamp, timestamp + period)}
 */
public record Datapoint(Instant timestamp, double value) {
    public Datapoint {
        if (timestamp == null) {
            throw new ValidationException("datapoint.timestamp", "is required");
        }
    }
}
