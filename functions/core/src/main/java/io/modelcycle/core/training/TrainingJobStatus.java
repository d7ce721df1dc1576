package io.modelcycle.core.training;

import io.modelcycle.core.ValidationException;
import java.time.Instant;

/**
 * What a backend knows about one training job.
 *
 * @param jobId           the id {@link TrainingBackend#start} returned
 * @param state           where the job is
 * @param message         the latest progress: SageMaker's secondary status and its message, or the trainer's latest
 *                        progress line for the embedded backend; null when there is none yet
 * @param failureReason   why it failed ({@code CODE: message} from the trainer's {@code output/failure} when it wrote
 *                        one); required when {@code state} is {@link TrainingJobState#FAILED}, null otherwise
 * @param modelArtifact   where the packaged model ({@code model.tar.gz}) is: an {@code s3://} URI for SageMaker, an
 *                        artifact-store key for the embedded backend; required once {@link TrainingJobState#COMPLETED}
 * @param startedAt       when the job started, null if not yet
 * @param endedAt         when it ended, null while it runs
 * @param billableSeconds instance seconds billed, when the backend knows (SageMaker, after the end); null otherwise
 */
public record TrainingJobStatus(String jobId, TrainingJobState state, String message, String failureReason,
                                String modelArtifact, Instant startedAt, Instant endedAt, Long billableSeconds) {

    public TrainingJobStatus {
        if (jobId == null || jobId.isBlank()) {
            throw new ValidationException("jobId", "is required");
        }
        if (state == null) {
            throw new ValidationException("state", "is required");
        }
        if (state == TrainingJobState.FAILED && (failureReason == null || failureReason.isBlank())) {
            throw new ValidationException("failureReason", "a failed job must say why it failed");
        }
        if (state != TrainingJobState.FAILED && failureReason != null) {
            throw new ValidationException("failureReason", "only a failed job has one; job " + jobId + " is " + state);
        }
        if (state == TrainingJobState.COMPLETED && (modelArtifact == null || modelArtifact.isBlank())) {
            throw new ValidationException("modelArtifact", "a completed job must say where its model is");
        }
        if (startedAt != null && endedAt != null && endedAt.isBefore(startedAt)) {
            throw new ValidationException("endedAt", "is before startedAt (" + endedAt + " < " + startedAt + ")");
        }
        if (billableSeconds != null && billableSeconds < 0) {
            throw new ValidationException("billableSeconds", "must be >= 0");
        }
    }

    /** True once the job can change no more. */
    public boolean isTerminal() {
        return state.isTerminal();
    }
}
