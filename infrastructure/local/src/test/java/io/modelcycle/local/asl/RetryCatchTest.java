package io.modelcycle.local.asl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Retriers and catchers: back-off, caps, jitter, matching order, and which errors they can see. */
class RetryCatchTest extends AslTestSupport {

    private final List<Instant> attempts = new ArrayList<>();

    /** Binds "Flaky" to fail with {@code error} the first {@code failures} times, then return "ok". */
    private void flaky(String error, int failures) {
        bindings.bind("Flaky", TaskHandler.sync(inv -> {
            attempts.add(scheduler.now());
            if (attempts.size() <= failures) {
                throw new TaskFailedException(error, "attempt " + attempts.size());
            }
            return TextNode.valueOf("ok after " + inv.context().at("/State/RetryCount").asInt() + " retries");
        }));
    }

    private static String task(String retry, String extra) {
        if (extra.isEmpty()) {
            // keeps the Caught state reachable; nothing throws NeverThrown
            extra = ",\"Catch\":[{\"ErrorEquals\":[\"NeverThrown\"],\"Next\":\"Caught\"}]";
        }
        return """
                {"StartAt":"T","States":{
                  "T":{"Type":"Task","Resource":"Flaky","Retry":%s%s,"End":true},
                  "Caught":{"Type":"Pass","End":true}}}""".formatted(retry, extra);
    }

    private List<Long> delays() {
        List<Long> out = new ArrayList<>();
        for (int i = 1; i < attempts.size(); i++) {
            out.add(Duration.between(attempts.get(i - 1), attempts.get(i)).toMillis());
        }
        return out;
    }

    @Test
    void retriesWithExponentialBackoff() {
        // GIVEN the guide's retrier: IntervalSeconds 3, MaxAttempts 2... here 3 attempts, BackoffRate 2
        flaky("Transient", 3);
        var out = output(task("""
                [{"ErrorEquals":["Transient"],"IntervalSeconds":3,"MaxAttempts":3,"BackoffRate":2.0}]""", ""), "{}");
        // THEN it waited 3, 6, 12 seconds between attempts and the fourth attempt succeeded
        assertThat(delays()).containsExactly(3000L, 6000L, 12000L);
        assertThat(out.asText()).isEqualTo("ok after 3 retries");
    }

    @Test
    void defaultsAreOneSecondThreeAttemptsRateTwo() {
        flaky("Transient", 10);
        var d = failure(task("[{\"ErrorEquals\":[\"States.ALL\"]}]", ""), "{}");
        assertThat(delays()).containsExactly(1000L, 2000L, 4000L);
        assertThat(d.error()).isEqualTo("Transient");
        assertThat(d.cause()).isEqualTo("attempt 4");
    }

    @Test
    void maxDelaySecondsCapsTheBackoff() {
        flaky("Transient", 4);
        output(task("""
                [{"ErrorEquals":["Transient"],"IntervalSeconds":1,"MaxAttempts":5,"BackoffRate":10,
                  "MaxDelaySeconds":5}]""", ""), "{}");
        assertThat(delays()).containsExactly(1000L, 5000L, 5000L, 5000L);
    }

    @Test
    void fullJitterWaitsAtMostTheComputedDelay() {
        flaky("Transient", 4);
        output(task("""
                [{"ErrorEquals":["Transient"],"IntervalSeconds":10,"MaxAttempts":4,"BackoffRate":2,
                  "JitterStrategy":"FULL"}]""", ""), "{}");
        List<Long> d = delays();
        assertThat(d).hasSize(4);
        long[] caps = {10_000, 20_000, 40_000, 80_000};
        for (int i = 0; i < 4; i++) {
            assertThat(d.get(i)).isBetween(0L, caps[i]);
        }
        assertThat(d).as("jitter moves the delays off the exact back-off").isNotEqualTo(List.of(10_000L, 20_000L,
                40_000L, 80_000L));
    }

    @Test
    void maxAttemptsZeroNeverRetries() {
        flaky("Transient", 1);
        assertThat(failure(task("[{\"ErrorEquals\":[\"Transient\"],\"MaxAttempts\":0}]", ""), "{}").error())
                .isEqualTo("Transient");
        assertThat(attempts).hasSize(1);
    }

