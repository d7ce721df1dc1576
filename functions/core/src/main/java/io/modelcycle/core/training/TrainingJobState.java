package io.modelcycle.core.training;

/**
 * Where a training job is in its life; the five states SageMaker reports, which the embedded backend reports too.
 * A job moves {@code IN_PROGRESS → COMPLETED | FAILED}, or {@code IN_PROGRESS → STOPPING → STOPPED} when stopped
 * (by a caller, or by its maximum run time).
 */
public enum TrainingJobState {
    IN_PROGRESS,
    COMPLETED,
    FAILED,
    STOPPING,
    STOPPED;

    /** True once the job can change no more: completed, failed or stopped. */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == STOPPED;
    }
}
