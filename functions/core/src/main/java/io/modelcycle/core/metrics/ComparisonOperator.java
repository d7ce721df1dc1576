package io.modelcycle.core.metrics;

import io.modelcycle.core.ValidationException;

/** How a datapoint is compared with an alarm's threshold; CloudWatch's static-threshold operators. */
public enum ComparisonOperator {
    GREATER_THAN_OR_EQUAL_TO_THRESHOLD("GreaterThanOrEqualToThreshold"),
    GREATER_THAN_THRESHOLD("GreaterThanThreshold"),
    LESS_THAN_THRESHOLD("LessThanThreshold"),
    LESS_THAN_OR_EQUAL_TO_THRESHOLD("LessThanOrEqualToThreshold");

    private final String cloudWatchName;

    ComparisonOperator(String cloudWatchName) {
        this.cloudWatchName = cloudWatchName;
    }

    /** As CloudWatch's {@code PutMetricAlarm} and CloudFormation spell it. */
    public String cloudWatchName() {
        return cloudWatchName;
    }

    /** Whether {@code value} breaches {@code threshold} under this operator. */
    public boolean breaches(double value, double threshold) {
        return switch (this) {
            case GREATER_THAN_OR_EQUAL_TO_THRESHOLD -> value >= threshold;
            case GREATER_THAN_THRESHOLD -> value > threshold;
            case LESS_THAN_THRESHOLD -> value < threshold;
            case LESS_THAN_OR_EQUAL_TO_THRESHOLD -> value <= threshold;
        };
    }

    public static ComparisonOperator fromCloudWatchName(String name) {
        for (ComparisonOperator operator : values()) {
            if (operator.cloudWatchName.equals(name)) {
                return operator;
            }
        }
        throw new ValidationException("comparisonOperator", "must be one of GreaterThanOrEqualToThreshold, "
                + "GreaterThanThreshold, LessThanThreshold, LessThanOrEqualToThreshold, got '" + name + "'");
    }
}
