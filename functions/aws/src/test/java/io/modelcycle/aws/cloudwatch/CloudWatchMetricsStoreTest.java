package io.modelcycle.aws.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcycle.aws.AwsClients;
import io.modelcycle.aws.AwsConfig;
import io.modelcycle.core.TransientException;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.metrics.MetricId;
import io.modelcycle.core.metrics.MetricPoint;
import io.modelcycle.core.metrics.MetricQuery;
import io.modelcycle.core.metrics.MetricUnit;
import io.modelcycle.core.metrics.MetricsSink;
import io.modelcycle.core.metrics.MetricsSource;
import io.modelcycle.core.metrics.Statistic;
import io.modelcycle.testkit.aws.AwsEmulator;
import io.modelcycle.testkit.aws.AwsEmulatorExtension;
import io.modelcycle.testkit.contract.MetricsStoreContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;

/**
 * {@link CloudWatchMetricsStore} against the AWS emulator: the metrics contract, and the request limits measured on
 * the requests the SDK really sends.
 */
class CloudWatchMetricsStoreTest extends MetricsStoreContract {

    @RegisterExtension
    static final AwsEmulatorExtension AWS = new AwsEmulatorExtension();

    /** One PutMetricData request as it left the SDK: its datum count and its body size before any gzip. */
    record SentRequest(int data, long bodyBytes) {
    }

    static final List<SentRequest> SENT = new CopyOnWriteArrayList<>();
    static AwsClients clients;
    static CloudWatchClient recordingClient;

    @BeforeAll
    static void clients() {
        clients = new AwsClients(AwsConfig.fromEnv(AWS.emulator().environment()));
        ExecutionInterceptor recorder = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                if (context.request() instanceof PutMetricDataRequest put) {
                    boolean gzipped = context.httpRequest().firstMatchingHeader("Content-Encoding")
                            .filter(encoding -> encoding.contains("gzip")).isPresent();
                    long bytes = ((software.amazon.awssdk.http.SdkHttpFullRequest) context.httpRequest())
                            .contentStreamProvider().map(body -> {
                        try (InputStream raw = body.newStream();
                             InputStream in = gzipped ? new GZIPInputStream(raw) : raw) {
                            return (long) in.readAllBytes().length;
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).orElse(0L);
                    SENT.add(new SentRequest(put.metricData().size(), bytes));
                }
            }
        };
        recordingClient = client(AWS.emulator().endpoint(), recorder);
    }

    static CloudWatchClient client(URI endpoint, ExecutionInterceptor... interceptors) {
        return CloudWatchClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(AwsEmulator.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(AwsEmulator.ACCESS_KEY_ID, AwsEmulator.SECRET_ACCESS_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> {
                    for (ExecutionInterceptor interceptor : interceptors) {
                        c.addExecutionInterceptor(interceptor);
                    }
                })
                .build();
    }

    @AfterAll
    static void closeClients() {
        recordingClient.close();
        clients.close();
    }

    private CloudWatchMetricsStore store;

    /**
     * The contract runs with 100 metric data per request: moto's parsing of a PutMetricData request grows with the
     * square of its size (about 20 s for 1,000 data), and the contract's 2,500-point publish would take a minute.
     * The full 1,000 is exercised once, below, on a real request.
     */
    private CloudWatchMetricsStore store() {
        if (store == null) {
            store = new CloudWatchMetricsStore(clients.cloudWatch(), 100);
        }
        return store;
    }

    @Override
    protected MetricsSink sink() {
        return store();
    }

    @Override
    protected MetricsSource source() {
        return store();
    }

    @Test
    void more_than_a_thousand_points_go_out_in_requests_of_at_most_a_thousand() {
        // GIVEN 1,001 small points and the store as production builds it
        CloudWatchMetricsStore recorded = new CloudWatchMetricsStore(recordingClient);
        MetricId rows = metric("RowsChecked", Map.of("model", "churn"));
        List<MetricPoint> points = new ArrayList<>();
        for (int i = 0; i < 1_001; i++) {
            points.add(new MetricPoint(rows, i, MetricUnit.COUNT, base.plusSeconds(i % 300)));
        }
        SENT.clear();

        // WHEN they are published
        recorded.publish(points);

        // THEN the SDK sent a full request of 1,000 and one of 1, and CloudWatch holds all 1,001
        assertThat(SENT).extracting(SentRequest::data).containsExactly(1000, 1);
        assertThat(recorded.read(new MetricQuery(rows, Statistic.SAMPLE_COUNT, Duration.ofMinutes(5), base,
                base.plusSeconds(300)))).singleElement().satisfies(d -> assertThat(d.value()).isEqualTo(1001.0));
    }

    @Test
    void batches_hold_at_most_a_thousand_data() {
        Instant at = Instant.parse("2026-11-29T10:00:00Z");
        List<MetricPoint> points = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            points.add(MetricPoint.of("modelcycle/a", "M", Map.of("model", "churn"), i, null, at));
        }

        assertThat(PutMetricDataBatches.split(points)).extracting(batch -> batch.points().size())
                .containsExactly(1000, 1000, 500);
    }

