package io.modelcycle.local.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.modelcycle.core.ValidationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge input transformer: {@code InputPathsMap} names values of the event by JSONPath
 * ({@code $.detail.object.key}, {@code $.resources[0]}), and {@code InputTemplate} places them with
 * {@code <name>}. As in EventBridge, a placeholder inside a JSON string is replaced by the value's text (a string
 * without its quotes), one outside a string by the value as JSON; {@code <aws.events.event>} (or
 * {@code <aws.events.event.json>}) is the whole event and {@code <aws.events.rule-name>} the rule's name. A path that
 * finds nothing gives {@code null} (an empty text inside a string). The template must produce a JSON value: the
 * input of a state machine execution.
 *
 * @param inputPathsMap placeholder name → JSONPath into the event (at most 100, as in EventBridge)
 * @param inputTemplate the template
 */
public record InputTransformer(Map<String, String> inputPathsMap, String inputTemplate) {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern PATH = Pattern.compile("\\$(?:\\.[A-Za-z0-9_@-]+|\\[[0-9]+\\])*");
    private static final Pattern PLACEHOLDER = Pattern.compile("<([A-Za-z0-9_.-]+)>");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}");

    public InputTransformer {
        inputPathsMap = inputPathsMap == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(inputPathsMap));
        if (inputPathsMap.size() > 100) {
            throw new ValidationException("InputPathsMap", "holds at most 100 paths, found " + inputPathsMap.size());
        }
        for (Map.Entry<String, String> e : inputPathsMap.entrySet()) {
            if (!NAME.matcher(e.getKey()).matches() || e.getKey().startsWith("aws.")) {
                throw new ValidationException("InputPathsMap." + e.getKey(), "a placeholder name has letters, digits,"
                        + " '-' and '_' and does not start with 'aws.'");
            }
            if (e.getValue() == null || !PATH.matcher(e.getValue()).matches()) {
                throw new ValidationException("InputPathsMap." + e.getKey(), "'" + e.getValue() + "' is not a JSONPath"
                        + " like $.detail.object.key or $.resources[0]");
            }
        }
        if (inputTemplate == null || inputTemplate.isBlank()) {
            throw new ValidationException("InputTemplate", "is required");
        }
        Matcher m = PLACEHOLDER.matcher(inputTemplate);
        while (m.find()) {
            String name = m.group(1);
            if (!name.startsWith("aws.events.") && !inputPathsMap.containsKey(name)) {
                throw new ValidationException("InputTemplate", "placeholder <" + name + "> is not in InputPathsMap "
                        + inputPathsMap.keySet());
            }
        }
    }

    /** The target input for {@code event} matched by the rule {@code ruleName}. */
    public JsonNode apply(JsonNode event, String ruleName) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        inputPathsMap.forEach((name, path) -> values.put(name, read(event, path)));
        values.put("aws.events.event", event);
        values.put("aws.events.event.json", event);
        values.put("aws.events.rule-name", JsonNodeFactory.instance.textNode(ruleName));
        StringBuilder out = new StringBuilder();
        boolean inString = false;
        int i = 0;
        String t = inputTemplate;
        while (i < t.length()) {
            char c = t.charAt(i);
            if (c == '<') {
                Matcher m = PLACEHOLDER.matcher(t).region(i, t.length());
                if (m.lookingAt() && values.containsKey(m.group(1))) {
                    JsonNode v = values.get(m.group(1));
                    if (inString) {
                        String text = v == null || v.isNull() ? "" : v.isTextual() ? v.textValue() : v.toString();
                        String quoted = JsonNodeFactory.instance.textNode(text).toString();
                        out.append(quoted, 1, quoted.length() - 1);
                    } else {
                        out.append(v == null ? "null" : v.toString());
                    }
                    i = m.end();
                    continue;
                }
            }
            if (c == '"' && !escaped(t, i)) {
                inString = !inString;
            }
            out.append(c);
            i++;
        }
        try {
            return MAPPER.readTree(out.toString());
        } catch (JsonProcessingException e) {
            throw new ValidationException("InputTemplate", "does not produce JSON for this event: "
                    + e.getOriginalMessage() + " in " + out);
        }
    }

    private static boolean escaped(String s, int at) {
        int backslashes = 0;
        for (int j = at - 1; j >= 0 && s.charAt(j) == '\\'; j--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private static JsonNode read(JsonNode event, String path) {
        JsonNode cur = event;
        Matcher m = Pattern.compile("\\.([A-Za-z0-9_@-]+)|\\[([0-9]+)\\]").matcher(path);
        int from = 1;
        while (cur != null && m.find(from)) {
            cur = m.group(1) != null ? cur.get(m.group(1)) : cur.get(Integer.parseInt(m.group(2)));
            from = m.end();
            if (from >= path.length()) {
                break;
            }
        }
        return cur == null || cur.isMissingNode() ? null : cur;
    }
}
