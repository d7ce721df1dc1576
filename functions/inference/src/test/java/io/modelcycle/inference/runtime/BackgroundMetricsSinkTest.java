package io.modelcycle.inference.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcycle.core.metrics.Datapoint;
import io.modelcycle.core.metrics.MetricPoint;
import io.modelcycle.core.metrics.MetricQuery;
import io.modelcycle.core.metrics.MetricUnit;
import io.modelcycle.core.metrics.ServingMetrics;
import io.modelcycle.core.metrics.Statistic;
import io.modelcycle.embedded.metrics.SqliteMetricsStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackgroundMetricsSinkTest {

    @TempDir
    Path dir;

    @Test
    void points_published_off_the_request_path_reach_the_store_by_flush() {
        Instant at = Instant.parse("2026-11-29T10:00:00Z");
        try (SqliteMetricsStore store = new SqliteMetricsStore(dir.resolve("m.db"));
             BackgroundMetricsSink sink = new BackgroundMetricsSink(store, 1000)) {
            for (int i = 0; i < 50; i++) {
                sink.publish(List.of(new MetricPoint(ServingMetrics.requests("churn", 1), 1, MetricUnit.COUNT, at)));
            }
            sink.flush();

            List<Datapoint> sum = store.read(MetricQuery.covering(ServingMetrics.requests("churn", 1), Statistic.SUM,
                    Duration.ofMinutes(1), at.minusSeconds(60), at.plusSeconds(60)));
            assertThat(sum).extracting(Datapoint::value).containsExactly(50.0);
            assertThat(sink.dropped()).isZero();
        }
    }

    @Test
    void a_full_queue_drops_and_counts_instead_of_blocking_and_a_closed_sink_drops_everything() {
        Instant at = Instant.parse("2026-11-29T10:00:00Z");
        // A store that does not answer until released: whatever the consumer took, and the 5 the queue holds, are all
        // that can be accepted, so at least 90 of 100 points must be dropped, however the threads are scheduled.
        java.util.concurrent.CountDownLatch storeAnswers = new java.util.concurrent.CountDownLatch(1);
        BackgroundMetricsSink sink = new BackgroundMetricsSink(points -> {
            try {
                storeAnswers.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, 5);
        for (int i = 0; i < 100; i++) {
            sink.publish(List.of(new MetricPoint(ServingMetrics.requests("churn", 1), 1, MetricUnit.COUNT, at)));
        }
        assertThat(sink.dropped()).isGreaterThanOrEqualTo(90);

        storeAnswers.countDown();
        sink.close();
        long before = sink.dropped();
        sink.publish(List.of(new MetricPoint(ServingMetrics.requests("churn", 1), 1, MetricUnit.COUNT, at)));
        assertThat(sink.dropped()).isEqualTo(before + 1);
    }
}
