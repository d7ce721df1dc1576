package io.modelcycle.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An in-process task: what a Task state's {@code Resource} (or, for {@code arn:aws:states:::lambda:invoke}, its
 * {@code FunctionName}) is bound to in a {@link TaskBindings} table.
 *
 * <p>Fail with a {@link TaskFailedException} to choose the error name that Retry and Catch match; any other
 * exception fails the task with the exception's fully qualified class name as the error (what the AWS Lambda Java
 * runtime reports), so a handler behaves the same locally and on AWS.
 */
@FunctionalInterface
public interface TaskHandler {

    /** Starts the task; the stage completes with the task's result, or exceptionally with its failure. */
    CompletionStage<JsonNode> invoke(TaskInvocation invocation);

    /** A handler that does its work on the calling thread; fine for quick work, keep long work asynchronous. */
    static TaskHandler sync(Blocking body) {
        return invocation -> {
            try {
                return CompletableFuture.completedFuture(body.handle(invocation));
            } catch (Exception | Error e) {
                return CompletableFuture.failedFuture(e);
            }
        };
    }

    /** The body of a synchronous handler. */
    @FunctionalInterface
    interface Blocking {
        JsonNode handle(TaskInvocation invocation) throws Exception;
    }
}
