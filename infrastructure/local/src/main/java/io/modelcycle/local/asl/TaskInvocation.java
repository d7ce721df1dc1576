package io.modelcycle.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One invocation of a bound task.
 *
 * @param resource     the state's {@code Resource} as written
 * @param name         the name the handler was bound under (the resource, or the Lambda {@code FunctionName})
 * @param input        the task's input: the effective parameters, or the {@code Payload} for lambda:invoke
 * @param taskToken    the token that {@code SendTaskSuccess}/{@code SendTaskFailure}/{@code SendTaskHeartbeat} name;
 *                     for {@code .waitForTaskToken} resources the execution waits for it
 * @param context      the context object ({@code $$}) as the state saw it
 * @param executionArn the execution this task belongs to
 * @param stateName    the Task state's name
 */
public record TaskInvocation(String resource, String name, JsonNode input, String taskToken, JsonNode context,
        String executionArn, String stateName) {

    public TaskInvocation {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(taskToken, "taskToken");
        Objects.requireNonNull(executionArn, "executionArn");
        Objects.requireNonNull(stateName, "stateName");
    }
}
