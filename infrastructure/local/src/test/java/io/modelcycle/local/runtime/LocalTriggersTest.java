package io.modelcycle.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcycle.core.Json;
import io.modelcycle.core.dataset.SyntheticDataset;
import io.modelcycle.core.metrics.AlarmState;
import io.modelcycle.core.metrics.DriftAlarms;
import io.modelcycle.core.metrics.MetricPoint;
import io.modelcycle.core.metrics.MetricUnit;
import io.modelcycle.core.registry.Change;
import io.modelcycle.local.asl.ExecutionDescription;
import io.modelcycle.local.events.EventBus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alarm and schedule triggers of the local runtime, and the isolation of two runtimes on two homes. No training
 * runs here: the drift checks these start fail for want of a deployed version, which does not matter to what is
 * checked, the execution each trigger starts and its input.
 */
class LocalTriggersTest {

    private static final Duration PERIOD = Duration.ofMinutes(1);

    @TempDir
    Path dir;

    /** A clock the test moves: the alarm evaluator reads whole periods before "now". */
    static final class SettableClock extends Clock {
        volatile Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private LocalRuntime open(Path home, Clock clock, List<EventBus.Delivery> deliveries,
                              List<LocalAlarmEvaluator.Result> changes) {
        return LocalRuntime.builder().home(home).optClock(clock).optAlarmPeriod(PERIOD)
                .optListener(new RuntimeListener() {
                    @Override
                    public void eventDelivered(EventBus.Delivery delivery) {
                        deliveries.add(delivery);
                    }

                    @Override
                    public void alarmChanged(LocalAlarmEvaluator.Result result) {
                        changes.add(result);
                    }
                }).build();
    }

    private static void publishDriftedShare(LocalRuntime runtime, String model, double share, Instant at) {
        runtime.metrics().publish(List.of(new MetricPoint(DriftAlarms.driftedShare(model), share, MetricUnit.NONE, at)));
    }

    @Test
    void a_drift_alarm_entering_alarm_starts_one_drift_check_and_its_state_survives_a_restart() {
        SettableClock clock = new SettableClock(Instant.parse("2026-11-29T10:00:30Z"));
        List<EventBus.Delivery> deliveries = Collections.synchronizedList(new ArrayList<>());
        List<LocalAlarmEvaluator.Result> changes = Collections.synchronizedList(new ArrayList<>());
        Path home = dir.resolve("home");
        try (LocalRuntime runtime = open(home, clock, deliveries, changes)) {
            // GIVEN a model whose last drift check found 80 % of its features drifted (threshold 0.5)
            runtime.registry().createModel(SyntheticDataset.binary(10, 3, 1).model("churn", "tests"),
                    Change.by("tests", "setup"));
            publishDriftedShare(runtime, "churn", 0.8, Instant.parse("2026-11-29T09:59:10Z"));

            // WHEN the alarms are evaluated, twice
            runtime.alarms().evaluateNow();
            runtime.alarms().evaluateNow();

            // THEN the alarm went to ALARM once, and its event started one drift-check with the alarm's input
            assertThat(runtime.alarms().state("churn")).isEqualTo(AlarmState.ALARM);
            assertThat(changes).singleElement().satisfies(c -> {
                assertThat(c.model()).isEqualTo("churn");
                assertThat(c.evaluation().state()).isEqualTo(AlarmState.ALARM);
            });
            assertThat(deliveries).singleElement().satisfies(d -> {
                assertThat(d.rule()).isEqualTo(TriggerRules.ALARM_RULE);
                assertThat(runtime.input(d.executionArn()))
                        .isEqualTo(Json.tree("{\"model\": \"churn\", \"trigger\": \"alarm\"}"));
                ExecutionDescription check = runtime.await(d.executionArn(), Duration.ofMinutes(1));
                assertThat(check.stateMachineArn()).endsWith(":stateMachine:drift-check");
            });

            // AND WHEN the next check finds little drift, the alarm returns to OK without starting anything
            clock.now = Instant.parse("2026-11-29T10:01:30Z");
            publishDriftedShare(runtime, "churn", 0.1, Instant.parse("2026-11-29T10:00:10Z"));
            runtime.alarms().evaluateNow();
            assertThat(runtime.alarms().state("churn")).isEqualTo(AlarmState.OK);
            assertThat(changes).hasSize(2);
            assertThat(deliveries).hasSize(1);
        }

        // AND a runtime reopened on the same home remembers the state: no second event for the same data
        clock.now = Instant.parse("2026-11-29T10:01:40Z");
        List<EventBus.Delivery> later = new ArrayList<>();
        try (LocalRuntime reopened = open(home, clock, later, new ArrayList<>())) {
            assertThat(reopened.alarms().state("churn")).isEqualTo(AlarmState.OK);
            reopened.alarms().evaluateNow();
            assertThat(later).isEmpty();
        }
    }

    @Test
    void the_scheduled_drift_check_runs_when_fired_with_the_schedule_input() {
        List<EventBus.Delivery> deliveries = Collections.synchronizedList(new ArrayList<>());
        try (LocalRuntime runtime = open(dir.resolve("home"), Clock.systemUTC(), deliveries, new ArrayList<>())) {
            runtime.registry().createModel(SyntheticDataset.binary(10, 3, 1).model("churn", "tests"),
                    Change.by("tests", "setup"));

            String arn = runtime.fireDriftSchedule("churn");

            assertThat(runtime.events().rules()).containsKey(TriggerRules.SCHEDULE_RULE_PREFIX + "churn");
            assertThat(runtime.input(arn)).isEqualTo(Json.tree(
                    "{\"model\": \"churn\", \"trigger\": \"schedule\", \"windowMinutes\": 60}"));
            assertThat(deliveries).extracting(EventBus.Delivery::executionArn).containsExactly(arn);
        }
    }

    @Test
    void two_runtimes_on_two_homes_do_not_see_each_other() {
        List<EventBus.Delivery> aEvents = Collections.synchronizedList(new ArrayList<>());
        List<EventBus.Delivery> bEvents = Collections.synchronizedList(new ArrayList<>());
        try (LocalRuntime a = open(dir.resolve("a"), Clock.systemUTC(), aEvents, new ArrayList<>());
             LocalRuntime b = open(dir.resolve("b"), Clock.systemUTC(), bEvents, new ArrayList<>())) {
            // GIVEN the same model name in both
            a.registry().createModel(SyntheticDataset.binary(10, 3, 1).model("churn", "team-a"), Change.by("a", "setup"));
            b.registry().createModel(SyntheticDataset.binary(10, 3, 1).model("churn", "team-b"), Change.by("b", "setup"));

            // WHEN a dataset is written in A only
            a.artifacts().put("datasets/churn/only-a.csv", "x1,x2,x3,target\n".getBytes(StandardCharsets.UTF_8));

            // THEN only A's pipeline started, and each sees its own model, objects and executions
            assertThat(aEvents).singleElement().satisfies(d -> assertThat(d.workflow()).isEqualTo("training-pipeline"));
            assertThat(bEvents).isEmpty();
            assertThat(a.executor().list()).hasSize(1);
            assertThat(b.executor().list()).isEmpty();
            assertThat(b.artifacts().stat("datasets/churn/only-a.csv")).isEmpty();
            assertThat(a.registry().model("churn").owner()).isEqualTo("team-a");
            assertThat(b.registry().model("churn").owner()).isEqualTo("team-b");
            assertThat(a.home()).isNotEqualTo(b.home());
            a.await(aEvents.get(0).executionArn(), Duration.ofMinutes(1));
        }
    }
}
