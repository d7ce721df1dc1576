package io.modelcycle.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.Json;
import io.modelcycle.core.metrics.AlarmEvaluation;
import io.modelcycle.core.metrics.AlarmState;
import io.modelcycle.core.metrics.DriftAlarms;
import io.modelcycle.local.asl.AslExecutor;
import io.modelcycle.local.asl.StateMachine;
import io.modelcycle.local.events.AwsEvents;
import io.modelcycle.local.events.EventBus;
import io.modelcycle.local.events.EventRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local runtime's rules ({@link TriggerRules}) with the sample events of {@code events/triggers/}, delivered by the
 * {@link EventBus} to a real executor whose workflows echo their input.
 */
class TriggerRulesTest {

    @TempDir
    Path home;

    AslExecutor executor;
    EventBus bus;

    @BeforeEach
    void setUp() {
        executor = AslExecutor.builder().home(home).build();
        StateMachine echo = StateMachine.parse("{\"StartAt\": \"Echo\", \"States\": {\"Echo\": {\"Type\": \"Pass\", \"End\": true}}}");
        for (String w : Workflows.ALL) {
            executor.register(w, echo);
        }
        bus = new EventBus(new LocalWorkflowLauncher(executor, Set.copyOf(Workflows.ALL)), Clock.systemUTC());
        bus.putRule(TriggerRules.datasetUploaded(Workflows.BUCKET));
        bus.putRule(TriggerRules.driftAlarm());
        bus.putRule(TriggerRules.driftSchedule("churn", Duration.ofDays(1), 60));
    }

    @AfterEach
    void tearDown() {
        bus.close();
        executor.close();
    }

