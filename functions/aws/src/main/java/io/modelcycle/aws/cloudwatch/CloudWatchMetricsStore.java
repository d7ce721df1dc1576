package io.modelcycle.aws.cloudwatch;

import io.modelcycle.aws.AwsClients;
import io.modelcycle.aws.AwsErrors;
import io.modelcycle.core.TransientException;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.metrics.Datapoint;
import io.modelcycle.core.metrics.MetricPoint;
import io.modelcycle.core.metrics.MetricQuery;
import io.modelcycle.core.metrics.MetricsSink;
import io.modelcycle.core.metrics.MetricsSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.MetricStat;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;

/**
 * {@link MetricsSink} and {@link MetricsSource} on Amazon CloudWatch.
 *
 * <p>{@link #publish} sends {@code PutMetricData} requests split by {@link PutMetricDataBatches}: one namespace per
 * request, at most 1,000 metric data and at most 1 MB of (uncompressed) form-encoded body each, in order. The
 * requests of one publish are not atomic: when one fails, the earlier ones are stored.
 *
 * <p>Points are published at CloudWatch's standard resolution (one minute), which is what custom metrics cost least
 * at: a read with a period under 60 s returns one-minute aggregates here, where the embedded store would return
 * finer ones. ModelCycle's metrics and alarms use periods of a minute or more. CloudWatch also refuses points
 * timestamped more than two weeks ago or two hours ahead ({@link ValidationException}); the embedded store does not.
 *
 * <p>{@link #read} sends one {@code GetMetricData} query for the series, statistic and period, follows
 * {@code NextToken} to the end, and returns the datapoints oldest first. Points can take a moment to become
 * readable in CloudWatch after they are published.
 *
 * <p>Errors: CloudWatch's parameter errors ({@code InvalidParameterValue}, {@code InvalidParameterCombination},
 * {@code MissingParameter}) become {@link ValidationException}; throttling, 5xx, network trouble and a read whose
 * status is {@code InternalError} become {@link TransientException}; everything else a
 * {@link io.modelcycle.core.StoreException} (see {@link AwsErrors}). The SDK exception is kept as the cause.
 */
public final class CloudWatchMetricsStore implements MetricsSink, MetricsSource {

    private static final Set<String> PARAMETER_ERRORS =
            Set.of("InvalidParameterValue", "InvalidParameterCombination", "MissingParameter");
    private static final String QUERY_ID = "m0";

    private final CloudWatchClient cloudWatch;
    private final int maxDataPerRequest;

    public CloudWatchMetricsStore(CloudWatchClient cloudWatch) {
        this(cloudWatch, PutMetricDataBatches.MAX_DATA_PER_REQUEST);
    }

    /**
     * With fewer metric data per request than CloudWatch allows. Only for tests against moto, whose parsing of a
     * PutMetricData request grows with the square of its size (a 1,000-datum request takes about 20 s there).
     */
    CloudWatchMetricsStore(CloudWatchClient cloudWatch, int maxDataPerRequest) {
        this.cloudWatch = Objects.requireNonNull(cloudWatch, "cloudWatch");
        this.maxDataPerRequest = maxDataPerRequest;
    }

    /** On the process's shared CloudWatch client. */
    public static CloudWatchMetricsStore create(AwsClients clients) {
        return new CloudWatchMetricsStore(clients.cloudWatch());
    }

    @Override
    public void publish(Collection<MetricPoint> points) {
        if (points.isEmpty()) {
            return;
        }
        List<MetricPoint> all = List.copyOf(points);
        for (PutMetricDataBatches.Batch batch : PutMetricDataBatches.split(all, maxDataPerRequest)) {
            List<MetricDatum> data = new ArrayList<>(batch.points().size());
            for (MetricPoint point : batch.points()) {
                data.add(datum(point));
            }
            try {
                cloudWatch.putMetricData(b -> b.namespace(batch.namespace()).metricData(data));
            } catch (RuntimeException e) {
                throw translate("publishing " + data.size() + " points to CloudWatch namespace '" + batch.namespace()
                        + "'", e);
            }
        }
    }

    @Override
    public List<Datapoint> read(MetricQuery query) {
        Metric metric = Metric.builder()
                .namespace(query.metric().namespace())
                .metricName(query.metric().name())
                .dimensions(dimensions(query.metric().dimensions()))
                .build();
        MetricDataQuery dataQuery = MetricDataQuery.builder()
                .id(QUERY_ID)
                .metricStat(MetricStat.builder()
                        .metric(metric)
                        .period(Math.toIntExact(query.period().getSeconds()))
                        .stat(query.statistic().cloudWatchName())
                        .build())
                .returnData(true)
                .build();
        List<Datapoint> datapoints = new ArrayList<>();
        String token = null;
        do {
            GetMetricDataRequest request = GetMetricDataRequest.builder()
                    .metricDataQueries(dataQuery)
                    .startTime(query.start())
                    .endTime(query.end())
                    .scanBy(ScanBy.TIMESTAMP_ASCENDING)
                    .nextToken(token)
                    .build();
            GetMetricDataResponse response;
            try {
                response = cloudWatch.getMetricData(request);
            } catch (RuntimeException e) {
                throw translate("reading " + query.metric() + " from CloudWatch", e);
            }
            for (MetricDataResult result : response.metricDataResults()) {
                if (!QUERY_ID.equals(result.id())) {
                    continue;
                }
                if (result.statusCode() == StatusCode.INTERNAL_ERROR) {
                    throw new TransientException("reading " + query.metric() + " from CloudWatch failed, briefly: "
                            + "GetMetricData returned status InternalError", null);
                }
                List<Instant> timestamps = result.timestamps();
                List<Double> values = result.values();
                for (int i = 0; i < Math.min(timestamps.size(), values.size()); i++) {
                    Instant at = timestamps.get(i);
                    if (!at.isBefore(query.start()) && at.isBefore(query.end()) && values.get(i) != null) {
                        datapoints.add(new Datapoint(at, values.get(i)));
                    }
                }
            }
            token = response.nextToken();
        } while (token != null && !token.isEmpty());
        datapoints.sort(Comparator.comparing(Datapoint::timestamp));
        return datapoints;
    }

    private static MetricDatum datum(MetricPoint point) {
        return MetricDatum.builder()
                .metricName(point.metric().name())
                .dimensions(dimensions(point.metric().dimensions()))
                .value(point.value())
                .unit(point.unit().cloudWatchName())
                .timestamp(point.timestamp())
                .build();
    }

    private static List<Dimension> dimensions(Map<String, String> dimensions) {
        List<Dimension> list = new ArrayList<>(dimensions.size());
        dimensions.forEach((name, value) -> list.add(Dimension.builder().name(name).value(value).build()));
        return list;
    }

    static RuntimeException translate(String what, RuntimeException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null
                && PARAMETER_ERRORS.contains(service.awsErrorDetails().errorCode())) {
            ValidationException invalid = new ValidationException("metrics", "CloudWatch refused " + what + ": "
                    + service.awsErrorDetails().errorMessage());
            invalid.initCause(e);
            return invalid;
        }
        return AwsErrors.translate(what, e);
    }
}
