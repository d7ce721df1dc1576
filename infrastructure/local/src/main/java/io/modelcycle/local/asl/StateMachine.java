package io.modelcycle.local.asl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed and validated Amazon States Language definition (JSONPath query language). Loading checks everything
 * that can be checked before running: unknown state types and fields, {@code Next}/{@code End}, unreachable
 * states, targets that name no state, malformed paths, payload templates, intrinsic calls, choice rules, retriers
 * and catchers. Fields that Step Functions knows but this executor does not run (JSONata, variables, distributed
 * Map readers and writers, Credentials) are refused by name rather than ignored.
 */
public final class StateMachine {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** A set of states with a start: the machine itself, a Parallel branch, or a Map item processor. */
    static final class Graph {
        final String startAt;
        final Map<String, State> states;

        Graph(String startAt, Map<String, State> states) {
            this.startAt = startAt;
            this.states = states;
        }

        State state(String name) {
            return states.get(name);
        }
    }

    private final String definition;
    private final Graph graph;
    private final Integer timeoutSeconds;
    private final String comment;

    private StateMachine(String definition, Graph graph, Integer timeoutSeconds, String comment) {
        this.definition = definition;
        this.graph = graph;
        this.timeoutSeconds = timeoutSeconds;
        this.comment = comment;
    }

    /**
     * Parses and validates a definition.
     *
     * @throws AslDefinitionException listing every problem, each naming its state and field
     */
    public static StateMachine parse(String definition) {
        JsonNode root;
        try {
            root = MAPPER.readTree(definition);
        } catch (JsonProcessingException e) {
            throw new AslDefinitionException(List.of("the definition is not valid JSON: " + e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new AslDefinitionException(List.of("the definition must be a JSON object"));
        }
        List<String> problems = new ArrayList<>();
        Loader loader = new Loader(problems);
        loader.fields(root, "the state machine", Set.of("StartAt", "States", "Comment", "Version", "TimeoutSeconds",
                "QueryLanguage"));
        Integer timeout = loader.positiveInt(root, "TimeoutSeconds", "the state machine");
        Graph graph = loader.graph(root, "");
        if (!problems.isEmpty()) {
            throw new AslDefinitionException(problems);
        }
        return new StateMachine(definition, graph, timeout, root.path("Comment").asText(null));
    }

    /** The definition text as loaded. */
    public String definition() {
        return definition;
    }

    /** The machine-level {@code TimeoutSeconds}, or null. */
    public Integer timeoutSeconds() {
        return timeoutSeconds;
    }

    /** The top-level comment, or null. */
    public String comment() {
        return comment;
    }

    Graph graph() {
        return graph;
    }

    // ----------------------------------------------------------------------------------------------------------

    private static final Set<String> COMMON = Set.of("Type", "Comment", "QueryLanguage");
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "Pass", Set.of("Next", "End", "InputPath", "OutputPath", "Parameters", "ResultPath", "Result"),
            "Task", Set.of("Next", "End", "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath",
                    "Resource", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath",
                    "Retry", "Catch"),
            "Choice", Set.of("InputPath", "OutputPath", "Choices", "Default"),
            "Wait", Set.of("Next", "End", "InputPath", "OutputPath", "Seconds", "Timestamp", "SecondsPath",
                    "TimestampPath"),
            "Succeed", Set.of("InputPath", "OutputPath"),
            "Fail", Set.of("Error", "Cause", "ErrorPath", "CausePath"),
            "Parallel", Set.of("Next", "End", "InputPath", "OutputPath", "Parameters", "ResultSelector",
                    "ResultPath", "Branches", "Retry", "Catch"),
            "Map", Set.of("Next", "End", "InputPath", "OutputPath", "ItemsPath", "ItemSelector", "Parameters",
                    "ItemProcessor", "Iterator", "MaxConcurrency", "MaxConcurrencyPath", "ResultSelector",
                    "ResultPath", "Retry", "Catch", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath",
                    "ToleratedFailureCount", "ToleratedFailureCountPath"));
    /** Fields Step Functions accepts that this executor does not implement: refused by name. */
    private static final Map<String, String> UNSUPPORTED = Map.of(
            "Arguments", "JSONata states", "Output", "JSONata states", "Assign", "workflow variables",
            "Credentials", "cross-account task credentials", "ItemReader", "distributed Map",
            "ResultWriter", "distributed Map", "ItemBatcher", "distributed Map", "Label", "distributed Map");

    private static final class Loader {
        final List<String> problems;

        Loader(List<String> problems) {
            this.problems = problems;
        }

        void problem(String where, String what) {
            problems.add(where + ": " + what);
        }

        void fields(JsonNode node, String where, Set<String> allowed) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                String field = it.next();
                if (allowed.contains(field)) {
                    if (field.equals("QueryLanguage") && !"JSONPath".equals(node.get(field).asText())) {
                        problem(where + " field 'QueryLanguage'", "only JSONPath is supported by the local"
                                + " executor, not " + node.get(field));
                    }
                } else if (UNSUPPORTED.containsKey(field)) {
                    problem(where + " field '" + field + "'", "is not supported by the local executor ("
                            + UNSUPPORTED.get(field) + ")");
                } else {
                    problem(where, "unknown field '" + field + "'");
                }
            }
        }