    @Test
    void firstMatchingRetrierIsUsedAndWhenExhaustedTheCatcherTakesOver() {
        flaky("Transient", 10);
        var out = output(task("""
                [{"ErrorEquals":["Transient"],"MaxAttempts":1,"IntervalSeconds":2},
                 {"ErrorEquals":["States.ALL"],"MaxAttempts":5}]""",
                ",\"Catch\":[{\"ErrorEquals\":[\"Other\"],\"Next\":\"Caught\"},"
                        + "{\"ErrorEquals\":[\"Transient\"],\"ResultPath\":\"$.error\",\"Next\":\"Caught\"}]"),
                "{\"order\":1}");
        // THEN only the first retrier's single retry happened, then the second catcher caught it
        assertThat(attempts).hasSize(2);
        assertThat(out).isEqualTo(json("{\"order\":1,\"error\":{\"Error\":\"Transient\",\"Cause\":\"attempt 2\"}}"));
    }

    @Test
    void catchWithoutResultPathReplacesTheInputWithTheErrorOutput() {
        flaky("Boom", 1);
        var out = output(task("[]", ",\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"Next\":\"Caught\"}]"), "{\"a\":1}");
        assertThat(out).isEqualTo(json("{\"Error\":\"Boom\",\"Cause\":\"attempt 1\"}"));
    }

    @Test
    void taskFailedMatchesTaskErrorsButNotTimeouts() {
        bindings.bind("Never", inv -> new java.util.concurrent.CompletableFuture<>());
        String definition = """
                {"StartAt":"T","States":{
                  "T":{"Type":"Task","Resource":"Never","TimeoutSeconds":5,
                       "Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"Caught"}],"End":true},
                  "Caught":{"Type":"Pass","End":true}}}""";
        var d = failure(definition, "{}");
        assertThat(d.error()).isEqualTo("States.Timeout");
        flaky("Anything", 1);
        assertThat(output(task("[]", ",\"Catch\":[{\"ErrorEquals\":[\"States.TaskFailed\"],\"Next\":\"Caught\"}]"),
                "{}").get("Error").asText()).isEqualTo("Anything");
    }

    @Test
    void timeoutCanBeRetried() {
        int[] calls = {0};
        bindings.bind("SlowThenFast", inv -> ++calls[0] == 1 ? new java.util.concurrent.CompletableFuture<>()
                : java.util.concurrent.CompletableFuture.completedFuture(TextNode.valueOf("fast")));
        String definition = single("""
                {"Type":"Task","Resource":"SlowThenFast","TimeoutSeconds":10,
                 "Retry":[{"ErrorEquals":["States.Timeout"],"IntervalSeconds":1}],"End":true}""");
        String arn = start(definition, "{}");
        scheduler.runUntilIdle();
        var d = executor.describe(arn);
        assertThat(d.output()).isEqualTo("\"fast\"");
        assertThat(Duration.between(d.startDate(), d.stopDate())).isEqualTo(Duration.ofSeconds(11));
        assertThat(types(arn)).contains("TaskTimedOut");
    }

    @Test
    void runtimeErrorsAreNeitherRetriedNorCaught() {
        String definition = """
                {"StartAt":"T","States":{
                  "T":{"Type":"Task","Resource":"Unbound",
                       "Retry":[{"ErrorEquals":["States.ALL"]}],
                       "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],"End":true},
                  "Caught":{"Type":"Pass","End":true}}}""";
        var d = failure(definition, "{}");
        assertThat(d.error()).isEqualTo("States.Runtime");
        assertThat(d.cause()).contains("No task is bound to resource 'Unbound'");
    }

    @Test
    void retryCountIsInTheContextObject() {
        flaky("Transient", 2);
        assertThat(output(task("[{\"ErrorEquals\":[\"Transient\"]}]", ""), "{}").asText())
                .isEqualTo("ok after 2 retries");
    }

    @Test
    void mapAndParallelCanBeRetriedAsAWhole() {
        flaky("Transient", 1);
        String definition = single("""
                {"Type":"Parallel","End":true,"Retry":[{"ErrorEquals":["Transient"],"IntervalSeconds":7}],
                 "Branches":[{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"Flaky","End":true}}}]}""");
        assertThat(output(definition, "{}")).isEqualTo(json("[\"ok after 0 retries\"]"));
        assertThat(delays()).containsExactly(7000L);
    }
}
