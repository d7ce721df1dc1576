package io.modelcycle.core.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcycle.core.Json;
import io.modelcycle.core.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Routes a task payload {@code {"action": "<name>", ...fields}} to the task registered under that name. Each
 * task receives the payload (without {@code action}) converted to its request record, so a misspelt or missing
 * field fails with a {@link ValidationException} naming it, and returns a result that is written back as JSON.
 *
 * <p>Errors are not caught here: a task throws a domain exception, Lambda reports its class name as the error
 * type, and the state machine's {@code Retry}/{@code Catch} match on it.
 */
public final class TaskRouter {

    private final Map<String, Function<JsonNode, Object>> tasks = new LinkedHashMap<>();

    /** Registers {@code task} under {@code action}; its payload is read as {@code requestType}. */
    public <T> TaskRouter on(String action, Class<T> requestType, Function<T, ?> task) {
        Objects.requireNonNull(task, "task");
        if (tasks.putIfAbsent(action, payload -> task.apply(convert(action, payload, requestType))) != null) {
            throw new IllegalArgumentException("action '" + action + "' is registered twice");
        }
        return this;
    }

    public java.util.Set<String> actions() {
        return java.util.Collections.unmodifiableSet(tasks.keySet());
    }

    /** Runs the task named by the payload's {@code action} and returns its result as a JSON tree. */
    public JsonNode handle(JsonNode payload) {
        if (payload == null || !payload.isObject()) {
            throw new ValidationException("payload", "a task payload must be a JSON object with an 'action'");
        }
        JsonNode action = payload.get("action");
        if (action == null || !action.isTextual()) {
            throw new ValidationException("action", "is required; one of " + tasks.keySet());
        }
        Function<JsonNode, Object> task = tasks.get(action.asText());
        if (task == null) {
            throw new ValidationException("action", "unknown action '" + action.asText() + "'; one of " + tasks.keySet());
        }
        ObjectNode fields = ((ObjectNode) payload).deepCopy();
        fields.remove("action");
        Object result = task.apply(fields);
        return result == null ? Json.mapper().createObjectNode() : Json.mapper().valueToTree(result);
    }

    /** Stream form, for {@code RequestStreamHandler}s. */
    public void handle(InputStream in, OutputStream out) throws IOException {
        JsonNode payload;
        try {
            payload = Json.mapper().readTree(in);
        } catch (IOException e) {
            throw new ValidationException("payload", "is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        Json.mapper().writeValue(out, handle(payload));
    }

    private static <T> T convert(String action, JsonNode payload, Class<T> type) {
        try {
            return Json.mapper().treeToValue(payload, type);
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            throw new ValidationException(e.getPropertyName(), "is not a field of action '" + action + "'; expected "
                    + e.getKnownPropertyIds());
        } catch (IOException e) {
            Throwable root = e.getCause() instanceof ValidationException v ? v : null;
            if (root != null) {
                throw (ValidationException) root;
            }
            throw new ValidationException("payload", "action '" + action + "': " + e.getMessage().lines().findFirst().orElse(""));
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof ValidationException v) {
                throw v;
            }
            throw new ValidationException("payload", "action '" + action + "': " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
