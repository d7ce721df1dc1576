package io.modelcycle.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mermaid flowcharts of the workflows, generated from their ASL definitions, so the README's diagrams cannot drift
 * from {@code statemachines/}: a solid arrow is {@code Next} (or a Choice rule, labelled with its condition), a dotted
 * arrow a {@code Catch} (labelled with its errors); a task with a {@code Retry} says so. The README holds each
 * diagram between {@code <!-- workflow:NAME -->} and {@code <!-- /workflow:NAME -->}; {@code main} rewrites them:
 * <pre>java -cp "$(cat infrastructure/local/target/classpath.txt):infrastructure/local/target/classes" \
 *     io.modelcycle.local.runtime.WorkflowDiagrams README.md</pre>
 */
public final class WorkflowDiagrams {

    private static final Set<String> COMPARISONS = Set.of("StringEquals", "StringLessThan", "StringGreaterThan",
            "StringLessThanEquals", "StringGreaterThanEquals", "StringMatches", "NumericEquals", "NumericLessThan",
            "NumericGreaterThan", "NumericLessThanEquals", "NumericGreaterThanEquals", "BooleanEquals",
            "TimestampEquals", "TimestampLessThan", "TimestampGreaterThan", "TimestampLessThanEquals",
            "TimestampGreaterThanEquals", "IsPresent", "IsNull", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp");

    private WorkflowDiagrams() {
    }

    /** The flowchart of one definition (ASL JSON text), as a Mermaid code block's contents. */
    public static String mermaid(String definition) {
        JsonNode asl = Json.tree(definition);
        StringBuilder out = new StringBuilder("flowchart TD\n");
        Map<String, String> ids = new LinkedHashMap<>();
        for (Iterator<String> it = asl.get("States").fieldNames(); it.hasNext();) {
            String name = it.next();
            ids.put(name, "s" + ids.size());
        }
        out.append("  start((start)) --> ").append(ids.get(asl.get("StartAt").asText())).append('\n');
        for (Map.Entry<String, String> e : ids.entrySet()) {
            JsonNode state = asl.get("States").get(e.getKey());
            out.append("  ").append(e.getValue()).append(shape(e.getKey(), state)).append('\n');
        }
        for (Map.Entry<String, String> e : ids.entrySet()) {
            JsonNode state = asl.get("States").get(e.getKey());
            String id = e.getValue();
            if (state.has("Choices")) {
                for (JsonNode rule : state.get("Choices")) {
                    out.append("  ").append(id).append(" -->|").append(label(condition(rule))).append("| ")
                            .append(ids.get(rule.get("Next").asText())).append('\n');
                }
                if (state.has("Default")) {
                    out.append("  ").append(id).append(" -->|otherwise| ").append(ids.get(state.get("Default").asText()))
                            .append('\n');
                }
            }
            if (state.has("Next")) {
                out.append("  ").append(id).append(" --> ").append(ids.get(state.get("Next").asText())).append('\n');
            }
            if (state.path("End").asBoolean(false)) {
                out.append("  ").append(id).append(" --> done((end))\n");
            }
            for (JsonNode c : state.path("Catch")) {
                List<String> errors = new ArrayList<>();
                c.get("ErrorEquals").forEach(err -> errors.add(err.asText()));
                out.append("  ").append(id).append(" -.->|").append(label("catch " + String.join(", ", errors)))
                        .append("| ").append(ids.get(c.get("Next").asText())).append('\n');
            }
        }
        return out.toString();
    }

    private static String shape(String name, JsonNode state) {
        String type = state.get("Type").asText();
        String text = name;
        if (type.equals("Task")) {
            String resource = state.get("Resource").asText();
            String action = state.path("Parameters").path("Payload").path("action").asText(null);
            String what = action != null ? action
                    : resource.replaceFirst("^arn:aws:states:::", "").replaceFirst("\\$\\{.*}", "");
            text = name + "<br/>(" + what + (resource.endsWith(".waitForTaskToken") ? ", waits for a task token" : "")
                    + (state.has("Retry") ? ", retried" : "") + ")";
        } else if (type.equals("Wait")) {
            text = name + "<br/>(wait " + (state.has("SecondsPath") ? state.get("SecondsPath").asText()
                    : state.has("Seconds") ? state.get("Seconds").asText() + " s" : "until timestamp") + ")";
        }
        String q = quote(text);
        return switch (type) {
            case "Choice" -> "{" + q + "}";
            case "Succeed" -> "([" + q + "])";
            case "Fail" -> "[[" + q + "]]";
            case "Wait" -> "[/" + q + "/]";
            case "Pass" -> "(" + q + ")";
            default -> "[" + q + "]";
        };
    }

    private static String condition(JsonNode rule) {
        if (rule.has("And") || rule.has("Or")) {
            String op = rule.has("And") ? " and " : " or ";
            List<String> parts = new ArrayList<>();
            rule.get(rule.has("And") ? "And" : "Or").forEach(r -> parts.add(condition(r)));
            return String.join(op, parts);
        }
        if (rule.has("Not")) {
            return "not " + condition(rule.get("Not"));
        }
        String variable = rule.get("Variable").asText();
        String field = variable.substring(variable.lastIndexOf('.') + 1);
        for (Iterator<String> it = rule.fieldNames(); it.hasNext();) {
            String op = it.next();
            String base = op.endsWith("Path") ? op.substring(0, op.length() - 4) : op;
            if (COMPARISONS.contains(base)) {
                JsonNode v = rule.get(op);
                if (base.startsWith("Is")) {
                    String what = base.substring(2).toLowerCase();
                    return field + (v.asBoolean() ? " is " : " is not ") + (what.equals("present") ? "present" : what);
                }
                String symbol = base.endsWith("GreaterThanEquals") ? ">=" : base.endsWith("LessThanEquals") ? "<="
                        : base.endsWith("GreaterThan") ? ">" : base.endsWith("LessThan") ? "<"
                        : base.endsWith("Matches") ? "matches" : "=";
                return field + " " + symbol + " " + (v.isTextual() ? v.asText() : v.toString());
            }
        }
        return field;
    }

    private static String quote(String text) {
        return "\"" + text.replace("\"", "#quot;") + "\"";
    }

    private static String label(String text) {
        return quote(text.replace("|", "/"));
    }

    /**
     * Replaces each {@code <!-- workflow:NAME -->...<!-- /workflow:NAME -->} block of {@code readme} with the
     * diagram of {@code statemachines/NAME.asl.json} in a Mermaid code block.
     */
    public static String updateReadme(String readme, Path stateMachines) {
        Matcher m = Pattern.compile("(<!-- workflow:([a-z-]+) -->\\n)(.*?)(<!-- /workflow:\\2 -->)", Pattern.DOTALL)
                .matcher(readme);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String diagram = "```mermaid\n" + mermaid(Workflows.definition(m.group(2), stateMachines)) + "```\n";
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + diagram + m.group(4)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Rewrites the diagrams of the README given as the first argument (default {@code README.md}). */
    public static void main(String[] args) {
        Path readme = Path.of(args.length > 0 ? args[0] : "README.md");
        try {
            String before = Files.readString(readme, StandardCharsets.UTF_8);
            String after = updateReadme(before, readme.toAbsolutePath().getParent().resolve("statemachines"));
            if (!after.equals(before)) {
                Files.writeString(readme, after, StandardCharsets.UTF_8);
                System.out.println("updated the workflow diagrams of " + readme);
            } else {
                System.out.println("the workflow diagrams of " + readme + " are up to date");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
