package io.modelcycle.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcycle.core.metrics.AlarmDefinition;
import io.modelcycle.core.metrics.AlarmEvaluation;
import io.modelcycle.core.metrics.AlarmState;
import io.modelcycle.local.asl.AslExecutor;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The events AWS services put on EventBridge, built exactly as EventBridge delivers them to a rule's target: the
 * envelope ({@code version}, {@code id}, {@code detail-type}, {@code source}, {@code account}, {@code time},
 * {@code region}, {@code resources}, {@code detail}) and each service's {@code detail}. Region and account are the
 * local executor's ({@value AslExecutor#REGION}, {@value AslExecutor#ACCOUNT}), so ARNs look like those of AWS.
 * Samples of each are in {@code events/triggers/}.
 */
public final class AwsEvents {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** CloudWatch's timestamp format in alarm state-change details. */
    private static final DateTimeFormatter ALARM_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter REASON_TIME = DateTimeFormatter.ofPattern("dd/MM/yy HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private AwsEvents() {
    }

    /**
     * S3's {@code Object Created} event for a {@code PutObject} of {@code key} in {@code bucket}.
     *
     * @param etag the object's ETag: the hex MD5 of its bytes for a single-part upload
     */
    public static ObjectNode objectCreated(String bucket, String key, long size, String etag, Instant time) {
        ObjectNode event = envelope("Object Created", "aws.s3", time, List.of("arn:aws:s3:::" + bucket));
        ObjectNode detail = event.putObject("detail");
        detail.put("version", "0");
        detail.putObject("bucket").put("name", bucket);
        ObjectNode object = detail.putObject("object");
        object.put("key", key);
        object.put("size", size);
        object.put("etag", etag);
        object.put("sequencer", HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(8)
                .putLong(time.toEpochMilli() * 1000 + System.nanoTime() % 1000).array()).toUpperCase());
        detail.put("request-id", UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase());
        detail.put("requester", AslExecutor.ACCOUNT);
        detail.put("source-ip-address", "127.0.0.1");
        detail.put("reason", "PutObject");
        return event;
    }

    /**
     * CloudWatch's {@code CloudWatch Alarm State Change} event for an evaluation of {@code alarm} that changed its
     * state.
     *
     * @param range the values of the evaluated periods, oldest first (null for a period without data), as
     *              {@link io.modelcycle.core.metrics.AlarmEvaluator#slots} lays them out
     * @param rangeStart the start of the first of those periods
     * @param previous   what the alarm's previous state was entered with; null for a new alarm
     */
    public static ObjectNode alarmStateChange(AlarmDefinition alarm, String description, AlarmEvaluation evaluation,
                                              Previous previous, List<Double> range, Instant rangeStart,
                                              Instant time) {
        ObjectNode event = envelope("CloudWatch Alarm State Change", "aws.cloudwatch", time,
                List.of(alarmArn(alarm.name())));
        ObjectNode detail = event.putObject("detail");
        detail.put("alarmName", alarm.name());
        ObjectNode configuration = detail.putObject("configuration");
        configuration.put("description", description);
        ObjectNode metric = configuration.putArray("metrics").addObject();
        metric.put("id", "m1");
        ObjectNode stat = metric.putObject("metricStat");
        ObjectNode m = stat.putObject("metric");
        ObjectNode dims = m.putObject("dimensions");
        alarm.metric().dimensions().forEach(dims::put);
        m.put("name", alarm.metric().name());
        m.put("namespace", alarm.metric().namespace());
        stat.put("period", alarm.period().toSeconds());
        stat.put("stat", statName(alarm));
        metric.put("returnData", true);
        ObjectNode before = detail.putObject("previousState");
        if (previous == null) {
            before.put("reason", "Unchecked: Initial alarm creation");
            before.put("timestamp", ALARM_TIME.format(time));
        } else {
            before.put("reason", previous.reason());
            if (previous.reasonData() != null) {
                before.put("reasonData", previous.reasonData());
            }
            before.put("timestamp", ALARM_TIME.format(previous.timestamp()));
        }
        before.put("value", evaluation.previous() == null ? AlarmState.INSUFFICIENT_DATA.name()
                : evaluation.previous().name());
        ObjectNode state = detail.putObject("state");
        state.put("reason", stateReason(alarm, evaluation, range, rangeStart));
        state.put("reasonData", reasonData(alarm, range, rangeStart, time).toString());
        state.put("timestamp", ALARM_TIME.format(time));
        state.put("value", evaluation.state().name());
        return event;
    }

    /**
     * What the event says about the state an alarm leaves: the reason and reason data it was given when it entered
     * that state (null reason data: none), and when.
     */
    public record Previous(String reason, String reasonData, Instant timestamp) {
    }

    /** The {@code reason} CloudWatch gives a state change, as {@link #alarmStateChange} writes it. */
    public static String stateReason(AlarmDefinition alarm, AlarmEvaluation evaluation, List<Double> range,
                                     Instant rangeStart) {
        return reason(alarm, evaluation, range, rangeStart);
    }

    /** The {@code reasonData} JSON CloudWatch gives a state change, as {@link #alarmStateChange} writes it. */
    public static String stateReasonData(AlarmDefinition alarm, List<Double> range, Instant rangeStart, Instant time) {
        return reasonData(alarm, range, rangeStart, time).toString();
    }

    /** The {@code Scheduled Event} a scheduled rule sends. */
    public static ObjectNode scheduled(String ruleName, Instant time) {
        ObjectNode event = envelope("Scheduled Event", "aws.events", time, List.of(ruleArn(ruleName)));
        event.putObject("detail");
        return event;
    }

    /** The ARN of a CloudWatch alarm in the local region and account. */
    public static String alarmArn(String alarmName) {
        return "arn:aws:cloudwatch:" + AslExecutor.REGION + ":" + AslExecutor.ACCOUNT + ":alarm:" + alarmName;
    }

    /** The ARN of an EventBridge rule in the local region and account. */
    public static String ruleArn(String ruleName) {
        return "arn:aws:events:" + AslExecutor.REGION + ":" + AslExecutor.ACCOUNT + ":rule/" + ruleName;
    }

    private static ObjectNode envelope(String detailType, String source, Instant time, List<String> resources) {
        ObjectNode event = NODES.objectNode();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", detailType);
        event.put("source", source);
        event.put("account", AslExecutor.ACCOUNT);
        event.put("time", time.truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("region", AslExecutor.REGION);
        ArrayNode r = event.putArray("resources");
        resources.forEach(r::add);
        return event;
    }

    private static String statName(AlarmDefinition alarm) {
        return alarm.statistic().cloudWatchName();
    }

    private static String reason(AlarmDefinition alarm, AlarmEvaluation evaluation, List<Double> range,
                                 Instant rangeStart) {
        StringBuilder points = new StringBuilder();
        for (int i = range.size() - 1; i >= 0; i--) {
            if (range.get(i) != null) {
                if (points.length() > 0) {
                    points.append(", ");
                }
                points.append(range.get(i)).append(" (")
                        .append(REASON_TIME.format(rangeStart.plus(alarm.period().multipliedBy(i)))).append(")");
            }
        }
        return "Threshold Crossed: " + evaluation.reason() + (points.length() > 0 ? " [" + points + "]" : "")
                + " (minimum " + alarm.datapointsToAlarm() + " datapoint" + (alarm.datapointsToAlarm() == 1 ? "" : "s")
                + " for " + (evaluation.previous() == null ? AlarmState.INSUFFICIENT_DATA : evaluation.previous())
                + " -> " + evaluation.state() + " transition).";
    }

    private static JsonNode reasonData(AlarmDefinition alarm, List<Double> range, Instant rangeStart, Instant time) {
        ObjectNode data = NODES.objectNode();
        data.put("version", "1.0");
        data.put("queryDate", ALARM_TIME.format(time));
        data.put("startDate", ALARM_TIME.format(rangeStart));
        data.put("statistic", statName(alarm));
        data.put("period", alarm.period().toSeconds());
        ArrayNode recent = data.putArray("recentDatapoints");
        ArrayNode evaluated = data.putArray("evaluatedDatapoints");
        for (int i = range.size() - 1; i >= 0; i--) {
            Double v = range.get(i);
            if (v != null) {
                recent.add(v);
                ObjectNode p = evaluated.addObject();
                p.put("timestamp", ALARM_TIME.format(rangeStart.plus(alarm.period().multipliedBy(i))));
                p.put("value", v);
            }
        }
        data.put("threshold", alarm.threshold());
        return data;
    }
}
