package io.modelcycle.core.metrics;

/** The state of an alarm, CloudWatch's three. A new alarm starts in {@link #INSUFFICIENT_DATA}. */
public enum AlarmState {
    OK,
    ALARM,
    INSUFFICIENT_DATA
}
