package io.modelcycle.core.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.metrics.DriftAlarms;
import io.modelcycle.core.model.Model;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one mapping from a trigger to the {@code drift-check} execution input, shared by the CDK app (its EventBridge
 * rule targets carry these inputs as constants), the local runtime's event rules and the tests that play the sample
 * events of {@code events/monitoring/}:
 *
 * <ul>
 *   <li>a {@code CloudWatch Alarm State Change} event of alarm {@code modelcycle-drift-{model}} entering
 *       {@code ALARM} → {@code {"model": model, "trigger": "alarm"}}; other states and other alarms start nothing;</li>
 *   <li>a {@code Scheduled Event} of the model's daily rule → {@code {"model": model, "trigger": "schedule",
 *       "windowMinutes": n}}. A scheduled event names only its rule, so the model and window come from the rule's
 *       definition, not from the event.</li>
 * </ul>
 * The state machine fills in what an input leaves out (a 60-minute window).
 */
public final class TriggerInputs {

    public static final String ALARM_DETAIL_TYPE = "CloudWatch Alarm State Change";
    public static final String SCHEDULED_DETAIL_TYPE = "Scheduled Event";
    public static final String ALARM = "alarm";
    public static final String SCHEDULE = "schedule";

    private TriggerInputs() {
    }

    /** The input a drift alarm of {@code model} starts drift-check with. */
    public static Map<String, Object> alarm(String model) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("model", Model.requireName(model));
        input.put("trigger", ALARM);
        return input;
    }

    /** The input the scheduled check of {@code model} starts drift-check with. */
    public static Map<String, Object> schedule(String model, int windowMinutes) {
        if (windowMinutes < 1 || windowMinutes > MonitoringTasks.MAX_WINDOW_MINUTES) {
            throw new ValidationException("windowMinutes", "must be 1 to " + MonitoringTasks.MAX_WINDOW_MINUTES
                    + ", got " + windowMinutes);
        }
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("model", Model.requireName(model));
        input.put("trigger", SCHEDULE);
        input.put("windowMinutes", windowMinutes);
        return input;
    }

    /**
     * The drift-check input for an alarm state-change event as EventBridge delivers it, or empty when the event
     * must not start a check (another alarm, or a state other than {@code ALARM}).
     */
    public static Optional<Map<String, Object>> fromAlarmEvent(JsonNode event) {
        requireDetailType(event, ALARM_DETAIL_TYPE);
        JsonNode detail = event.path("detail");
        if (!"ALARM".equals(detail.path("state").path("value").asText())) {
            return Optional.empty();
        }
        return DriftAlarms.modelOf(detail.path("alarmName").asText(null)).map(TriggerInputs::alarm);
    }

    /** The drift-check input for a scheduled event of the rule that checks {@code model} every day. */
    public static Map<String, Object> fromScheduledEvent(JsonNode event, String model, int windowMinutes) {
        requireDetailType(event, SCHEDULED_DETAIL_TYPE);
        return schedule(model, windowMinutes);
    }

    private static void requireDetailType(JsonNode event, String expected) {
        if (event == null || !expected.equals(event.path("detail-type").asText())) {
            throw new ValidationException("detail-type", "expected an EventBridge '" + expected + "' event, got '"
                    + (event == null ? null : event.path("detail-type").asText()) + "'");
        }
    }
}
