package io.modelcycle.core.metrics;

/**
 * The result of evaluating an alarm once.
 *
 * @param previous            the state before this evaluation
 * @param state               the state after it
 * @param reason              why, in words, e.g. {@code 3 of the last 3 datapoints breached (>= 0.5)}
 * @param realDatapoints      real datapoints evaluated
 * @param filledDatapoints    missing periods filled in by the missing-data treatment
 * @param breachingDatapoints evaluated datapoints (real or filled) that breached
 */
public record AlarmEvaluation(AlarmState previous, AlarmState state, String reason, int realDatapoints,
                              int filledDatapoints, int breachingDatapoints) {

    /** Whether the state changed: the moment an alarm action (or an EventBridge state-change event) fires. */
    public boolean changed() {
        return previous != state;
    }
}
