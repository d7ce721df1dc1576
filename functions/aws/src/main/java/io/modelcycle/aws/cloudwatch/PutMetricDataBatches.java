package io.modelcycle.aws.cloudwatch;

import io.modelcycle.core.metrics.MetricPoint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits metric points into {@code PutMetricData} requests that CloudWatch accepts: one namespace per request, at
 * most {@value #MAX_DATA_PER_REQUEST} metric data per request, and at most {@value #MAX_REQUEST_BYTES} bytes of
 * request body.
 *
 * <p>SDK 2.40.2 sends CloudWatch requests in the AWS query protocol: a form-encoded body such as
 * {@code Action=PutMetricData&Version=2010-08-01&Namespace=…&MetricData.member.1.MetricName=…
 * &MetricData.member.1.Dimensions.member.1.Name=…}. The size of each datum is counted here as it will be encoded,
 * with every byte outside the unreserved set counted as a three-character percent escape and the timestamp and value
 * at their longest, so the estimate is never below the real body. The limit is applied to the uncompressed body:
 * the SDK may gzip the request, which only makes it smaller.
 */
final class PutMetricDataBatches {

    /** CloudWatch: "no more than 1000 different metrics" per request; each datum counts as one. */
    static final int MAX_DATA_PER_REQUEST = 1000;
    /** CloudWatch: a request is "limited to 1 MB in size for HTTP POST requests"; 10^6, the smaller reading. */
    static final int MAX_REQUEST_BYTES = 1_000_000;
    /** Longest ISO-8601 timestamp the SDK writes, e.g. {@code 2026-11-29T10:15:02.123Z}, with room to spare. */
    private static final int MAX_TIMESTAMP_CHARS = 32;
    /** Longest {@code Double.toString}, e.g. {@code -1.2345678901234567E-300}. */
    private static final int MAX_DOUBLE_CHARS = 25;

    private PutMetricDataBatches() {
    }

    /** One request's worth of points, all of one namespace. */
    record Batch(String namespace, List<MetricPoint> points, long estimatedBytes) {
    }

    /** The points in request-sized batches, in their original order within each namespace. */
    static List<Batch> split(List<MetricPoint> points) {
        return split(points, MAX_DATA_PER_REQUEST);
    }

    /** As {@link #split(List)}, with at most {@code maxData} (1 to 1,000) metric data per request. */
    static List<Batch> split(List<MetricPoint> points, int maxData) {
        if (maxData < 1 || maxData > MAX_DATA_PER_REQUEST) {
            throw new IllegalArgumentException("maxData must be 1 to " + MAX_DATA_PER_REQUEST + ", got " + maxData);
        }
        Map<String, List<MetricPoint>> byNamespace = new LinkedHashMap<>();
        for (MetricPoint point : points) {
            byNamespace.computeIfAbsent(point.metric().namespace(), ns -> new ArrayList<>()).add(point);
        }
        List<Batch> batches = new ArrayList<>();
        for (Map.Entry<String, List<MetricPoint>> namespace : byNamespace.entrySet()) {
            long header = headerBytes(namespace.getKey());
            List<MetricPoint> current = new ArrayList<>();
            long size = header;
            for (MetricPoint point : namespace.getValue()) {
                long datum = datumBytes(point, current.size() + 1);
                if (!current.isEmpty() && (current.size() == maxData || size + datum > MAX_REQUEST_BYTES)) {
                    batches.add(new Batch(namespace.getKey(), current, size));
                    current = new ArrayList<>();
                    size = header;
                    datum = datumBytes(point, 1);
                }
                current.add(point);
                size += datum;
            }
            if (!current.isEmpty()) {
                batches.add(new Batch(namespace.getKey(), current, size));
            }
        }
        return batches;
    }

    static long headerBytes(String namespace) {
        return "Action=PutMetricData&Version=2010-08-01&Namespace=".length() + encoded(namespace);
    }

    /** The bytes {@code point} adds as member {@code index} (1-based) of {@code MetricData}. */
    static long datumBytes(MetricPoint point, int index) {
        String prefix = "&MetricData.member." + index + ".";
        long bytes = prefix.length() + "MetricName=".length() + encoded(point.metric().name());
        int d = 0;
        for (Map.Entry<String, String> dimension : point.metric().dimensions().entrySet()) {
            d++;
            String member = prefix + "Dimensions.member." + d + ".";
            bytes += member.length() + "Name=".length() + encoded(dimension.getKey());
            bytes += member.length() + "Value=".length() + encoded(dimension.getValue());
        }
        bytes += prefix.length() + "Value=".length() + MAX_DOUBLE_CHARS;
        bytes += prefix.length() + "Unit=".length() + encoded(point.unit().cloudWatchName());
        bytes += prefix.length() + "Timestamp=".length() + 3L * MAX_TIMESTAMP_CHARS;
        return bytes;
    }

    /** Length of {@code text} percent-encoded: unreserved ASCII as is, every other UTF-8 byte as {@code %XX}. */
    static long encoded(String text) {
        long length = 0;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            boolean unreserved = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                    || b == '-' || b == '_' || b == '.' || b == '~';
            length += unreserved ? 1 : 3;
        }
        return length;
    }
}
