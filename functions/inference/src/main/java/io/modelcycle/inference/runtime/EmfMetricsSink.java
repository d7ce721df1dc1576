package io.modelcycle.inference.runtime;

import io.modelcycle.core.ValidationException;
import io.modelcycle.core.metrics.MetricPoint;
import io.modelcycle.core.metrics.MetricsSink;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.cloudwatchlogs.emf.environment.EnvironmentProvider;
import software.amazon.cloudwatchlogs.emf.exception.DimensionSetExceededException;
import software.amazon.cloudwatchlogs.emf.exception.InvalidDimensionException;
import software.amazon.cloudwatchlogs.emf.exception.InvalidMetricException;
import software.amazon.cloudwatchlogs.emf.exception.InvalidNamespaceException;
import software.amazon.cloudwatchlogs.emf.exception.InvalidTimestampException;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * A {@link MetricsSink} that writes CloudWatch embedded metric format (EMF) lines to the function's log instead of
 * calling {@code PutMetricData}: on Lambda, CloudWatch turns each line into metric data, so a request costs one log
 * line rather than an API call. Points with the same namespace, dimensions and timestamp share one line.
 *
 * <p>The metrics carry exactly the points' dimensions (the EMF library's default dimensions, such as the log group,
 * are switched off), so {@code Requests}/{@code model}/{@code version} written here is the series
 * {@link io.modelcycle.core.metrics.MetricsSource} adapters and the deployment workflow's canary check read.
 *
 * <p>Thread-safe: each publish builds its own logger.
 */
public final class EmfMetricsSink implements MetricsSink {

    private final EnvironmentProvider environment = new EnvironmentProvider();

    @Override
    public void publish(Collection<MetricPoint> points) {
        Map<List<Object>, List<MetricPoint>> groups = new LinkedHashMap<>();
        for (MetricPoint p : points) {
            groups.computeIfAbsent(List.of(p.metric().namespace(), p.metric().dimensions(), p.timestamp()),
                    k -> new ArrayList<>()).add(p);
        }
        for (List<MetricPoint> group : groups.values()) {
            MetricPoint first = group.get(0);
            try {
                MetricsLogger logger = new MetricsLogger(environment);
                logger.setNamespace(first.metric().namespace());
                DimensionSet dimensions = new DimensionSet();
                for (Map.Entry<String, String> d : new java.util.TreeMap<>(first.metric().dimensions()).entrySet()) {
                    dimensions.addDimension(d.getKey(), d.getValue());
                }
                logger.setDimensions(false, dimensions);
                logger.setTimestamp(first.timestamp());
                for (MetricPoint p : group) {
                    logger.putMetric(p.metric().name(), p.value(), Unit.fromValue(p.unit().cloudWatchName()));
                }
                logger.flush();
            } catch (InvalidNamespaceException | InvalidDimensionException | DimensionSetExceededException
                     | InvalidMetricException | InvalidTimestampException e) {
                throw new ValidationException("metric", "EMF refuses " + first.metric() + ": " + e.getMessage());
            }
        }
    }
}