    @Test
    void wide_points_are_split_so_that_no_request_body_exceeds_one_megabyte() {
        // GIVEN 30 points with 30 long non-ASCII dimensions each: about 2.6 MB if sent as one request
        Map<String, String> dimensions = new TreeMap<>();
        for (int d = 0; d < 29; d++) {
            dimensions.put("dimension" + d, "é".repeat(500));
        }
        MetricId wide = metric("Wide", dimensions);
        List<MetricPoint> points = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            points.add(new MetricPoint(wide, i, null, base.plusSeconds(i)));
        }
        List<PutMetricDataBatches.Batch> planned = PutMetricDataBatches.split(points);
        SENT.clear();

        // WHEN they are published
        new CloudWatchMetricsStore(recordingClient).publish(points);

        // THEN they left in several requests, each body at most 1,000,000 bytes as the SDK marshalled it, each
        // no larger than the size estimated for it, and together carrying every point
        assertThat(SENT).hasSizeGreaterThanOrEqualTo(3);
        assertThat(SENT).allSatisfy(sent -> assertThat(sent.bodyBytes()).isLessThanOrEqualTo(1_000_000));
        assertThat(SENT.stream().mapToInt(SentRequest::data).sum()).isEqualTo(30);
        assertThat(planned).hasSameSizeAs(SENT);
        for (int i = 0; i < planned.size(); i++) {
            assertThat(planned.get(i).estimatedBytes()).as("estimate of request %d", i)
                    .isGreaterThanOrEqualTo(SENT.get(i).bodyBytes());
        }
        long total = SENT.stream().mapToLong(SentRequest::bodyBytes).sum();
        assertThat(total).as("the points really needed more than one request").isGreaterThan(2_000_000);
    }

    @Test
    void an_unreachable_endpoint_is_a_transient_error() throws IOException {
        // GIVEN a client pointed at a loopback port where nothing listens
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        try (CloudWatchClient nowhere = client(URI.create("http://127.0.0.1:" + port))) {
            CloudWatchMetricsStore unreachable = new CloudWatchMetricsStore(nowhere);
            MetricPoint point = new MetricPoint(metric("Requests", Map.of()), 1, null, base);

            // WHEN it publishes or reads
            // THEN the failure is a TransientException (a workflow may retry it) that keeps the SDK's error
            assertThatThrownBy(() -> unreachable.publish(point))
                    .isInstanceOf(TransientException.class).hasMessageContaining("publishing 1 points")
                    .hasCauseInstanceOf(software.amazon.awssdk.core.exception.SdkClientException.class);
            assertThatThrownBy(() -> unreachable.read(new MetricQuery(point.metric(), Statistic.SUM,
                    Duration.ofMinutes(1), base, base.plusSeconds(60))))
                    .isInstanceOf(TransientException.class).hasMessageContaining("reading");
        }
    }

    @Test
    void a_parameter_error_from_cloudwatch_is_a_validation_error_that_keeps_its_cause() {
        // GIVEN the error CloudWatch returns for a value it refuses
        CloudWatchException refused = (CloudWatchException) CloudWatchException.builder()
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InvalidParameterValue")
                        .errorMessage("The value NaN for parameter MetricData.member.1.Value is invalid.").build())
                .build();

        // WHEN the adapter translates it
        RuntimeException translated = CloudWatchMetricsStore.translate("publishing 1 points", refused);

        // THEN it is a ValidationException saying what CloudWatch said, with the SDK error as cause
        assertThat(translated).isInstanceOf(ValidationException.class)
                .hasMessageContaining("CloudWatch refused publishing 1 points")
                .hasMessageContaining("MetricData.member.1.Value is invalid")
                .hasCause(refused);
    }

    @Test
    void batches_keep_one_namespace_each_and_the_order_of_points() {
        // GIVEN points of two namespaces, interleaved
        Instant at = Instant.parse("2026-11-29T10:00:00Z");
        List<MetricPoint> points = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            points.add(MetricPoint.of(i % 2 == 0 ? "modelcycle/a" : "modelcycle/b", "M", Map.of(), i, null, at));
        }

        // WHEN they are split
        List<PutMetricDataBatches.Batch> batches = PutMetricDataBatches.split(points);

        // THEN each namespace fits in one request of 750, in the original order
        assertThat(batches).extracting(PutMetricDataBatches.Batch::namespace).containsExactly("modelcycle/a", "modelcycle/b");
        assertThat(batches.get(0).points()).hasSize(750).extracting(MetricPoint::value).startsWith(0.0, 2.0, 4.0);
        assertThat(batches.get(1).points()).hasSize(750).extracting(MetricPoint::value).startsWith(1.0, 3.0, 5.0);
    }
}
