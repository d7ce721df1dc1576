package io.modelcycle.local.asl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Task states: bindings, lambda:invoke, task tokens, heartbeats and timeouts, nested executions. */
class TaskStateTest extends AslTestSupport {

    @Test
    void resourceResolvesThroughTheBindingTable() {
        List<TaskInvocation> seen = new ArrayList<>();
        bindings.bind("${ValidateDatasetFunctionArn}", TaskHandler.sync(inv -> {
            seen.add(inv);
            return json("{\"valid\":true}");
        }));
        String definition = single("""
                {"Type":"Task","Resource":"${ValidateDatasetFunctionArn}","Parameters":{"uri.$":"$.uri"},
                 "ResultPath":"$.validation","End":true}""");
        assertThat(output(definition, "{\"uri\":\"s3://b/k\"}"))
                .isEqualTo(json("{\"uri\":\"s3://b/k\",\"validation\":{\"valid\":true}}"));
        assertThat(seen).singleElement().satisfies(inv -> {
            assertThat(inv.input()).isEqualTo(json("{\"uri\":\"s3://b/k\"}"));
            assertThat(inv.stateName()).isEqualTo("S");
        });
    }

    @Test
    void lambdaInvokeBindsByFunctionNameAndWrapsTheResultLikeStepFunctions() {
        bindings.bind("${TrainFunction}", TaskHandler.sync(inv -> json("{\"got\":" + inv.input() + "}")));
        String definition = single("""
                {"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                 "Parameters":{"FunctionName":"${TrainFunction}","Payload":{"model.$":"$.model"}},"End":true}""");
        JsonNode out = output(definition, "{\"model\":\"churn\"}");
        assertThat(out.get("Payload")).isEqualTo(json("{\"got\":{\"model\":\"churn\"}}"));
        assertThat(out.get("StatusCode").asInt()).isEqualTo(200);
        assertThat(out.get("ExecutedVersion").asText()).isEqualTo("$LATEST");
        assertThat(out.at("/SdkHttpMetadata/HttpStatusCode").asInt()).isEqualTo(200);
    }

