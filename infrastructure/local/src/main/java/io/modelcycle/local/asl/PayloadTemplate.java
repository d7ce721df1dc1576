package io.modelcycle.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compiled payload template ({@code Parameters}, {@code ItemSelector}, {@code ResultSelector}): a JSON value in
 * which every object key ending in {@code .$} takes its value from a path or an intrinsic function call, and loses
 * the {@code .$} suffix.
 */
public final class PayloadTemplate {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Node root;

    private PayloadTemplate(Node root) {
        this.root = root;
    }

    /**
     * Compiles a template.
     *
     * @param problems receives one line per malformed entry, prefixed by {@code where}
     */
    static PayloadTemplate compile(JsonNode template, String where, List<String> problems) {
        return new PayloadTemplate(node(template, where, problems));
    }

    /**
     * Compiles a single path or intrinsic call used as a value (Fail's {@code ErrorPath}, {@code CausePath}).
     */
    static PayloadTemplate expression(String text, String where, List<String> problems) {
        try {
            if (Intrinsic.looksLikeCall(text)) {
                return new PayloadTemplate(new IntrinsicValue(Intrinsic.compile(text)));
            }
            JsonPath path = JsonPath.compile(text);
            if (!path.isReferencePath()) {
                problems.add(where + ": must be a reference path or an intrinsic function call but was '" + text + "'");
            }
            return new PayloadTemplate(new PathValue(where, path));
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + e.getMessage());
            return null;
        }
    }

    /** Produces the payload. */
    public JsonNode apply(Scope scope) {
        return root.eval(scope);
    }

    private interface Node {
        JsonNode eval(Scope scope);
    }

    private record Constant(JsonNode value) implements Node {
        @Override
        public JsonNode eval(Scope scope) {
            return value.deepCopy();
        }
    }

    private record Field(String key, Node value) {
    }

    private record ObjectTemplate(List<Field> fields) implements Node {
        @Override
        public JsonNode eval(Scope scope) {
            ObjectNode out = NODES.objectNode();
            for (Field f : fields) {
                out.set(f.key, f.value.eval(scope));
            }
            return out;
        }
    }

    private record ArrayTemplate(List<Node> items) implements Node {
        @Override
        public JsonNode eval(Scope scope) {
            ArrayNode out = NODES.arrayNode();
            for (Node n : items) {
                out.add(n.eval(scope));
            }
            return out;
        }
    }

    private record PathValue(String key, JsonPath path) implements Node {
        @Override
        public JsonNode eval(Scope scope) {
            JsonNode found = path.find(scope.input(), scope.context());
            if (found == null) {
                throw StatesError.runtime("The JSONPath '" + path + "' specified for the field '" + key
                        + ".$' could not be found in the " + (path.isContext() ? "context object" : "input '"
                        + JsonPath.abbreviate(scope.input()) + "'"));
            }
            return found.deepCopy();
        }
    }

    private record IntrinsicValue(Intrinsic intrinsic) implements Node {
        @Override
        public JsonNode eval(Scope scope) {
            return intrinsic.evaluate(scope).deepCopy();
        }
    }

    private static Node node(JsonNode template, String where, List<String> problems) {
        if (template.isObject()) {
            List<Field> fields = new ArrayList<>();
            Set<String> keys = new HashSet<>();
            boolean dynamic = false;
            for (Map.Entry<String, JsonNode> entry : template.properties()) {
                String key = entry.getKey();
                JsonNode value = entry.getValue();
                if (key.endsWith(".$")) {
                    dynamic = true;
                    String name = key.substring(0, key.length() - 2);
                    if (!keys.add(name)) {
                        problems.add(where + ": key '" + key + "' and key '" + name + "' both produce '" + name + "'");
                    }
                    if (!value.isTextual()) {
                        problems.add(where + ": the value of '" + key + "' must be a path or an intrinsic function"
                                + " call (a string) but was " + value);
                        continue;
                    }
                    String text = value.textValue();
                    try {
                        if (Intrinsic.looksLikeCall(text)) {
                            fields.add(new Field(name, new IntrinsicValue(Intrinsic.compile(text))));
                        } else {
                            fields.add(new Field(name, new PathValue(name, JsonPath.compile(text))));
                        }
                    } catch (IllegalArgumentException e) {
                        problems.add(where + ": the value of '" + key + "' is invalid: " + e.getMessage());
                    }
                } else {
                    if (!keys.add(key)) {
                        problems.add(where + ": key '" + key + "' and key '" + key + ".$' both produce '" + key + "'");
                    }
                    Node child = node(value, where, problems);
                    dynamic |= !(child instanceof Constant);
                    fields.add(new Field(key, child));
                }
            }
            return dynamic ? new ObjectTemplate(List.copyOf(fields)) : new Constant(template);
        }
        if (template.isArray()) {
            List<Node> items = new ArrayList<>();
            boolean dynamic = false;
            for (JsonNode item : template) {
                Node child = node(item, where, problems);
                dynamic |= !(child instanceof Constant);
                items.add(child);
            }
            return dynamic ? new ArrayTemplate(List.copyOf(items)) : new Constant(template);
        }
        return new Constant(template);
    }
}
