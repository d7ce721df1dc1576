package io.modelcycle.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcycle.core.metrics.Datapoint;
import io.modelcycle.core.metrics.MetricId;
import io.modelcycle.core.metrics.MetricPoint;
import io.modelcycle.core.metrics.MetricQuery;
import io.modelcycle.core.metrics.MetricUnit;
import io.modelcycle.core.metrics.MetricsSink;
import io.modelcycle.core.metrics.MetricsSource;
import io.modelcycle.core.metrics.Statistic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link MetricsSink} and {@link MetricsSource}, for one store that implements both. Extend it once
 * per adapter and return the store under test.
 *
 * <p>Every test publishes under a {@code run} dimension of its own, so tests can share one long-lived store (an
 * emulator) without seeing each other's points. Timestamps are within the last few hours, which CloudWatch accepts.
 */
public abstract class MetricsStoreContract {

    private static final AtomicLong RUNS = new AtomicLong();
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    /** The sink under test; called once per test. */
    protected abstract MetricsSink sink();

    /** The source that reads what {@link #sink()} wrote. */
    protected abstract MetricsSource source();

    protected String run;
    protected Instant base;
    private MetricsSink sink;
    private MetricsSource source;

    @BeforeEach
    void freshRun() {
        run = "r" + Long.toString(System.currentTimeMillis(), 36) + "-" + RUNS.incrementAndGet();
        base = MetricQuery.floor(Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1));
        sink = sink();
        source = source();
    }

    protected MetricId metric(String name, Map<String, String> dimensions) {
        Map<String, String> all = new TreeMap<>(dimensions);
        all.put("run", run);
        return new MetricId("modelcycle/contract", name, all);
    }

    private static MetricPoint point(MetricId metric, double value, Instant at) {
        return new MetricPoint(metric, value, MetricUnit.NONE, at);
    }

    private List<Double> values(MetricQuery query) {
        return source.read(query).stream().map(Datapoint::value).toList();
    }

    @Test
    void reads_each_statistic_per_period_oldest_first_leaving_out_empty_periods() {
        // GIVEN points in periods 0 (1, 2, 6), 1 (10) and 3 (4, 4) of five minutes, published out of order
        MetricId latency = metric("Latency", Map.of("model", "churn"));
        List<MetricPoint> points = new ArrayList<>(List.of(
                point(latency, 1, base.plusSeconds(10)), point(latency, 2, base.plusSeconds(100)),
                point(latency, 6, base.plusSeconds(299)), point(latency, 10, base.plusSeconds(300)),
                point(latency, 4, base.plusSeconds(900)), point(latency, 4, base.plusSeconds(1100))));
        Collections.shuffle(points, new Random(7));
        sink.publish(points);

        // WHEN each statistic is read over the four periods
        // THEN one datapoint per period that has points, at the period's start, oldest first
        MetricQuery average = new MetricQuery(latency, Statistic.AVERAGE, FIVE_MINUTES, base, base.plusSeconds(1200));
        assertThat(source.read(average)).containsExactly(new Datapoint(base, 3.0),
                new Datapoint(base.plusSeconds(300), 10.0), new Datapoint(base.plusSeconds(900), 4.0));
        assertThat(values(withStatistic(average, Statistic.SUM))).containsExactly(9.0, 10.0, 8.0);
        assertThat(values(withStatistic(average, Statistic.MINIMUM))).containsExactly(1.0, 10.0, 4.0);
        assertThat(values(withStatistic(average, Statistic.MAXIMUM))).containsExactly(6.0, 10.0, 4.0);
        assertThat(values(withStatistic(average, Statistic.SAMPLE_COUNT))).containsExactly(3.0, 1.0, 2.0);
    }

    @Test
    void a_longer_period_aggregates_everything_inside_it() {
        // GIVEN the same six points
        MetricId latency = metric("Latency", Map.of("model", "churn"));
        sink.publish(List.of(point(latency, 1, base.plusSeconds(10)), point(latency, 2, base.plusSeconds(100)),
                point(latency, 6, base.plusSeconds(299)), point(latency, 10, base.plusSeconds(300)),
                point(latency, 4, base.plusSeconds(900)), point(latency, 4, base.plusSeconds(1100))));

        // WHEN read in one 20-minute period
        MetricQuery query = new MetricQuery(latency, Statistic.AVERAGE, Duration.ofMinutes(20), base, base.plusSeconds(1200));

        // THEN a single datapoint covers them all
        assertThat(source.read(query)).containsExactly(new Datapoint(base, 27.0 / 6));
    }

    @Test
    void the_range_includes_its_start_and_excludes_its_end() {
        // GIVEN points exactly at the start, just before the end and exactly at the end of a range
        MetricId requests = metric("Requests", Map.of("model", "churn"));
        Instant end = base.plusSeconds(600);
        sink.publish(List.of(point(requests, 1, base), point(requests, 2, end.minusMillis(1)), point(requests, 4, end)));

        // WHEN the range is read as one period
        MetricQuery query = new MetricQuery(requests, Statistic.SUM, Duration.ofMinutes(10), base, end);

        // THEN the first two count and the one at the end does not
        assertThat(values(query)).containsExactly(3.0);
    }

    @Test
    void series_are_told_apart_by_their_dimensions() {
        // GIVEN the same metric name for two models, and for one model also per version
        MetricId churn = metric("DriftedShare", Map.of("model", "churn"));
        MetricId fraud = metric("DriftedShare", Map.of("model", "fraud"));
        MetricId churnV2 = metric("DriftedShare", Map.of("model", "churn", "version", "2"));
        sink.publish(List.of(point(churn, 0.25, base), point(fraud, 0.75, base), point(churnV2, 0.5, base)));

        // WHEN each series is read
        // THEN each holds only its own points: dimensions must match exactly, as in CloudWatch
        assertThat(values(new MetricQuery(churn, Statistic.MAXIMUM, FIVE_MINUTES, base, base.plusSeconds(300))))
                .containsExactly(0.25);
        assertThat(values(new MetricQuery(fraud, Statistic.MAXIMUM, FIVE_MINUTES, base, base.plusSeconds(300))))
                .containsExactly(0.75);
        assertThat(values(new MetricQuery(churnV2, Statistic.MAXIMUM, FIVE_MINUTES, base, base.plusSeconds(300))))
                .containsExactly(0.5);
    }

    @Test
    void an_unknown_metric_has_no_datapoints_and_an_empty_publish_is_a_no_op() {
        sink.publish(List.of());

        MetricQuery query = new MetricQuery(metric("NeverPublished", Map.of()), Statistic.SUM, FIVE_MINUTES, base,
                base.plusSeconds(3600));

        assertThat(source.read(query)).isEmpty();
    }

    @Test
    void a_publish_larger_than_one_request_is_stored_completely() {
        // GIVEN 2,500 points (more than CloudWatch takes in one PutMetricData) over five periods
        MetricId rows = metric("RowsChecked", Map.of("model", "churn"));
        List<MetricPoint> points = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            points.add(point(rows, i % 10, base.plusSeconds((i % 5) * 300L + (i % 7))));
        }

        // WHEN they are published in one call
        sink.publish(points);

        // THEN every one is counted, period by period
        MetricQuery count = new MetricQuery(rows, Statistic.SAMPLE_COUNT, FIVE_MINUTES, base, base.plusSeconds(1500));
        assertThat(values(count)).containsExactly(500.0, 500.0, 500.0, 500.0, 500.0);
        double total = points.stream().mapToDouble(MetricPoint::value).sum();
        MetricQuery sum = new MetricQuery(rows, Statistic.SUM, Duration.ofMinutes(30), base, base.plusSeconds(1800));
        assertThat(values(sum)).containsExactly(total);
    }

    @Test
    void points_with_many_long_dimensions_are_stored_completely() {
        // GIVEN 30 points with 30 dimensions of 500 non-ASCII characters each (about 2.6 MB as one form-encoded request)
        Map<String, String> dimensions = new TreeMap<>();
        for (int d = 0; d < 29; d++) {
            dimensions.put("dimension" + d, (char) ('a' + d % 26) + "é".repeat(498) + "x");
        }
        MetricId wide = metric("Wide", dimensions);
        List<MetricPoint> points = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            points.add(point(wide, i, base.plusSeconds(i)));
        }

        // WHEN they are published
        sink.publish(points);

        // THEN all of them are there, under all of their dimensions
        MetricQuery count = new MetricQuery(wide, Statistic.SAMPLE_COUNT, FIVE_MINUTES, base, base.plusSeconds(300));
        assertThat(values(count)).containsExactly(30.0);
        assertThat(wide.dimensions()).hasSize(30);
    }

    private static MetricQuery withStatistic(MetricQuery query, Statistic statistic) {
        return new MetricQuery(query.metric(), statistic, query.period(), query.start(), query.end());
    }
}
