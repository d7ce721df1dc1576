package io.modelcycle.local.runtime;

import io.modelcycle.core.Json;
import io.modelcycle.core.lifecycle.TriggerInputs;
import io.modelcycle.core.metrics.DriftAlarms;
import io.modelcycle.local.events.EventPattern;
import io.modelcycle.local.events.EventRule;
import io.modelcycle.local.events.InputTransformer;
import java.time.Duration;
import java.util.Map;

/**
 * The EventBridge rules of the local runtime, the counterparts of the CDK app's rules: written in EventBridge's own
 * pattern and input-transformer syntax, so each could be put on an AWS event bus as is.
 */
public final class TriggerRules {

    /** The rule that starts training on a dataset upload. */
    public static final String DATASET_RULE = "dataset-uploaded";
    /** The rule that starts a drift check when a drift alarm fires. */
    public static final String ALARM_RULE = "drift-alarm";
    /** Prefix of the per-model scheduled drift check rules. */
    public static final String SCHEDULE_RULE_PREFIX = "drift-schedule-";

    private TriggerRules() {
    }

    /**
     * S3 {@code Object Created} of a dataset in {@code bucket} under {@code datasets/} → {@code training-pipeline}
     * with {@code {"datasetKey": key, "trigger": "dataset-upload"}}, the same rule the CDK app deploys. The
     * retraining datasets the drift check writes live under {@code retraining/<model>/} and do not match: drift-check
     * starts that training itself, so an upload event must not start it twice.
     */
    public static EventRule datasetUploaded(String bucket) {
        EventPattern pattern = EventPattern.parse("""
                {"source": ["aws.s3"], "detail-type": ["Object Created"],
                 "detail": {"bucket": {"name": ["%s"]},
                            "object": {"key": [{"prefix": "datasets/"}]}}}"""
                .formatted(bucket));
        return EventRule.onPattern(DATASET_RULE, pattern, EventRule.Target.transformed(Workflows.TRAINING_PIPELINE,
                new InputTransformer(Map.of("datasetKey", "$.detail.object.key"),
                        "{\"datasetKey\": <datasetKey>, \"trigger\": \"dataset-upload\"}")));
    }

    /**
     * A drift alarm ({@code modelcycle-drift-<model>}) entering {@code ALARM} → {@code drift-check} with
     * {@code {"model": model, "trigger": "alarm"}}; the model is the alarm metric's {@code model} dimension. Other
     * states and other alarms start nothing.
     */
    public static EventRule driftAlarm() {
        EventPattern pattern = EventPattern.parse("""
                {"source": ["aws.cloudwatch"], "detail-type": ["%s"],
                 "detail": {"alarmName": [{"prefix": "%s"}], "state": {"value": ["ALARM"]}}}"""
                .formatted(TriggerInputs.ALARM_DETAIL_TYPE, DriftAlarms.ALARM_PREFIX));
        return EventRule.onPattern(ALARM_RULE, pattern, EventRule.Target.transformed(Workflows.DRIFT_CHECK,
                new InputTransformer(Map.of("model", "$.detail.configuration.metrics[0].metricStat.metric.dimensions."
                        + DriftAlarms.MODEL), "{\"model\": <model>, \"trigger\": \"" + TriggerInputs.ALARM + "\"}")));
    }

    /** Every {@code rate} → {@code drift-check} of {@code model} with {@code {"model", "trigger": "schedule", "windowMinutes"}}. */
    public static EventRule driftSchedule(String model, Duration rate, int windowMinutes) {
        return EventRule.onSchedule(SCHEDULE_RULE_PREFIX + model, rate, EventRule.Target.constant(Workflows.DRIFT_CHECK,
                Json.mapper().valueToTree(TriggerInputs.schedule(model, windowMinutes))));
    }
}
