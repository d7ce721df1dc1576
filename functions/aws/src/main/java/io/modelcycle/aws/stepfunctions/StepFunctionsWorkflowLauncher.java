package io.modelcycle.aws.stepfunctions;

import io.modelcycle.aws.AwsErrors;
import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.workflow.WorkflowLauncher;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/**
 * Starts ModelCycle's state machines with {@code StartExecution} and answers task tokens with
 * {@code SendTaskSuccess}/{@code SendTaskFailure}. Workflows are named ({@code training-pipeline}, …) and mapped
 * to state machine ARNs by configuration, so callers never handle ARNs.
 *
 * <p>Idempotency by execution name is Step Functions' own: starting a standard workflow again with the same name
 * and input returns the existing execution; with different input it fails with
 * {@code ExecutionAlreadyExists}, reported here as a {@link io.modelcycle.core.ConflictException}.
 */
public final class StepFunctionsWorkflowLauncher implements WorkflowLauncher {

    private final SfnClient sfn;
    private final Map<String, String> stateMachineArns;

    /**
     * @param stateMachineArns workflow name → state machine ARN
     */
    public StepFunctionsWorkflowLauncher(SfnClient sfn, Map<String, String> stateMachineArns) {
        this.sfn = Objects.requireNonNull(sfn, "sfn");
        this.stateMachineArns = Map.copyOf(stateMachineArns);
    }

    @Override
    public String start(String workflow, String executionName, String inputJson) {
        String arn = stateMachineArns.get(workflow);
        if (arn == null) {
            throw new NotFoundException("no state machine is configured for workflow '" + workflow + "'; known: "
                    + stateMachineArns.keySet());
        }
        try {
            return sfn.startExecution(r -> r.stateMachineArn(arn).name(executionName).input(inputJson)).executionArn();
        } catch (ExecutionAlreadyExistsException e) {
            throw new io.modelcycle.core.ConflictException("an execution named '" + executionName + "' of workflow '"
                    + workflow + "' already exists with a different input", e);
        } catch (StateMachineDoesNotExistException e) {
            throw new NotFoundException("state machine " + arn + " of workflow '" + workflow + "' does not exist");
        } catch (software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException e) {
            throw new ValidationException("input", "is not valid workflow input: " + e.awsErrorDetails().errorMessage());
        } catch (RuntimeException e) {
            throw AwsErrors.translate("start " + workflow, e);
        }
    }

    @Override
    public void sendTaskSuccess(String taskToken, String outputJson) {
        try {
            sfn.sendTaskSuccess(r -> r.taskToken(taskToken).output(outputJson));
        } catch (TaskDoesNotExistException | InvalidTokenException | TaskTimedOutException e) {
            throw new NotFoundException("no workflow is waiting on this task token any more: " + e.awsErrorDetails().errorMessage());
        } catch (RuntimeException e) {
            throw AwsErrors.translate("send task success", e);
        }
    }

    @Override
    public void sendTaskFailure(String taskToken, String error, String cause) {
        try {
            sfn.sendTaskFailure(r -> r.taskToken(taskToken).error(error).cause(cause));
        } catch (TaskDoesNotExistException | InvalidTokenException | TaskTimedOutException e) {
            throw new NotFoundException("no workflow is waiting on this task token any more: " + e.awsErrorDetails().errorMessage());
        } catch (RuntimeException e) {
            throw AwsErrors.translate("send task failure", e);
        }
    }
}
