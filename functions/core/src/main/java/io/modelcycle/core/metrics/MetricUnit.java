package io.modelcycle.core.metrics;

import io.modelcycle.core.ValidationException;

/** The unit of a metric point, a subset of CloudWatch's standard units, with CloudWatch's spelling. */
public enum MetricUnit {
    NONE("None"),
    COUNT("Count"),
    PERCENT("Percent"),
    SECONDS("Seconds"),
    MILLISECONDS("Milliseconds"),
    MICROSECONDS("Microseconds"),
    BYTES("Bytes"),
    COUNT_PER_SECOND("Count/Second");

    private final String cloudWatchName;

    MetricUnit(String cloudWatchName) {
        this.cloudWatchName = cloudWatchName;
    }

    /** As CloudWatch spells it, e.g. {@code Count/Second}. */
    public String cloudWatchName() {
        return cloudWatchName;
    }

    public static MetricUnit fromCloudWatchName(String name) {
        for (MetricUnit unit : values()) {
            if (unit.cloudWatchName.equals(name)) {
                return unit;
            }
        }
        throw new ValidationException("unit", "unknown metric unit '" + name + "'");
    }
}
