package io.modelcycle.core.metrics;

import io.modelcycle.core.ValidationException;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which time series: namespace, metric name and the complete set of dimensions. As in CloudWatch, two metrics with
 * the same name but different dimension sets (even one dimension more) are different series; a query must name
 * all of the dimensions a point was published with.
 *
 * <p>The limits are CloudWatch's, checked here so that both adapters refuse the same input: namespace 1 to 255
 * characters of {@code [A-Za-z0-9._/#:-]} and not starting with {@code AWS/}; name 1 to 255 characters; at most 30
 * dimensions, each name 1 to 255 and value 1 to 1024 characters, no control characters.
 *
 * @param namespace  e.g. {@code modelcycle/drift}
 * @param name       e.g. {@code DriftedShare}
 * @param dimensions e.g. {@code {model=churn, version=3}}; kept sorted by name, never null
 */
public record MetricId(String namespace, String name, Map<String, String> dimensions) {

    public static final int MAX_DIMENSIONS = 30;
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._/#:-]{1,255}");

    public MetricId {
        if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
            throw new ValidationException("metric.namespace", "must be 1 to 255 characters of [A-Za-z0-9._/#:-], got '"
                    + namespace + "'");
        }
        if (namespace.startsWith("AWS/")) {
            throw new ValidationException("metric.namespace", "'" + namespace + "' is reserved for AWS services");
        }
        requireText("metric.name", name, 255);
        dimensions = dimensions == null ? Map.of() : dimensions;
        if (dimensions.size() > MAX_DIMENSIONS) {
            throw new ValidationException("metric.dimensions", "at most " + MAX_DIMENSIONS + " dimensions, got "
                    + dimensions.size());
        }
        SortedMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> dimension : dimensions.entrySet()) {
            String key = dimension.getKey();
            requireText("metric.dimensions", key, 255);
            if (key.startsWith(":")) {
                throw new ValidationException("metric.dimensions", "dimension name '" + key + "' must not start with ':'");
            }
            requireText("metric.dimensions." + key, dimension.getValue(), 1024);
            sorted.put(key, dimension.getValue());
        }
        dimensions = Collections.unmodifiableSortedMap(sorted);
    }

    public static MetricId of(String namespace, String name, Map<String, String> dimensions) {
        return new MetricId(namespace, name, dimensions);
    }

    /** The same metric with one more (or a replaced) dimension. */
    public MetricId with(String dimension, String value) {
        Map<String, String> more = new TreeMap<>(dimensions);
        more.put(dimension, value);
        return new MetricId(namespace, name, more);
    }

    private static void requireText(String field, String value, int maxLength) {
        if (value == null || value.isEmpty() || value.length() > maxLength) {
            throw new ValidationException(field, "must be 1 to " + maxLength + " characters, got "
                    + (value == null ? "null" : value.length() + " characters"));
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new ValidationException(field, "must not contain control characters: '" + value + "'");
            }
        }
    }

    @Override
    public String toString() {
        return namespace + ":" + name + dimensions;
    }
}
