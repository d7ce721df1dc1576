package io.modelcycle.local.asl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Executions: ids, list, describe, abort, machine timeouts, and what survives a restart. */
class ExecutionLifecycleTest extends AslTestSupport {

    private static final String WAIT_THEN_PASS = """
            {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":600,"Next":"P"},
              "P":{"Type":"Pass","Result":"woke","End":true}}}""";

    @Test
    void executionsAreListedNewestFirstAndDescribed() {
        executor.register("m", StateMachine.parse(single("{\"Type\":\"Pass\",\"End\":true}")));
        String first = executor.start("m", "first", json("{\"n\":1}")).arn();
        scheduler.advance(Duration.ofSeconds(1));
        String second = executor.start("m", "second", json("{\"n\":2}")).arn();
        scheduler.runUntilIdle();
        assertThat(executor.list()).extracting(ExecutionDescription::executionArn).containsExactly(second, first);
        var d = executor.describe(first);
        assertThat(d.executionArn()).isEqualTo("arn:aws:states:local:000000000000:execution:m:first");
        assertThat(d.stateMachineArn()).isEqualTo("arn:aws:states:local:000000000000:stateMachine:m");
        assertThat(d.input()).isEqualTo("{\"n\":1}");
        assertThat(d.output()).isEqualTo("{\"n\":1}");
    }

    @Test
    void executionNamesAreUniquePerStateMachine() {
        executor.register("m", StateMachine.parse(single("{\"Type\":\"Pass\",\"End\":true}")));
        executor.start("m", "same", json("{}"));
        assertThatThrownBy(() -> executor.start("m", "same", json("{}")))
                .hasMessageContaining("ExecutionAlreadyExists");
        assertThatThrownBy(() -> executor.start("nope", null, json("{}")))
                .hasMessageContaining("no state machine registered as 'nope'");
    }

    @Test
    void stopAbortsARunningExecution() {
        String arn = start(WAIT_THEN_PASS, "{}");
        scheduler.runReady();
        assertThat(executor.stop(arn, "Operator", "changed my mind")).isTrue();
        scheduler.runUntilIdle();
        var d = executor.describe(arn);
        assertThat(d.status()).isEqualTo(ExecutionStatus.ABORTED);
        assertThat(d.error()).isEqualTo("Operator");
        assertThat(types(arn)).endsWith("ExecutionAborted").doesNotContain("PassStateEntered");
        assertThat(executor.stop(arn, null, null)).as("already stopped").isFalse();
        assertThat(scheduler.pendingTimers()).as("its timer is gone").isZero();
    }

