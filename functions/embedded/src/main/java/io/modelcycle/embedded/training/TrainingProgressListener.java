package io.modelcycle.embedded.training;

/**
 * Hears a running trainer's progress: each line it writes to stdout (one per epoch, by the trainer's contract), as it
 * comes. Called on the job's own thread; an exception thrown here is logged and does not affect the job.
 */
@FunctionalInterface
public interface TrainingProgressListener {

    void onProgress(String jobId, String line);

    /** Drops every line; {@link ChildJvmTrainingBackend#describe} still shows the latest. */
    TrainingProgressListener NONE = (jobId, line) -> { };
}
