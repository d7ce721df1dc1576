package io.modelcycle.core.metrics;

import io.modelcycle.core.ValidationException;

/** How the points of one period are reduced to one datapoint; CloudWatch's statistics, with its spelling. */
public enum Statistic {
    AVERAGE("Average"),
    SUM("Sum"),
    MINIMUM("Minimum"),
    MAXIMUM("Maximum"),
    /** The number of points published in the period. */
    SAMPLE_COUNT("SampleCount");

    private final String cloudWatchName;

    Statistic(String cloudWatchName) {
        this.cloudWatchName = cloudWatchName;
    }

    /** As CloudWatch spells it, e.g. {@code SampleCount}. */
    public String cloudWatchName() {
        return cloudWatchName;
    }

    public static Statistic fromCloudWatchName(String name) {
        for (Statistic statistic : values()) {
            if (statistic.cloudWatchName.equals(name)) {
                return statistic;
            }
        }
        throw new ValidationException("statistic", "must be one of Average, Sum, Minimum, Maximum, SampleCount, got '"
                + name + "'");
    }
}
