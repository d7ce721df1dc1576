package io.modelcycle.core.training;

/**
 * Port: runs training jobs. The SageMaker adapter starts a job in the training image on GPU instances; the
 * embedded adapter runs the same trainer in a child JVM on this machine's CPU. Both honour the SageMaker training
 * container contract, so the trainer cannot tell them apart.
 *
 * <p>Starting is idempotent by job name: a workflow that retries its "train" step after a timeout gets the job it
 * started the first time, never a second one.
 *
 * <p>Errors: {@link io.modelcycle.core.ValidationException} for a specification the backend cannot run (the field
 * error names the field, e.g. {@code role} or {@code inputChannels.train}); {@link io.modelcycle.core.NotFoundException}
 * for a job id the backend does not know; {@link io.modelcycle.core.TransientException} when the service is
 * throttling or briefly unavailable (retry with backoff); {@link io.modelcycle.core.StoreException} when it fails in a
 * way retrying will not fix (denied access, bad configuration). A job that runs and fails is not an exception: its
 * status says {@link TrainingJobState#FAILED} with the trainer's reason.
 */
public interface TrainingBackend {

    /**
     * Starts the job, or finds the one already started under {@code spec.jobName()}, and returns its id (the job
     * name, for both adapters). When a job of that name exists its id is returned as is: the spec of the later call
     * is not compared with the first, the first one wins.
     */
    String start(TrainingJobSpec spec);

    /** The job's current state, progress message, failure reason, artifact location and times. */
    TrainingJobStatus describe(String jobId);

    /**
     * Asks the job to stop; it passes through {@link TrainingJobState#STOPPING} to {@link TrainingJobState#STOPPED}.
     * Stopping a job that has already ended changes nothing and is not an error.
     */
    void stop(String jobId);
}
