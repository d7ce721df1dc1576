package io.modelcycle.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.Json;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.lifecycle.TriggerInputs;
import io.modelcycle.core.metrics.DriftAlarms;
import io.modelcycle.core.model.Model;
import io.modelcycle.testkit.events.SampleEvents;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The trigger events of {@code events/monitoring/}, as EventBridge delivers them, mapped to the drift-check execution
 * input by {@link TriggerInputs}: the mapping the CDK rules and the local runtime's rules use.
 */
class MonitoringEventsTest {

    static JsonNode event(String file) {
        return Json.tree(SampleEvents.read("monitoring/" + file));
    }

    @Test
    void the_drift_alarm_entering_alarm_starts_a_check_of_its_model() {
        // GIVEN the state change of alarm modelcycle-drift-churn from OK to ALARM, as EventBridge delivers it
        JsonNode alarm = event("alarm-state-change.json");
        assertThat(alarm.get("detail").get("alarmName").asText()).isEqualTo(DriftAlarms.alarmName("churn"));

        // WHEN it is mapped to the drift-check input
        var input = TriggerInputs.fromAlarmEvent(alarm);

        // THEN the check is for churn, started by the alarm, and equal to the sample execution input
        assertThat(input).hasValue(Map.of("model", "churn", "trigger", "alarm"));
        assertThat(Json.tree(Json.write(input.orElseThrow()))).isEqualTo(event("execution-input.json"));
    }

    @Test
    void the_alarm_returning_to_ok_starts_nothing() {
        assertThat(TriggerInputs.fromAlarmEvent(event("alarm-state-change-ok.json"))).isEmpty();
    }

    @Test
    void another_alarm_starts_nothing() {
        JsonNode other = event("alarm-state-change.json").deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) other.get("detail")).put("alarmName", "ServerCpuTooHigh");
        assertThat(TriggerInputs.fromAlarmEvent(other)).isEmpty();
    }

    @Test
    void the_daily_schedule_checks_the_model_of_its_rule_over_its_window() {
        var input = TriggerInputs.fromScheduledEvent(event("scheduled-check.json"), "churn", 1440);
        assertThat(input).containsExactly(Map.entry("model", "churn"), Map.entry("trigger", "schedule"),
                Map.entry("windowMinutes", 1440));
    }

    @Test
    void an_event_of_the_wrong_kind_is_refused_naming_its_detail_type() {
        assertThatThrownBy(() -> TriggerInputs.fromAlarmEvent(event("scheduled-check.json")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("'Scheduled Event'");
        assertThatThrownBy(() -> TriggerInputs.fromScheduledEvent(event("alarm-state-change.json"), "churn", 60))
                .isInstanceOf(ValidationException.class).hasMessageContaining("CloudWatch Alarm State Change");
    }

    @Test
    void the_execution_input_names_a_valid_model_and_every_sample_file_is_played() {
        JsonNode input = event("execution-input.json");
        Model.requireName(input.get("model").asText());
        Set<String> files = SampleEvents.list("monitoring").stream().map(Path::getFileName).map(Path::toString)
                .collect(Collectors.toCollection(TreeSet::new));
        // each is read by this class or by MonitoringTaskHandlerTest
        assertThat(files).containsExactly("alarm-state-change-ok.json", "alarm-state-change.json",
                "drift-check-explicit-window.json", "drift-check.json", "execution-input.json", "invalid-report-key.json",
                "invalid-window.json", "prepare-retraining.json", "scheduled-check.json");
    }
}
