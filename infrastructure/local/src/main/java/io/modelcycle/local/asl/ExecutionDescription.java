package io.modelcycle.local.asl;

import java.time.Instant;
import java.util.Objects;

/**
 * What {@code DescribeExecution} says about an execution.
 *
 * @param executionArn    the execution's id
 * @param name            the execution's name, unique per state machine
 * @param stateMachineArn the state machine it runs
 * @param status          its status
 * @param input           its input JSON text
 * @param output          its output JSON text, once SUCCEEDED; otherwise null
 * @param error           the error name, once FAILED, TIMED_OUT or ABORTED with one; otherwise null
 * @param cause           the error's cause; otherwise null
 * @param startDate       when it started
 * @param stopDate        when it stopped; null while RUNNING
 * @param parentArn       the execution that started it with {@code states:startExecution}, or null
 */
public record ExecutionDescription(String executionArn, String name, String stateMachineArn, ExecutionStatus status,
        String input, String output, String error, String cause, Instant startDate, Instant stopDate,
        String parentArn) {

    public ExecutionDescription {
        Objects.requireNonNull(executionArn, "executionArn");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(stateMachineArn, "stateMachineArn");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(startDate, "startDate");
    }
}