    static JsonNode sample(String name) throws IOException {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path f = p.resolve("events/triggers").resolve(name);
            if (Files.isRegularFile(f)) {
                return Json.mapper().readTree(Files.readString(f));
            }
        }
        throw new IOException("no events/triggers/" + name + " above " + Path.of("").toAbsolutePath());
    }

    private JsonNode startedInput(EventBus.Delivery d) {
        assertThat(d.error()).isNull();
        return Json.tree(executor.describe(d.executionArn()).input());
    }

    @Test
    void a_dataset_upload_starts_the_training_pipeline_with_its_key() throws Exception {
        List<EventBus.Delivery> deliveries = bus.put(sample("s3-object-created-dataset.json"));

        assertThat(deliveries).singleElement().satisfies(d -> {
            assertThat(d.rule()).isEqualTo(TriggerRules.DATASET_RULE);
            assertThat(d.executionArn()).contains(":execution:training-pipeline:");
            assertThat(startedInput(d)).isEqualTo(Json.tree(
                    "{\"datasetKey\": \"datasets/churn/churn-2026-11.csv\", \"trigger\": \"dataset-upload\"}"));
        });
    }

    @Test
    void the_same_event_delivered_twice_starts_one_execution() throws Exception {
        JsonNode event = sample("s3-object-created-dataset.json");

        String first = bus.put(event).get(0).executionArn();
        String second = bus.put(event).get(0).executionArn();

        assertThat(second).isEqualTo(first);
        assertThat(executor.list()).hasSize(1);
    }

    @Test
    void a_retraining_dataset_written_by_the_drift_check_starts_nothing() throws Exception {
        assertThat(bus.put(sample("s3-object-created-retraining.json"))).isEmpty();
        assertThat(executor.list()).isEmpty();
    }

    @Test
    void an_object_in_another_bucket_or_outside_datasets_starts_nothing() throws Exception {
        JsonNode elsewhere = sample("s3-object-created-dataset.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) elsewhere.get("detail").get("bucket")).put("name", "elsewhere");
        JsonNode model = sample("s3-object-created-dataset.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) model.get("detail").get("object"))
                .put("key", "models/churn/versions/1/model.tar.gz");

        assertThat(bus.put(elsewhere)).isEmpty();
        assertThat(bus.put(model)).isEmpty();
        assertThat(executor.list()).isEmpty();
    }

    @Test
    void a_drift_alarm_entering_alarm_starts_a_drift_check_of_its_model() throws Exception {
        List<EventBus.Delivery> deliveries = bus.put(sample("alarm-state-change-alarm.json"));

        assertThat(deliveries).singleElement().satisfies(d -> {
            assertThat(d.rule()).isEqualTo(TriggerRules.ALARM_RULE);
            assertThat(d.executionArn()).contains(":execution:drift-check:");
            assertThat(startedInput(d)).isEqualTo(Json.tree("{\"model\": \"churn\", \"trigger\": \"alarm\"}"));
        });
    }

    @Test
    void a_drift_alarm_returning_to_ok_starts_nothing() throws Exception {
        assertThat(bus.put(sample("alarm-state-change-ok.json"))).isEmpty();
    }

    @Test
    void the_scheduled_rule_starts_a_scheduled_drift_check_and_sends_the_sample_s_shape() throws Exception {
        EventBus.Delivery d = bus.fireSchedule(TriggerRules.SCHEDULE_RULE_PREFIX + "churn");

        assertThat(startedInput(d)).isEqualTo(Json.tree(
                "{\"model\": \"churn\", \"trigger\": \"schedule\", \"windowMinutes\": 60}"));
        JsonNode sample = sample("scheduled-drift-check.json");
        assertThat(fieldPaths(AwsEvents.scheduled("drift-schedule-churn", Instant.now()))).isEqualTo(fieldPaths(sample));
        assertThat(AwsEvents.scheduled("drift-schedule-churn", Instant.now()).get("resources"))
                .isEqualTo(sample.get("resources"));
    }

    @Test
    void the_events_the_runtime_emits_have_the_fields_of_the_samples() throws Exception {
        JsonNode created = AwsEvents.objectCreated(Workflows.BUCKET, "datasets/churn/a.csv", 10,
                "9b2cf535f27731c974343645a3985328", Instant.now());
        assertThat(fieldPaths(created)).isEqualTo(fieldPaths(sample("s3-object-created-dataset.json")));

        var alarm = DriftAlarms.driftAlarm("churn", null, Duration.ofMinutes(1));
        Instant now = Instant.parse("2026-11-29T10:00:41Z");
        JsonNode changed = AwsEvents.alarmStateChange(alarm, "drift", new AlarmEvaluation(AlarmState.OK,
                AlarmState.ALARM, "1 of the last 1 datapoints breached", 1, 0, 1),
                new AwsEvents.Previous("was ok", "{\"version\":\"1.0\"}", now.minusSeconds(3600)), Arrays.asList(null, null, 0.75), now.minusSeconds(180), now);
        assertThat(fieldPaths(changed)).isEqualTo(fieldPaths(sample("alarm-state-change-alarm.json")));
        assertThat(changed.get("resources").get(0).asText())
                .isEqualTo("arn:aws:cloudwatch:local:000000000000:alarm:modelcycle-drift-churn");
        assertThat(bus.put(changed)).singleElement().satisfies(d -> assertThat(startedInput(d))
                .isEqualTo(Json.tree("{\"model\": \"churn\", \"trigger\": \"alarm\"}")));
    }

    @Test
    void a_rule_whose_workflow_does_not_exist_reports_the_failed_delivery_and_others_still_deliver() throws Exception {
        bus.putRule(EventRule.onPattern("broken", io.modelcycle.local.events.EventPattern.parse(
                "{\"source\": [\"aws.s3\"]}"), EventRule.Target.event("no-such-workflow")));
        List<EventBus.Delivery> seen = new ArrayList<>();
        bus.addListener(seen::add);

        List<EventBus.Delivery> deliveries = bus.put(sample("s3-object-created-dataset.json"));

        assertThat(deliveries).hasSize(2).isEqualTo(seen);
        assertThat(deliveries).filteredOn(d -> d.rule().equals("broken")).singleElement()
                .satisfies(d -> assertThat(d.error()).contains("no workflow 'no-such-workflow'"));
        assertThat(deliveries).filteredOn(d -> d.rule().equals(TriggerRules.DATASET_RULE)).singleElement()
                .satisfies(d -> assertThat(d.succeeded()).isTrue());
    }

    /** Every field path of a JSON object (array elements as [i]), to compare shapes. */
    static Set<String> fieldPaths(JsonNode node) {
        Set<String> out = new TreeSet<>();
        collect(node, "$", out);
        return out;
    }

    private static void collect(JsonNode node, String path, Set<String> out) {
        if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                String f = it.next();
                out.add(path + "." + f);
                collect(node.get(f), path + "." + f, out);
            }
        } else if (node.isArray() && !node.isEmpty()) {
            collect(node.get(0), path + "[0]", out);
        }
    }
}