        Graph graph(JsonNode node, String prefix) {
            JsonNode startAt = node.get("StartAt");
            JsonNode states = node.get("States");
            String where = prefix.isEmpty() ? "the state machine" : prefix;
            if (startAt == null || !startAt.isTextual()) {
                problem(where + " field 'StartAt'", "is required and must be a state name");
            }
            if (states == null || !states.isObject() || states.isEmpty()) {
                problem(where + " field 'States'", "is required and must be a non-empty object");
                return new Graph(startAt == null ? "" : startAt.asText(), Map.of());
            }
            Map<String, State> compiled = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : states.properties()) {
                State state = state(entry.getKey(), entry.getValue(), prefix);
                if (state != null) {
                    compiled.put(entry.getKey(), state);
                }
            }
            Set<String> names = new LinkedHashSet<>();
            states.fieldNames().forEachRemaining(names::add);
            if (startAt != null && startAt.isTextual() && !names.contains(startAt.textValue())) {
                problem(where + " field 'StartAt'", "no state named '" + startAt.textValue() + "'");
            }
            // targets and reachability
            Map<String, List<String>> edges = new HashMap<>();
            for (State s : compiled.values()) {
                List<String> targets = new ArrayList<>();
                String at = at(prefix, s.name);
                if (s.next != null) {
                    targets.add(s.next);
                    check(names, s.next, at + " field 'Next'");
                }
                if (s.choices != null) {
                    for (int i = 0; i < s.choices.size(); i++) {
                        targets.add(s.choices.get(i).next());
                        check(names, s.choices.get(i).next(), at + " field 'Choices[" + i + "].Next'");
                    }
                }
                if (s.defaultNext != null) {
                    targets.add(s.defaultNext);
                    check(names, s.defaultNext, at + " field 'Default'");
                }
                for (int i = 0; i < s.catchers.size(); i++) {
                    targets.add(s.catchers.get(i).next());
                    check(names, s.catchers.get(i).next(), at + " field 'Catch[" + i + "].Next'");
                }
                targets.removeIf(java.util.Objects::isNull);
                edges.put(s.name, targets);
            }
            if (startAt != null && compiled.containsKey(startAt.asText())) {
                Set<String> seen = new LinkedHashSet<>();
                Deque<String> todo = new ArrayDeque<>(List.of(startAt.asText()));
                while (!todo.isEmpty()) {
                    String n = todo.pop();
                    if (seen.add(n)) {
                        todo.addAll(edges.getOrDefault(n, List.of()));
                    }
                }
                for (String n : compiled.keySet()) {
                    if (!seen.contains(n)) {
                        problem(at(prefix, n), "is unreachable from StartAt '" + startAt.asText() + "'");
                    }
                }
            }
            return new Graph(startAt == null ? "" : startAt.asText(), Map.copyOf(compiled));
        }

        private void check(Set<String> names, String target, String where) {
            if (target != null && !names.contains(target)) {
                problem(where, "no state named '" + target + "'");
            }
        }

        private static String at(String prefix, String name) {
            return (prefix.isEmpty() ? "" : prefix + " > ") + "state '" + name + "'";
        }

        State state(String name, JsonNode node, String prefix) {
            String at = at(prefix, name);
            if (!node.isObject()) {
                problem(at, "must be an object");
                return null;
            }
            if (name.isEmpty() || name.length() > 80) {
                problem(at, "a state name must have 1 to 80 characters");
            }
            String type = node.path("Type").asText("");
            Set<String> allowed = FIELDS.get(type);
            if (allowed == null) {
                problem(at + " field 'Type'", node.has("Type") ? "unknown state type " + node.get("Type")
                        + "; expected one of Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map" : "is required");
                return null;
            }
            Set<String> all = new java.util.HashSet<>(allowed);
            all.addAll(COMMON);
            fields(node, at, all);
            State s = new State();
            s.name = name;
            s.type = State.Type.valueOf(type);

            // transitions
            if (allowed.contains("Next")) {
                JsonNode next = node.get("Next");
                JsonNode end = node.get("End");
                if (next != null && !next.isTextual()) {
                    problem(at + " field 'Next'", "must be a state name");
                }
                if (end != null && !end.isBoolean()) {
                    problem(at + " field 'End'", "must be true or false");
                }
                boolean isEnd = end != null && end.asBoolean();
                if (next != null && isEnd) {
                    problem(at, "has both 'Next' and 'End'; a state has exactly one");
                } else if (next == null && !isEnd) {
                    problem(at, "has neither 'Next' nor 'End: true'; a " + type + " state needs one");
                }
                s.next = next != null && next.isTextual() ? next.textValue() : null;
                s.end = isEnd;
            }
            if (allowed.contains("InputPath")) {
                s.inputPath = output(node, "InputPath", at, false);
                s.outputPath = output(node, "OutputPath", at, false);
            }
            if (allowed.contains("ResultPath")) {
                s.resultPath = output(node, "ResultPath", at, true);
            }
            if (allowed.contains("Parameters") && node.has("Parameters")) {
                s.parameters = PayloadTemplate.compile(node.get("Parameters"), at + " field 'Parameters'", problems);
            }
            if (allowed.contains("ResultSelector") && node.has("ResultSelector")) {
                if (!node.get("ResultSelector").isObject()) {
                    problem(at + " field 'ResultSelector'", "must be an object");
                }
                s.resultSelector = PayloadTemplate.compile(node.get("ResultSelector"),
                        at + " field 'ResultSelector'", problems);
            }
            if (allowed.contains("Retry")) {
                s.retry = retriers(node.get("Retry"), at);
                s.catchers = catchers(node.get("Catch"), at);
            }
            switch (s.type) {
                case Pass -> s.result = node.get("Result");
                case Task -> task(s, node, at);
                case Choice -> choice(s, node, at);
                case Wait -> waitState(s, node, at);
                case Fail -> fail(s, node, at);
                case Parallel -> parallel(s, node, at, prefix);
                case Map -> map(s, node, at, prefix);
                case Succeed -> {
                }
            }
            return s;
        }

        private void task(State s, JsonNode node, String at) {
            JsonNode resource = node.get("Resource");
            if (resource == null || !resource.isTextual() || resource.textValue().isBlank()) {
                problem(at + " field 'Resource'", "is required and must be a non-empty string");
            } else {
                s.resource = resource.textValue();
            }
            s.timeoutSeconds = positiveInt(node, "TimeoutSeconds", at);
            s.timeoutSecondsPath = referencePath(node, "TimeoutSecondsPath", at);
            s.heartbeatSeconds = positiveInt(node, "HeartbeatSeconds", at);
            s.heartbeatSecondsPath = referencePath(node, "HeartbeatSecondsPath", at);
            exclusive(node, at, "TimeoutSeconds", "TimeoutSecondsPath");
            exclusive(node, at, "HeartbeatSeconds", "HeartbeatSecondsPath");
            if (s.timeoutSeconds != null && s.heartbeatSeconds != null && s.heartbeatSeconds >= s.timeoutSeconds) {
                problem(at + " field 'HeartbeatSeconds'", "must be smaller than TimeoutSeconds ("
                        + s.timeoutSeconds + ")");
            }
            if (s.resource != null && s.resource.startsWith("arn:aws:states:::lambda:invoke")
                    && (s.parameters == null || !(node.path("Parameters").has("FunctionName")
                    || node.path("Parameters").has("FunctionName.$")))) {
                problem(at + " field 'Parameters'", "arn:aws:states:::lambda:invoke needs Parameters.FunctionName");
            }
        }

        private void choice(State s, JsonNode node, String at) {
            JsonNode choices = node.get("Choices");
            if (choices == null || !choices.isArray() || choices.isEmpty()) {
                problem(at + " field 'Choices'", "is required and must be a non-empty array");
                s.choices = List.of();
            } else {
                List<Choice.Branch> branches = new ArrayList<>();
                for (int i = 0; i < choices.size(); i++) {
                    Choice rule = Choice.compile(choices.get(i), at + " field 'Choices[" + i + "]'", true, problems);
                    branches.add(new Choice.Branch(rule, choices.get(i).path("Next").asText(null)));
                }
                s.choices = List.copyOf(branches);
            }
            if (node.has("Default")) {
                if (!node.get("Default").isTextual()) {
                    problem(at + " field 'Default'", "must be a state name");
                } else {
                    s.defaultNext = node.get("Default").textValue();
                }
            }
        }

        private void waitState(State s, JsonNode node, String at) {
            int count = 0;
            for (String f : List.of("Seconds", "Timestamp", "SecondsPath", "TimestampPath")) {
                count += node.has(f) ? 1 : 0;
            }
            if (count != 1) {
                problem(at, "a Wait state needs exactly one of Seconds, Timestamp, SecondsPath, TimestampPath");
            }
            if (node.has("Seconds")) {
                JsonNode v = node.get("Seconds");
                if (!v.canConvertToExactIntegral() || v.asLong() < 0 || !v.isNumber()) {
                    problem(at + " field 'Seconds'", "must be a non-negative integer but was " + v);
                } else {
                    s.seconds = v.asLong();
                }
            }
            if (node.has("Timestamp")) {
                s.timestamp = Choice.timestamp(node.get("Timestamp"));
                if (s.timestamp == null) {
                    problem(at + " field 'Timestamp'", "must be an RFC 3339 timestamp such as 2016-03-14T01:59:00Z"
                            + " but was " + node.get("Timestamp"));
                }
            }
            s.secondsPath = referencePath(node, "SecondsPath", at);
            s.timestampPath = referencePath(node, "TimestampPath", at);
        }

        private void fail(State s, JsonNode node, String at) {
            exclusive(node, at, "Error", "ErrorPath");
            exclusive(node, at, "Cause", "CausePath");
            s.error = text(node, "Error", at);
            s.cause = text(node, "Cause", at);
            String errorPath = text(node, "ErrorPath", at);
            String causePath = text(node, "CausePath", at);
            if (errorPath != null) {
                s.errorPath = PayloadTemplate.expression(errorPath, at + " field 'ErrorPath'", problems);
            }
            if (causePath != null) {
                s.causePath = PayloadTemplate.expression(causePath, at + " field 'CausePath'", problems);
            }
        }

        private void parallel(State s, JsonNode node, String at, String prefix) {
            JsonNode branches = node.get("Branches");
            if (branches == null || !branches.isArray() || branches.isEmpty()) {
                problem(at + " field 'Branches'", "is required and must be a non-empty array");
                s.branches = List.of();
                return;
            }
            List<Graph> graphs = new ArrayList<>();
            for (int i = 0; i < branches.size(); i++) {
                JsonNode b = branches.get(i);
                String where = at + " > Branches[" + i + "]";
                if (!b.isObject()) {
                    problem(where, "must be an object with StartAt and States");
                    continue;
                }
                fields(b, where, Set.of("StartAt", "States", "Comment", "QueryLanguage"));
                graphs.add(graph(b, where));
            }
            s.branches = List.copyOf(graphs);
        }

        private void map(State s, JsonNode node, String at, String prefix) {
            exclusive(node, at, "ItemProcessor", "Iterator");
            exclusive(node, at, "ItemSelector", "Parameters");
            exclusive(node, at, "MaxConcurrency", "MaxConcurrencyPath");
            exclusive(node, at, "ToleratedFailurePercentage", "ToleratedFailurePercentagePath");
            exclusive(node, at, "ToleratedFailureCount", "ToleratedFailureCountPath");
            String processorField = node.has("ItemProcessor") ? "ItemProcessor" : "Iterator";
            JsonNode processor = node.get(processorField);
            String where = at + " > " + processorField;
            if (processor == null || !processor.isObject()) {
                problem(at + " field 'ItemProcessor'", "is required and must be an object with StartAt and States");
            } else {
                fields(processor, where, Set.of("StartAt", "States", "Comment", "ProcessorConfig", "QueryLanguage"));
                JsonNode config = processor.get("ProcessorConfig");
                if (config != null) {
                    if (!config.isObject()) {
                        problem(where + " field 'ProcessorConfig'", "must be an object");
                    } else {
                        fields(config, where + " field 'ProcessorConfig'", Set.of("Mode", "ExecutionType"));
                        String mode = config.path("Mode").asText("INLINE");
                        if (!mode.equals("INLINE")) {
                            problem(where + " field 'ProcessorConfig.Mode'", "only INLINE is supported by the local"
                                    + " executor, not " + config.get("Mode"));
                        }
                    }
                }
                s.processor = graph(processor, where);
            }
            s.itemsPath = path(node, "ItemsPath", at);
            JsonNode selector = node.has("ItemSelector") ? node.get("ItemSelector") : null;
            if (selector != null) {
                s.itemSelector = PayloadTemplate.compile(selector, at + " field 'ItemSelector'", problems);
            } else if (s.parameters != null) {
                // Parameters on a Map is the older spelling of ItemSelector: it builds each item's input.
                s.itemSelector = s.parameters;
                s.parameters = null;
            }
            if (node.has("MaxConcurrency")) {
                JsonNode v = node.get("MaxConcurrency");
                if (!v.isIntegralNumber() || v.asInt() < 0) {
                    problem(at + " field 'MaxConcurrency'", "must be a non-negative integer but was " + v);
                } else {
                    s.maxConcurrency = v.asInt();
                }
            }
            s.maxConcurrencyPath = referencePath(node, "MaxConcurrencyPath", at);
            if (node.has("ToleratedFailurePercentage")) {
                JsonNode v = node.get("ToleratedFailurePercentage");
                if (!v.isNumber() || v.asDouble() < 0 || v.asDouble() > 100) {
                    problem(at + " field 'ToleratedFailurePercentage'", "must be a number from 0 to 100 but was " + v);
                } else {
                    s.toleratedFailurePercentage = v.asDouble();
                }
            }
            s.toleratedFailurePercentagePath = referencePath(node, "ToleratedFailurePercentagePath", at);
            if (node.has("ToleratedFailureCount")) {
                JsonNode v = node.get("ToleratedFailureCount");
                if (!v.isIntegralNumber() || v.asInt() < 0) {
                    problem(at + " field 'ToleratedFailureCount'", "must be a non-negative integer but was " + v);
                } else {
                    s.toleratedFailureCount = v.asInt();
                }
            }
            s.toleratedFailureCountPath = referencePath(node, "ToleratedFailureCountPath", at);
        }

        private List<State.Retrier> retriers(JsonNode node, String at) {
            if (node == null) {
                return List.of();
            }
            if (!node.isArray()) {
                problem(at + " field 'Retry'", "must be an array of retriers");
                return List.of();
            }
            List<State.Retrier> out = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                JsonNode r = node.get(i);
                String where = at + " field 'Retry[" + i + "]'";
                if (!r.isObject()) {
                    problem(where, "must be an object");
                    continue;
                }
                fields(r, where, Set.of("ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate",
                        "MaxDelaySeconds", "JitterStrategy", "Comment"));
                List<String> errors = errorEquals(r, where, i == node.size() - 1);
                double interval = 1;
                if (r.has("IntervalSeconds")) {
                    JsonNode v = r.get("IntervalSeconds");
                    if (!v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > 99_999_999) {
                        problem(where + ".IntervalSeconds", "must be a positive integer but was " + v);
                    }
                    interval = v.asDouble(1);
                }
                int maxAttempts = 3;
                if (r.has("MaxAttempts")) {
                    JsonNode v = r.get("MaxAttempts");
                    if (!v.isIntegralNumber() || v.asInt() < 0 || v.asLong() > 99_999_999) {
                        problem(where + ".MaxAttempts", "must be a non-negative integer but was " + v);
                    }
                    maxAttempts = v.asInt(3);
                }
                double backoff = 2.0;
                if (r.has("BackoffRate")) {
                    JsonNode v = r.get("BackoffRate");
                    if (!v.isNumber() || v.asDouble() < 1.0) {
                        problem(where + ".BackoffRate", "must be a number of at least 1.0 but was " + v);
                    }
                    backoff = v.asDouble(2.0);
                }
                Double maxDelay = null;
                if (r.has("MaxDelaySeconds")) {
                    JsonNode v = r.get("MaxDelaySeconds");
                    if (!v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > 31_622_400) {
                        problem(where + ".MaxDelaySeconds", "must be a positive integer (at most 31622400) but was "
                                + v);
                    }
                    maxDelay = v.asDouble();
                }
                boolean jitter = false;
                if (r.has("JitterStrategy")) {
                    String j = r.get("JitterStrategy").asText();
                    if (!j.equals("FULL") && !j.equals("NONE")) {
                        problem(where + ".JitterStrategy", "must be FULL or NONE but was " + r.get("JitterStrategy"));
                    }
                    jitter = j.equals("FULL");
                }
                out.add(new State.Retrier(errors, interval, maxAttempts, backoff, maxDelay, jitter));
            }
            return List.copyOf(out);
        }

        private List<State.Catcher> catchers(JsonNode node, String at) {
            if (node == null) {
                return List.of();
            }
            if (!node.isArray()) {
                problem(at + " field 'Catch'", "must be an array of catchers");
                return List.of();
            }
            List<State.Catcher> out = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                JsonNode c = node.get(i);
                String where = at + " field 'Catch[" + i + "]'";
                if (!c.isObject()) {
                    problem(where, "must be an object");
                    continue;
                }
                fields(c, where, Set.of("ErrorEquals", "ResultPath", "Next", "Comment"));
                List<String> errors = errorEquals(c, where, i == node.size() - 1);
                State.Output resultPath = output(c, "ResultPath", where, true);
                String next = c.path("Next").asText(null);
                if (next == null || !c.get("Next").isTextual()) {
                    problem(where + ".Next", "is required and must be a state name");
                }
                out.add(new State.Catcher(errors, resultPath, next));
            }
            return List.copyOf(out);
        }

        private List<String> errorEquals(JsonNode node, String where, boolean last) {
            JsonNode errors = node.get("ErrorEquals");
            if (errors == null || !errors.isArray() || errors.isEmpty()) {
                problem(where + ".ErrorEquals", "is required and must be a non-empty array of error names");
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (JsonNode e : errors) {
                if (!e.isTextual() || e.textValue().isEmpty()) {
                    problem(where + ".ErrorEquals", "error names must be non-empty strings but found " + e);
                } else {
                    out.add(e.textValue());
                }
            }
            if (out.contains(StatesError.ALL) && (out.size() > 1 || !last)) {
                problem(where + ".ErrorEquals", "States.ALL must appear alone, in the last retrier or catcher");
            }
            return List.copyOf(out);
        }

        private State.Output output(JsonNode node, String field, String at, boolean reference) {
            if (!node.has(field)) {
                return State.Output.ROOT;
            }
            JsonNode v = node.get(field);
            if (v.isNull()) {
                return State.Output.DISCARD;
            }
            JsonPath p = path(node, field, at);
            if (p != null && reference && (!p.isReferencePath() || p.isContext())) {
                problem(at + " field '" + field + "'", "must be a reference path on the input ($ followed by names"
                        + " and indexes only) but was '" + v.asText() + "'");
            }
            return p == null ? State.Output.ROOT : new State.Output(p);
        }

        private JsonPath path(JsonNode node, String field, String at) {
            JsonNode v = node.get(field);
            if (v == null) {
                return null;
            }
            if (!v.isTextual()) {
                problem(at + " field '" + field + "'", "must be a path string but was " + v);
                return null;
            }
            try {
                return JsonPath.compile(v.textValue());
            } catch (IllegalArgumentException e) {
                problem(at + " field '" + field + "'", e.getMessage());
                return null;
            }
        }

        private JsonPath referencePath(JsonNode node, String field, String at) {
            JsonPath p = path(node, field, at);
            if (p != null && !p.isReferencePath()) {
                problem(at + " field '" + field + "'", "must be a reference path (names and indexes only) but was '"
                        + p + "'");
            }
            return p;
        }

        Integer positiveInt(JsonNode node, String field, String at) {
            JsonNode v = node.get(field);
            if (v == null) {
                return null;
            }
            if (!v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > 99_999_999) {
                problem(at + " field '" + field + "'", "must be a positive integer but was " + v);
                return null;
            }
            return v.asInt();
        }

        private String text(JsonNode node, String field, String at) {
            JsonNode v = node.get(field);
            if (v == null) {
                return null;
            }
            if (!v.isTextual()) {
                problem(at + " field '" + field + "'", "must be a string but was " + v);
                return null;
            }
            return v.textValue();
        }

        private void exclusive(JsonNode node, String at, String a, String b) {
            if (node.has(a) && node.has(b)) {
                problem(at, "has both '" + a + "' and '" + b + "'; use one");
            }
        }
    }
}
