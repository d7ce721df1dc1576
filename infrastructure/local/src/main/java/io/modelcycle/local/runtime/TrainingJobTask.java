package io.modelcycle.local.runtime;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.Json;
import io.modelcycle.core.TransientException;
import io.modelcycle.core.training.SageMakerTrainingJson;
import io.modelcycle.core.training.TrainingBackend;
import io.modelcycle.core.training.TrainingJobState;
import io.modelcycle.core.training.TrainingJobStatus;
import io.modelcycle.local.asl.TaskFailedException;
import io.modelcycle.local.asl.TaskHandler;
import io.modelcycle.local.asl.TaskInvocation;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code arn:aws:states:::sagemaker:createTrainingJob.sync} on a {@link TrainingBackend}: the task's parameters are
 * the {@code CreateTrainingJob} request ({@link SageMakerTrainingJson#spec}); the job is polled until it ends, without
 * holding a thread; a completed job's {@code DescribeTrainingJob} JSON is the task's result. As Step Functions does
 * for a {@code .sync} SageMaker job, a job that ends {@code Failed} or {@code Stopped} fails the task with
 * {@code States.TaskFailed} and the description as the cause; a request SageMaker would refuse fails with
 * {@code SageMaker.AmazonSageMakerException} only when it is transient (so the state machine's Retry applies), and
 * with {@code SageMaker.ValidationException} otherwise.
 */
final class TrainingJobTask implements TaskHandler {

    private final TrainingBackend backend;
    private final ScheduledExecutorService poller;
    private final Duration interval;
    private final Predicate<String> executionRunning;

    /**
     * @param executionRunning whether an execution (by ARN) still runs; a job whose execution stopped (aborted, timed
     *                         out) is stopped too, as Step Functions stops the SageMaker job of a stopped {@code .sync}
     *                         task
     */
    TrainingJobTask(TrainingBackend backend, ScheduledExecutorService poller, Duration interval,
                    Predicate<String> executionRunning) {
        this.backend = Objects.requireNonNull(backend);
        this.poller = Objects.requireNonNull(poller);
        this.interval = Objects.requireNonNull(interval);
        this.executionRunning = Objects.requireNonNull(executionRunning);
    }

    @Override
    public CompletionStage<JsonNode> invoke(TaskInvocation invocation) {
        String jobId;
        try {
            Map<String, Object> request = Json.mapper().convertValue(invocation.input(), new TypeReference<>() { });
            jobId = backend.start(SageMakerTrainingJson.spec(request));
        } catch (TransientException e) {
            return CompletableFuture.failedFuture(new TaskFailedException("SageMaker.AmazonSageMakerException",
                    e.getMessage()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new TaskFailedException("SageMaker.ValidationException",
                    String.valueOf(e.getMessage())));
        }
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        poll(jobId, invocation.executionArn(), result);
        return result;
    }

    private void poll(String jobId, String executionArn, CompletableFuture<JsonNode> result) {
        try {
            TrainingJobStatus status = backend.describe(jobId);
            if (!status.isTerminal()) {
                if (!executionRunning.test(executionArn)) {
                    backend.stop(jobId);
                    result.completeExceptionally(new TaskFailedException("States.TaskFailed", "training job " + jobId
                            + " stopped: its execution " + executionArn + " is no longer running"));
                    return;
                }
                poller.schedule(() -> poll(jobId, executionArn, result), interval.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            JsonNode description = Json.mapper().valueToTree(SageMakerTrainingJson.description(status));
            if (status.state() == TrainingJobState.COMPLETED) {
                result.complete(description);
            } else {
                result.completeExceptionally(new TaskFailedException("States.TaskFailed", description.toString()));
            }
        } catch (TransientException e) {
            poller.schedule(() -> poll(jobId, executionArn, result), interval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            result.completeExceptionally(new TaskFailedException("States.TaskFailed", "DescribeTrainingJob of "
                    + jobId + " failed: " + e.getMessage()));
        }
    }
}
