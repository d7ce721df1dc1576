package io.modelcycle.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.ValidationException;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An EventBridge rule of the local event bus: either an event pattern or a schedule ({@code rate(...)}), and one
 * target, a workflow.
 *
 * @param name     the rule's name, as in EventBridge: 1 to 64 of letters, digits, '.', '-', '_'
 * @param pattern  the event pattern; null for a scheduled rule
 * @param schedule the rate of a scheduled rule; null for a pattern rule
 * @param target   where matching events go
 */
public record EventRule(String name, EventPattern pattern, Duration schedule, Target target) {

    private static final Pattern NAME = Pattern.compile("[.\\-_A-Za-z0-9]{1,64}");

    public EventRule {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ValidationException("rule.name", "must be 1 to 64 letters, digits, '.', '-' or '_', got '" + name + "'");
        }
        if ((pattern == null) == (schedule == null)) {
            throw new ValidationException("rule." + name, "needs exactly one of an event pattern and a schedule");
        }
        if (schedule != null && (schedule.isNegative() || schedule.isZero())) {
            throw new ValidationException("rule." + name + ".schedule", "must be a positive rate, got " + schedule);
        }
        Objects.requireNonNull(target, "target");
    }

    /** A rule that sends events matching {@code pattern} to {@code target}. */
    public static EventRule onPattern(String name, EventPattern pattern, Target target) {
        return new EventRule(name, Objects.requireNonNull(pattern, "pattern"), null, target);
    }

    /** A rule that fires every {@code rate} ({@code rate(...)} in EventBridge) into {@code target}. */
    public static EventRule onSchedule(String name, Duration rate, Target target) {
        return new EventRule(name, null, Objects.requireNonNull(rate, "rate"), target);
    }

    /** Whether this is a scheduled rule. */
    public boolean scheduled() {
        return schedule != null;
    }

    /**
     * A rule's target: a workflow started with, as in EventBridge, either the matched event itself, a constant
     * {@code Input}, or the result of an {@link InputTransformer}.
     *
     * @param workflow    the workflow's name ({@code training-pipeline}, {@code drift-check}, ...)
     * @param input       a constant input, or null
     * @param transformer an input transformer, or null
     */
    public record Target(String workflow, JsonNode input, InputTransformer transformer) {
        public Target {
            if (workflow == null || workflow.isBlank()) {
                throw new ValidationException("target.workflow", "is required");
            }
            if (input != null && transformer != null) {
                throw new ValidationException("target", "takes a constant Input or an InputTransformer, not both");
            }
            input = input == null ? null : input.deepCopy();
        }

        /** The matched event is the workflow's input. */
        public static Target event(String workflow) {
            return new Target(workflow, null, null);
        }

        public static Target constant(String workflow, JsonNode input) {
            return new Target(workflow, Objects.requireNonNull(input, "input"), null);
        }

        public static Target transformed(String workflow, InputTransformer transformer) {
            return new Target(workflow, null, Objects.requireNonNull(transformer, "transformer"));
        }

        /** The workflow input for {@code event} matched by rule {@code ruleName}. */
        public JsonNode inputFor(JsonNode event, String ruleName) {
            if (input != null) {
                return input.deepCopy();
            }
            return transformer != null ? transformer.apply(event, ruleName) : event.deepCopy();
        }
    }
}