    @Test
    void stateMachineTimeoutSecondsTimesTheExecutionOut() {
        var d = run("""
                {"TimeoutSeconds":60,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":600,"End":true}}}""", "{}");
        assertThat(d.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
        assertThat(d.error()).isEqualTo("States.Timeout");
        assertThat(d.stopDate()).isEqualTo(d.startDate().plusSeconds(60));
    }

    @Test
    void abortingAParentAbortsItsSyncChild() {
        executor.register("child", StateMachine.parse(single("{\"Type\":\"Wait\",\"Seconds\":100,\"End\":true}")));
        String parent = start(single("""
                {"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync",
                 "Parameters":{"StateMachineArn":"child","Name":"kid"},"End":true}"""), "{}");
        scheduler.runReady();
        executor.stop(parent, null, null);
        assertThat(executor.describe(AslExecutor.stateMachineArn("child").replace("stateMachine", "execution")
                + ":kid").status()).isEqualTo(ExecutionStatus.ABORTED);
    }

    @Test
    void historyAndStatusSurviveARestart() {
        // GIVEN a finished execution
        var done = run(single("{\"Type\":\"Pass\",\"Result\":1,\"End\":true}"), "{}");
        // WHEN the executor is closed and a new one opens the same home
        executor.close();
        executor = newExecutor();
        // THEN it still lists, describes and shows the history
        assertThat(executor.list()).extracting(ExecutionDescription::executionArn).contains(done.executionArn());
        assertThat(executor.describe(done.executionArn()).output()).isEqualTo("1");
        assertThat(types(done.executionArn())).containsExactly("ExecutionStarted", "PassStateEntered",
                "PassStateExited", "ExecutionSucceeded");
    }

    @Test
    void anExecutionWaitingAtTheTopLevelResumesAfterARestart() {
        String arn = start(WAIT_THEN_PASS, "{}");
        scheduler.runReady();
        executor.close();
        // a fresh scheduler: nothing of the old executor remains in memory
        scheduler = new VirtualScheduler(T0.plusSeconds(30));
        executor = newExecutor();
        scheduler.runUntilIdle();
        var d = executor.describe(arn);
        assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(d.output()).isEqualTo("\"woke\"");
        assertThat(d.stopDate()).as("it woke when the original wait ended").isEqualTo(T0.plusSeconds(600));
        var events = executor.history(arn);
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).id()).isEqualTo(i + 1);
        }
        assertThat(types(arn)).containsExactly("ExecutionStarted", "WaitStateEntered", "WaitStateExited",
                "PassStateEntered", "PassStateExited", "ExecutionSucceeded");
    }

    @Test
    void aTaskTokenStaysValidAcrossARestart() {
        bindings.bind("Approve", TaskHandler.sync(inv -> json("{}")));
        String arn = start(single("""
                {"Type":"Task","Resource":"Approve.waitForTaskToken","Parameters":{"t.$":"$$.Task.Token"},
                 "ResultPath":"$.approval","End":true}"""), "{\"v\":1}");
        scheduler.runReady();
        String token = executor.waitingTokens().iterator().next();
        executor.close();
        scheduler = new VirtualScheduler(T0.plusSeconds(5));
        executor = newExecutor();
        executor.sendTaskSuccess(token, json("\"yes\""));
        scheduler.runUntilIdle();
        assertThat(json(executor.describe(arn).output())).isEqualTo(json("{\"v\":1,\"approval\":\"yes\"}"));
    }

    @Test
    void anExecutionThatCannotBeResumedIsFailedWithAReason() {
        bindings.bind("Approve", TaskHandler.sync(inv -> json("{}")));
        String arn = start(single("""
                {"Type":"Map","End":true,"ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task",
                  "Resource":"Approve.waitForTaskToken","End":true}}}}"""), "[1]");
        scheduler.runReady();
        executor.close();
        executor = newExecutor();
        var d = executor.describe(arn);
        assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(d.error()).isEqualTo("States.Runtime");
        assertThat(d.cause()).contains("cannot resume");
        assertThat(types(arn)).endsWith("ExecutionFailed");
    }

    @Test
    void aTaskTimeoutDeadlineHoldsAcrossARestart() {
        bindings.bind("Approve", TaskHandler.sync(inv -> json("{}")));
        String arn = start(single("""
                {"Type":"Task","Resource":"Approve.waitForTaskToken","TimeoutSeconds":100,"End":true}"""), "{}");
        scheduler.runReady();
        executor.close();
        scheduler = new VirtualScheduler(T0.plusSeconds(30));
        executor = newExecutor();
        scheduler.runUntilIdle();
        var d = executor.describe(arn);
        assertThat(d.error()).isEqualTo("States.Timeout");
        assertThat(d.stopDate()).isEqualTo(T0.plusSeconds(100));
    }

    @Test
    void executionsOfAnExecutorStillAliveAreNotTakenOver() {
        // GIVEN an execution waiting in a live executor
        String arn = start(WAIT_THEN_PASS, "{}");
        scheduler.runReady();
        // WHEN a second executor opens the same home (as another process would)
        VirtualScheduler other = new VirtualScheduler(T0);
        try (AslExecutor second = AslExecutor.builder().home(home).scheduler(other).build()) {
            other.runUntilIdle();
            // THEN it leaves the execution alone
            assertThat(second.describe(arn).status()).isEqualTo(ExecutionStatus.RUNNING);
        }
        // AND the first executor finishes it
        scheduler.runUntilIdle();
        assertThat(executor.describe(arn).output()).isEqualTo("\"woke\"");
    }
}
