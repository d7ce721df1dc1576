package io.modelcycle.core.metrics;

import io.modelcycle.core.ValidationException;

/**
 * What an alarm does with periods that have no datapoint, as CloudWatch defines it (see {@link AlarmEvaluator} for
 * the exact rules). The default is {@link #MISSING}.
 */
public enum TreatMissingData {
    /** Missing periods are not evaluated; with no data at all the alarm goes to {@code INSUFFICIENT_DATA}. */
    MISSING("missing"),
    /** Missing periods count as within the threshold ("good"). */
    NOT_BREACHING("notBreaching"),
    /** Missing periods count as breaching the threshold ("bad"). */
    BREACHING("breaching"),
    /** When the real data cannot decide, the alarm keeps its current state. */
    IGNORE("ignore");

    private final String cloudWatchName;

    TreatMissingData(String cloudWatchName) {
        this.cloudWatchName = cloudWatchName;
    }

    /** As CloudWatch's {@code TreatMissingData} parameter spells it. */
    public String cloudWatchName() {
        return cloudWatchName;
    }

    public static TreatMissingData fromCloudWatchName(String name) {
        for (TreatMissingData treatment : values()) {
            if (treatment.cloudWatchName.equals(name)) {
                return treatment;
            }
        }
        throw new ValidationException("treatMissingData", "must be one of missing, notBreaching, breaching, ignore, "
                + "got '" + name + "'");
    }
}
