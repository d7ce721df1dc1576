package io.modelcycle.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One event of an execution's history, shaped like an entry of Step Functions' {@code GetExecutionHistory}:
 * {@code {"timestamp", "type", "id", "previousEventId", "<detailsKey>": {...}}}, for example
 * {@code "type": "TaskStateEntered"} with {@code "stateEnteredEventDetails": {"name", "input"}}.
 *
 * @param id              1, 2, 3 … within the execution
 * @param previousEventId the event this one follows in its branch (0 for the first)
 * @param timestamp       when it happened, on the executor's clock
 * @param type            the event type, for example {@code ExecutionStarted}, {@code PassStateExited}
 * @param detailsKey      the details field name (for example {@code stateExitedEventDetails}), or null if none
 * @param details         the details object, or null if none
 */
public record HistoryEvent(long id, long previousEventId, Instant timestamp, String type, String detailsKey,
        JsonNode details) {

    public HistoryEvent {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(type, "type");
        if ((detailsKey == null) != (details == null)) {
            throw new IllegalArgumentException("detailsKey and details go together");
        }
    }

    /** The event as Step Functions prints it. */
    public ObjectNode toJson() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("timestamp", timestamp.toString());
        out.put("type", type);
        out.put("id", id);
        out.put("previousEventId", previousEventId);
        if (detailsKey != null) {
            out.set(detailsKey, details);
        }
        return out;
    }
}
