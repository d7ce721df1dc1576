package io.modelcycle.local.runtime;

import io.modelcycle.local.events.EventBus;

/**
 * Hears what the local runtime does in the background, for a CLI to print as it happens. Called on the runtime's
 * threads; keep it quick. An exception thrown here is logged and ignored.
 */
public interface RuntimeListener {

    /** A line of a running training job's progress (one per epoch, then {@code done ...}). */
    default void trainingProgress(String jobName, String line) {
    }

    /** An event matched a rule and was delivered (or failed to be) to its workflow. */
    default void eventDelivered(EventBus.Delivery delivery) {
    }

    /** A drift alarm changed state. */
    default void alarmChanged(LocalAlarmEvaluator.Result result) {
    }

    /** Hears nothing. */
    RuntimeListener NONE = new RuntimeListener() { };
}
