package io.modelcycle.core.workflow;

/**
 * Port: starts the named workflows ({@code training-pipeline}, {@code deployment}, {@code drift-check},
 * {@code retirement}) and answers the task tokens of paused ones.
 *
 * <p>Errors: {@link io.modelcycle.core.NotFoundException} for an unknown workflow or task token,
 * {@link io.modelcycle.core.ValidationException} for input that is not a JSON object,
 * {@link io.modelcycle.core.TransientException} when the engine is briefly unavailable.
 */
public interface WorkflowLauncher {

    /**
     * Starts {@code workflow} with {@code inputJson}. Idempotent by {@code executionName}: starting the same name
     * with the same input again returns the existing execution instead of starting a second one.
     *
     * @return the execution's id (an ARN on AWS)
     */
    String start(String workflow, String executionName, String inputJson);

    /** Resumes the execution waiting on {@code taskToken} with {@code outputJson} as the task's result. */
    void sendTaskSuccess(String taskToken, String outputJson);

    /** Fails the task waiting on {@code taskToken} with {@code error} (matched by Catch) and {@code cause}. */
    void sendTaskFailure(String taskToken, String error, String cause);
}