    @Test
    void lambdaErrorsCarryTheExceptionClassAsErrorAndALambdaStyleCause() {
        bindings.bind("Fn", TaskHandler.sync(inv -> {
            throw new IllegalStateException("model is locked");
        }));
        var d = failure(single("""
                {"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"Fn"},
                 "End":true}"""), "{}");
        assertThat(d.error()).isEqualTo("java.lang.IllegalStateException");
        JsonNode cause = json(d.cause());
        assertThat(cause.get("errorMessage").asText()).isEqualTo("model is locked");
        assertThat(cause.get("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
    }

    @Test
    void unboundLambdaFunctionIsACatchableResourceNotFound() {
        var d = failure(single("""
                {"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"Nope"},
                 "End":true}"""), "{}");
        assertThat(d.error()).isEqualTo("Lambda.ResourceNotFoundException");
    }

    @Test
    void historyOfATaskFollowsStepFunctions() {
        bindings.bind("arn:aws:states:::lambda:invoke", TaskHandler.sync(inv -> json("1")));
        bindings.bind("Fn", TaskHandler.sync(inv -> json("1")));
        String arn = start(single("""
                {"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"Fn"},
                 "End":true}"""), "{}");
        scheduler.runUntilIdle();
        assertThat(types(arn)).containsExactly("ExecutionStarted", "TaskStateEntered", "TaskScheduled",
                "TaskStarted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded");
        HistoryEvent scheduled = executor.history(arn).get(2);
        assertThat(scheduled.toJson().at("/taskScheduledEventDetails/resourceType").asText()).isEqualTo("lambda");
        assertThat(scheduled.toJson().at("/taskScheduledEventDetails/resource").asText()).isEqualTo("invoke");
        assertThat(json(scheduled.toJson().at("/taskScheduledEventDetails/parameters").asText()))
                .isEqualTo(json("{\"FunctionName\":\"Fn\"}"));
    }

    @Test
    void directLambdaArnRecordsLambdaFunctionEvents() {
        String fn = "arn:aws:lambda:us-east-1:123456789012:function:Hello";
        bindings.bind(fn, TaskHandler.sync(inv -> TextNode.valueOf("hi")));
        String arn = start(single("{\"Type\":\"Task\",\"Resource\":\"" + fn + "\",\"End\":true}"), "{}");
        scheduler.runUntilIdle();
        assertThat(types(arn)).contains("LambdaFunctionScheduled", "LambdaFunctionStarted",
                "LambdaFunctionSucceeded");
        assertThat(executor.describe(arn).output()).isEqualTo("\"hi\"");
    }

    private static final String TOKEN_TASK = single("""
            {"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
             "Parameters":{"MessageBody":{"token.$":"$$.Task.Token","order.$":"$.order"}}%s,"End":true}""");

    @Test
    void waitForTaskTokenPausesUntilSendTaskSuccess() {
        // GIVEN a bound "queue" that only records the message
        List<JsonNode> sent = new ArrayList<>();
        bindings.bind("arn:aws:states:::sqs:sendMessage", TaskHandler.sync(inv -> {
            sent.add(inv.input());
            return json("{\"MessageId\":\"m-1\"}");
        }));
        String arn = start(TOKEN_TASK.formatted(""), "{\"order\":42}");
        scheduler.runUntilIdle();
        // THEN the execution waits, and the message carries the token
        assertThat(executor.describe(arn).status()).isEqualTo(ExecutionStatus.RUNNING);
        String token = sent.get(0).at("/MessageBody/token").asText();
        assertThat(executor.waitingTokens()).containsExactly(token);
        assertThat(types(arn)).endsWith("TaskSubmitted");
        // WHEN the token is answered
        executor.sendTaskSuccess(token, json("{\"approved\":true}"));
        scheduler.runUntilIdle();
        // THEN the execution continues with that output
        var d = executor.describe(arn);
        assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(json(d.output())).isEqualTo(json("{\"approved\":true}"));
        assertThatThrownBy(() -> executor.sendTaskSuccess(token, json("1")))
                .hasMessageContaining("TaskDoesNotExist");
    }

    @Test
    void sendTaskFailureFailsTheTaskWithTheGivenError() {
        bindings.bind("arn:aws:states:::sqs:sendMessage", TaskHandler.sync(inv -> json("{}")));
        String arn = start(TOKEN_TASK.formatted(""), "{\"order\":1}");
        scheduler.runUntilIdle();
        executor.sendTaskFailure(executor.waitingTokens().iterator().next(), "Rejected", "by reviewer");
        scheduler.runUntilIdle();
        var d = executor.describe(arn);
        assertThat(d.error()).isEqualTo("Rejected");
        assertThat(d.cause()).isEqualTo("by reviewer");
    }

    @Test
    void heartbeatsKeepATokenTaskAliveAndTheirAbsenceTimesItOut() {
        bindings.bind("arn:aws:states:::sqs:sendMessage", TaskHandler.sync(inv -> json("{}")));
        String arn = start(TOKEN_TASK.formatted(",\"HeartbeatSeconds\":60,\"TimeoutSeconds\":3600"), "{\"order\":1}");
        scheduler.runReady();
        String token = executor.waitingTokens().iterator().next();
        for (int i = 0; i < 5; i++) {
            scheduler.advance(Duration.ofSeconds(50));
            executor.sendTaskHeartbeat(token);
        }
        assertThat(executor.describe(arn).status()).isEqualTo(ExecutionStatus.RUNNING);
        scheduler.advance(Duration.ofSeconds(61));
        var d = executor.describe(arn);
        assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(d.error()).isEqualTo("States.HeartbeatTimeout");
        assertThat(Duration.between(d.startDate(), d.stopDate())).isEqualTo(Duration.ofSeconds(310));
    }

    @Test
    void timeoutSecondsAndTimeoutSecondsPathFailWithStatesTimeout() {
        bindings.bind("Never", inv -> new CompletableFuture<>());
        var d = failure(single("{\"Type\":\"Task\",\"Resource\":\"Never\",\"TimeoutSecondsPath\":\"$.t\",\"End\":true}"),
                "{\"t\":30}");
        assertThat(d.error()).isEqualTo("States.Timeout");
        assertThat(Duration.between(d.startDate(), d.stopDate())).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void asynchronousHandlersCompleteLater() {
        CompletableFuture<JsonNode> pending = new CompletableFuture<>();
        bindings.bind("Async", inv -> pending);
        String arn = start(single("{\"Type\":\"Task\",\"Resource\":\"Async\",\"End\":true}"), "{}");
        scheduler.runUntilIdle();
        assertThat(executor.describe(arn).status()).isEqualTo(ExecutionStatus.RUNNING);
        pending.complete(TextNode.valueOf("later"));
        scheduler.runUntilIdle();
        assertThat(executor.describe(arn).output()).isEqualTo("\"later\"");
    }

    private void registerChild(String body) {
        executor.register("child", StateMachine.parse(single(body)));
    }

    @Test
    void startExecutionWithoutSyncReturnsTheChildArnAtOnce() {
        registerChild("{\"Type\":\"Wait\",\"Seconds\":100,\"End\":true}");
        String arn = start(single("""
                {"Type":"Task","Resource":"arn:aws:states:::states:startExecution",
                 "Parameters":{"StateMachineArn":"child","Input":{"x":1},"Name":"kid-1"},"End":true}"""), "{}");
        scheduler.runReady();
        var d = executor.describe(arn);
        assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        String childArn = json(d.output()).get("ExecutionArn").asText();
        assertThat(childArn).endsWith(":execution:child:kid-1");
        assertThat(executor.describe(childArn).status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(executor.describe(childArn).parentArn()).isEqualTo(arn);
    }

    @Test
    void startExecutionSyncWaitsAndReturnsOutputAsTextSync2AsJson() {
        registerChild("{\"Type\":\"Pass\",\"Parameters\":{\"doubled.$\":\"States.MathAdd($.x, $.x)\"},\"End\":true}");
        String sync = single("""
                {"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync",
                 "Parameters":{"StateMachineArn":"%s","Input":{"x.$":"$.x"}},"End":true}"""
                .formatted(AslExecutor.stateMachineArn("child")));
        JsonNode out = output(sync, "{\"x\":21}");
        assertThat(out.get("Status").asText()).isEqualTo("SUCCEEDED");
        assertThat(out.get("Output").asText()).isEqualTo("{\"doubled\":42}");
        JsonNode out2 = output(sync.replace(".sync\"", ".sync:2\""), "{\"x\":1}");
        assertThat(out2.get("Output")).isEqualTo(json("{\"doubled\":2}"));
    }

    @Test
    void failedChildFailsTheSyncTaskWithTaskFailed() {
        registerChild("{\"Type\":\"Fail\",\"Error\":\"ChildBroke\",\"Cause\":\"sorry\"}");
        var d = failure(single("""
                {"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
                 "Parameters":{"StateMachineArn":"child"},"End":true}"""), "{}");
        assertThat(d.error()).isEqualTo("States.TaskFailed");
        assertThat(json(d.cause()).get("Error").asText()).isEqualTo("ChildBroke");
    }

    @Test
    void unknownStartExecutionParametersAreRefused() {
        registerChild("{\"Type\":\"Pass\",\"End\":true}");
        var d = failure(single("""
                {"Type":"Task","Resource":"arn:aws:states:::states:startExecution",
                 "Parameters":{"StateMachineArn":"child","Inputs":{}},"End":true}"""), "{}");
        assertThat(d.error()).isEqualTo("StepFunctions.InvalidParameterException");
        assertThat(d.cause()).contains("'Inputs'");
    }

    @Test
    void unknownChildMachineIsATaskError() {
        assertThat(failure(single("""
                {"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync",
                 "Parameters":{"StateMachineArn":"ghost"},"End":true}"""), "{}").error())
                .isEqualTo("StepFunctions.StateMachineDoesNotExistException");
    }

    @Test
    void syncBindingOfItsOwnIsPreferredToTheBaseResource() {
        bindings.bind("arn:aws:states:::sagemaker:createTrainingJob", TaskHandler.sync(inv -> TextNode.valueOf("base")));
        bindings.bind("arn:aws:states:::sagemaker:createTrainingJob.sync", TaskHandler.sync(inv -> TextNode.valueOf("sync")));
        assertThat(output(single("""
                {"Type":"Task","Resource":"arn:aws:states:::sagemaker:createTrainingJob.sync","End":true}"""), "{}")
                .asText()).isEqualTo("sync");
    }

    @Test
    void lambdaQualifierAndInvocationTypeAreHonoured() {
        List<String> calls = new ArrayList<>();
        bindings.bind("Fn", TaskHandler.sync(inv -> {
            calls.add("Fn");
            return TextNode.valueOf("latest");
        }));
        bindings.bind("Fn:prod", TaskHandler.sync(inv -> {
            calls.add("Fn:prod");
            return TextNode.valueOf("prod");
        }));
        assertThat(output(single("""
                {"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                 "Parameters":{"FunctionName":"Fn","Qualifier":"prod"},"End":true}"""), "{}").get("Payload").asText())
                .isEqualTo("prod");
        JsonNode event = output(single("""
                {"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                 "Parameters":{"FunctionName":"Fn","InvocationType":"Event"},"End":true}"""), "{}");
        assertThat(event.get("StatusCode").asInt()).isEqualTo(202);
        assertThat(calls).containsExactly("Fn:prod", "Fn");
        var d = failure(single("""
                {"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                 "Parameters":{"FunctionName":"Fn","Paylod":{}},"End":true}"""), "{}");
        assertThat(d.cause()).contains("'Paylod'");
    }
}
