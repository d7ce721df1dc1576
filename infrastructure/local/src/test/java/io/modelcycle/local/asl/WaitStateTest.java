package io.modelcycle.local.asl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Wait states on the virtual clock: no test here sleeps. */
class WaitStateTest extends AslTestSupport {

    private static String waitThen(String wait) {
        return "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\"," + wait + ",\"End\":true}}}";
    }

    @Test
    void secondsWaitsThatLongOnTheExecutorsClock() {
        var d = run(waitThen("\"Seconds\":10"), "{\"a\":1}");
        assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(Duration.between(d.startDate(), d.stopDate())).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.output()).isEqualTo("{\"a\":1}");
    }

    @Test
    void timestampWaitsUntilThatInstant() {
        var d = run(waitThen("\"Timestamp\":\"2026-01-01T01:00:00Z\""), "{}");
        assertThat(d.stopDate()).isEqualTo(T0.plus(Duration.ofHours(1)));
    }

    @Test
    void timestampInThePastDoesNotWait() {
        var d = run(waitThen("\"Timestamp\":\"2016-03-14T01:59:00Z\""), "{}");
        assertThat(d.stopDate()).isEqualTo(T0);
    }

    @Test
    void secondsPathAndTimestampPathReadTheInput() {
        assertThat(run(waitThen("\"SecondsPath\":\"$.wait\""), "{\"wait\":90}").stopDate())
                .isEqualTo(T0.plusSeconds(90));
        assertThat(run(waitThen("\"TimestampPath\":\"$.until\""), "{\"until\":\"2026-01-01T01:05:00+01:00\"}")
                .stopDate()).isEqualTo(T0.plusSeconds(300));
    }

    @Test
    void invalidSecondsPathValueIsARuntimeError() {
        assertThat(failure(waitThen("\"SecondsPath\":\"$.wait\""), "{\"wait\":\"soon\"}").error())
                .isEqualTo("States.Runtime");
        assertThat(failure(waitThen("\"SecondsPath\":\"$.wait\""), "{\"wait\":-1}").error())
                .isEqualTo("States.Runtime");
        assertThat(failure(waitThen("\"TimestampPath\":\"$.t\""), "{\"t\":\"tomorrow\"}").cause())
                .contains("TimestampPath");
    }

    @Test
    void waitingExecutionsHoldNoThread() {
        // GIVEN a thousand executions each waiting an hour
        List<String> arns = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            arns.add(start(waitThen("\"Seconds\":3600"), "{}"));
        }
        scheduler.runReady();
        // THEN they are all timers of the one scheduler, none finished, none runs a thread
        assertThat(scheduler.pendingTimers()).isEqualTo(1000);
        assertThat(executor.describe(arns.get(0)).status()).isEqualTo(ExecutionStatus.RUNNING);
        // WHEN the hour passes
        scheduler.advance(Duration.ofHours(1));
        // THEN all succeed
        assertThat(arns).allSatisfy(a -> assertThat(executor.describe(a).status())
                .isEqualTo(ExecutionStatus.SUCCEEDED));
    }

    @Test
    void historyShowsWaitEnteredAndExited() {
        String arn = start(waitThen("\"Seconds\":5"), "{}");
        scheduler.runUntilIdle();
        assertThat(types(arn)).containsExactly("ExecutionStarted", "WaitStateEntered", "WaitStateExited",
                "ExecutionSucceeded");
        var events = executor.history(arn);
        assertThat(Duration.between(events.get(1).timestamp(), events.get(2).timestamp()))
                .isEqualTo(Duration.ofSeconds(5));
    }
}
