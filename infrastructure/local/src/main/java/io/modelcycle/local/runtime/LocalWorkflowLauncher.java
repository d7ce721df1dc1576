package io.modelcycle.local.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.ConflictException;
import io.modelcycle.core.Json;
import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.workflow.WorkflowLauncher;
import io.modelcycle.local.asl.AslExecutor;
import io.modelcycle.local.asl.ExecutionDescription;
import java.util.Objects;
import java.util.Set;

/**
 * {@link WorkflowLauncher} over the local {@link AslExecutor}, with Step Functions' {@code StartExecution}
 * idempotency: starting a name that exists with the same input returns that execution; with another input it is a
 * {@link ConflictException} ({@code ExecutionAlreadyExists}).
 */
public final class LocalWorkflowLauncher implements WorkflowLauncher {

    private final AslExecutor executor;
    private final Set<String> workflows;

    /** @param workflows the workflow names that may be started (registered on the executor) */
    public LocalWorkflowLauncher(AslExecutor executor, Set<String> workflows) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.workflows = Set.copyOf(workflows);
    }

    @Override
    public String start(String workflow, String executionName, String inputJson) {
        if (workflow == null || !workflows.contains(workflow)) {
            throw new NotFoundException("no workflow '" + workflow + "'; workflows: " + new java.util.TreeSet<>(workflows));
        }
        JsonNode input = parseObject(inputJson, "input");
        try {
            return executor.start(workflow, executionName, input).arn();
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            if (!message.startsWith("ExecutionAlreadyExists") || executionName == null) {
                throw new ValidationException("executionName", message);
            }
            String arn = executionArn(workflow, executionName);
            ExecutionDescription existing = executor.describe(arn);
            if (Json.tree(existing.input()).equals(input)) {
                return arn;
            }
            throw new ConflictException("ExecutionAlreadyExists: execution '" + executionName + "' of " + workflow
                    + " was started with another input");
        }
    }

    /** The ARN the executor gives execution {@code name} of {@code workflow}. */
    public static String executionArn(String workflow, String name) {
        return "arn:aws:states:" + AslExecutor.REGION + ":" + AslExecutor.ACCOUNT + ":execution:" + workflow + ":" + name;
    }

    @Override
    public void sendTaskSuccess(String taskToken, String outputJson) {
        JsonNode output = parseAny(outputJson, "output");
        try {
            executor.sendTaskSuccess(taskToken, output);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException(String.valueOf(e.getMessage()));
        }
    }

    @Override
    public void sendTaskFailure(String taskToken, String error, String cause) {
        try {
            executor.sendTaskFailure(taskToken, error, cause);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException(String.valueOf(e.getMessage()));
        }
    }

    private static JsonNode parseObject(String json, String field) {
        JsonNode node = parseAny(json == null ? "{}" : json, field);
        if (!node.isObject()) {
            throw new ValidationException(field, "must be a JSON object, got " + abbreviate(json));
        }
        return node;
    }

    private static JsonNode parseAny(String json, String field) {
        try {
            return Json.mapper().readTree(json == null ? "null" : json);
        } catch (JsonProcessingException e) {
            throw new ValidationException(field, "is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
