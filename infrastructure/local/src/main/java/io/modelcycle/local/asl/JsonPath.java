package io.modelcycle.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A compiled JSONPath, as the States Language uses them (the Jayway dialect that Step Functions runs):
 * {@code $} (the effective input) or {@code $$} (the context object), then any of {@code .name}, {@code ['name']},
 * {@code ['a','b']}, {@code [n]} (negative counts from the end), {@code [n,m]}, {@code [start:end:step]},
 * {@code .*} / {@code [*]}, {@code ..name} (deep scan) and filters {@code [?(@.price < 10 && @.tag == 'x')]}.
 *
 * <p>A <em>definite</em> path (names and single indexes only) selects one node, and a missing node is an error at
 * the call site; an indefinite one (wildcards, slices, unions, filters, deep scan) always yields a JSON array of its
 * matches, possibly empty, as Jayway does. A <em>reference path</em> is a definite path, which is what
 * {@code ResultPath} and Choice {@code Variable} require.
 */
public final class JsonPath {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String text;
    private final boolean context;
    private final List<Segment> segments;

    private JsonPath(String text, boolean context, List<Segment> segments) {
        this.text = text;
        this.context = context;
        this.segments = List.copyOf(segments);
    }

    /**
     * Compiles a path.
     *
     * @throws IllegalArgumentException naming the position and what was expected, when the text is not a path
     */
    public static JsonPath compile(String text) {
        if (text == null || text.isEmpty() || text.charAt(0) != '$') {
            throw new IllegalArgumentException("a path must start with '$' but was '" + text + "'");
        }
        Parser parser = new Parser(text);
        boolean context = text.startsWith("$$");
        parser.pos = context ? 2 : 1;
        List<Segment> segments = parser.segments(false);
        if (parser.pos != text.length()) {
            throw parser.error("unexpected '" + text.charAt(parser.pos) + "'");
        }
        return new JsonPath(text, context, segments);
    }

    /** True when the path reads the context object ({@code $$}). */
    public boolean isContext() {
        return context;
    }

    /** True when the path can select at most one node: only names and single non-negative indexes. */
    public boolean isDefinite() {
        for (Segment s : segments) {
            if (!(s instanceof Name) && !(s instanceof Index)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A reference path in the specification's sense: names and non-negative indexes only, so that it names exactly
     * one node (no {@code @ , : ? *}).
     */
    public boolean isReferencePath() {
        for (Segment s : segments) {
            if (!(s instanceof Name) && !(s instanceof Index i && i.index >= 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads the path: a definite path returns the node or {@code null} when absent; an indefinite path returns an
     * array of every match.
     */
    public JsonNode find(JsonNode input, JsonNode contextObject) {
        JsonNode root = context ? contextObject : input;
        List<JsonNode> current = new ArrayList<>();
        if (root != null && !root.isMissingNode()) {
            current.add(root);
        }
        for (Segment segment : segments) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode node : current) {
                segment.select(node, root, next);
            }
            current = next;
        }
        if (isDefinite()) {
            return current.isEmpty() ? null : current.get(0);
        }
        ArrayNode result = NODES.arrayNode();
        current.forEach(result::add);
        return result;
    }

    /**
     * Reads the path, failing with {@code States.Runtime} when a definite path selects nothing.
     *
     * @param where what the path was used for, for the error's cause (for example "InputPath")
     */
    public JsonNode read(JsonNode input, JsonNode contextObject, String where) {
        JsonNode found = find(input, contextObject);
        if (found == null) {
            throw StatesError.runtime("Invalid path '" + text + "' for " + where + ": no results for path "
                    + normalized() + " in " + (context ? "the context object" : "the input '" + abbreviate(input) + "'"));
        }
        return found;
    }

    /**
     * Writes {@code value} at this reference path inside a copy of {@code input}, creating missing objects on the
     * way, as {@code ResultPath} does.
     *
     * @throws StatesError {@code States.ResultPathMatchFailure} when the input's shape does not admit the path
     */
    public JsonNode set(JsonNode input, JsonNode value) {
        if (segments.isEmpty()) {
            return value;
        }
        if (input == null || !input.isContainerNode()) {
            throw resultPathFailure(input);
        }
        JsonNode copy = input.deepCopy();
        JsonNode current = copy;
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            boolean last = i == segments.size() - 1;
            if (segment instanceof Name name) {
                if (!(current instanceof ObjectNode object)) {
                    throw resultPathFailure(input);
                }
                if (last) {
                    object.set(name.name, value);
                } else {
                    JsonNode child = object.get(name.name);
                    if (child == null || child.isNull()) {
                        if (!(segments.get(i + 1) instanceof Name)) {
                            throw resultPathFailure(input);
                        }
                        child = object.putObject(name.name);
                    }
                    current = child;
                }
            } else if (segment instanceof Index index) {
                if (!(current instanceof ArrayNode array) || index.index < 0 || index.index >= array.size()) {
                    throw resultPathFailure(input);
                }
                if (last) {
                    array.set(index.index, value);
                } else {
                    current = array.get(index.index);
                }
            } else {
                throw resultPathFailure(input);
            }
        }
        return copy;
    }

    private StatesError resultPathFailure(JsonNode input) {
        return new StatesError(StatesError.RESULT_PATH_MATCH_FAILURE, "Unable to apply ResultPath \"" + text
                + "\" to input \"" + abbreviate(input) + "\"");
    }

    /** The path in bracket notation, as Jayway prints it in errors: {@code $['a'][0]}. */
    public String normalized() {
        StringBuilder out = new StringBuilder(context ? "$$" : "$");
        segments.forEach(s -> out.append(s));
        return out.toString();
    }

    @Override
    public String toString() {
        return text;
    }

    static String abbreviate(JsonNode node) {
        String s = String.valueOf(node);
        return s.length() > 256 ? s.substring(0, 256) + "…" : s;
    }

    // ----------------------------------------------------------------------------------------------------------
    // segments

    private sealed interface Segment permits Name, Names, Index, Indexes, Slice, Wildcard, DeepScan, Filter {
        void select(JsonNode node, JsonNode root, List<JsonNode> out);
    }

    private record Name(String name) implements Segment {
        @Override
        public void select(JsonNode node, JsonNode root, List<JsonNode> out) {
            if (node.isObject() && node.has(name)) {
                out.add(node.get(name));
            }
        }

        @Override
        public String toString() {
            return "['" + name + "']";
        }
    }

    private record Names(List<String> names) implements Segment {
        @Override
        public void select(JsonNode node, JsonNode root, List<JsonNode> out) {
            if (node.isObject()) {
                for (String n : names) {
                    if (node.has(n)) {
                        out.add(node.get(n));
                    }
                }
            }
        }

        @Override
        public String toString() {
            return "['" + String.join("','", names) + "']";
        }
    }

    private record Index(int index) implements Segment {
        @Override
        public void select(JsonNode node, JsonNode root, List<JsonNode> out) {
            if (node.isArray()) {
                int i = index < 0 ? node.size() + index : index;
                if (i >= 0 && i < node.size()) {
                    out.add(node.get(i));
                }
            }
        }

        @Override
        public String toString() {
            return "[" + index + "]";
        }
    }

    private record Indexes(List<Integer> indexes) implements Segment {
        @Override
        public void select(JsonNode node, JsonNode root, List<JsonNode> out) {
            indexes.forEach(i -> new Index(i).select(node, root, out));
        }

        @Override
        public String toString() {
            return indexes.toString().replace(" ", "");
        }
    }

    private record Slice(Integer start, Integer end, Integer step) implements Segment {
        @Override
        public void select(JsonNode node, JsonNode root, List<JsonNode> out) {
            if (!node.isArray()) {
                return;
            }
            int size = node.size();
            int st = step == null ? 1 : step;
            int from = start == null ? 0 : start < 0 ? Math.max(0, size + start) : Math.min(start, size);
            int to = end == null ? size : end < 0 ? Math.max(0, size + end) : Math.min(end, size);
            for (int i = from; i < to; i += st) {
                out.add(node.get(i));
            }
        }

        @Override
        public String toString() {
            return "[" + (start == null ? "" : start) + ":" + (end == null ? "" : end)
                    + (step == null ? "" : ":" + step) + "]";
        }
    }

    private record Wildcard() implements Segment {
        @Override
        public void select(JsonNode node, JsonNode root, List<JsonNode> out) {
            if (node.isContainerNode()) {
                node.elements().forEachRemaining(out::add);
            }
        }

        @Override
        public String toString() {
            return "[*]";
        }
    }

    private record DeepScan(Segment inner) implements Segment {
        @Override
        public void select(JsonNode node, JsonNode root, List<JsonNode> out) {
            inner.select(node, root, out);
            if (node.isContainerNode()) {
                node.elements().forEachRemaining(child -> select(child, root, out));
            }
        }

        @Override
        public String toString() {
            return ".." + inner;
        }
    }

    private record Filter(Expr expr, String source) implements Segment {
        @Override
        public void select(JsonNode node, JsonNode root, List<JsonNode> out) {
            if (node.isArray()) {
                for (JsonNode element : node) {
                    if (Expr.truthy(expr.eval(element, root))) {
                        out.add(element);
                    }
                }
            } else if (node.isObject() && Expr.truthy(expr.eval(node, root))) {
                out.add(node);
            }
        }

        @Override
        public String toString() {
            return "[?(" + source + ")]";
        }
    }

    // ----------------------------------------------------------------------------------------------------------
    // filter expressions

    private interface Expr {
        /** Evaluates to a node, or null when a relative path found nothing. */
        JsonNode eval(JsonNode current, JsonNode root);

        static boolean truthy(JsonNode n) {
            return n != null && !n.isNull() && !(n.isBoolean() && !n.booleanValue());
        }
    }

    private record Literal(JsonNode value) implements Expr {
        @Override
        public JsonNode eval(JsonNode current, JsonNode root) {
            return value;
        }
    }

    private record PathOperand(boolean relative, List<Segment> segments) implements Expr {
        @Override
        public JsonNode eval(JsonNode current, JsonNode root) {
            List<JsonNode> nodes = new ArrayList<>();
            nodes.add(relative ? current : root);
            for (Segment segment : segments) {
                List<JsonNode> next = new ArrayList<>();
                for (JsonNode n : nodes) {
                    segment.select(n, root, next);
                }
                nodes = next;
            }
            return nodes.isEmpty() ? null : nodes.get(0);
        }
    }

    private record Not(Expr inner) implements Expr {
        @Override
        public JsonNode eval(JsonNode current, JsonNode root) {
            return NODES.booleanNode(!Expr.truthy(inner.eval(current, root)));
        }
    }

    private record Logical(boolean and, Expr left, Expr right) implements Expr {
        @Override
        public JsonNode eval(JsonNode current, JsonNode root) {
            boolean l = Expr.truthy(left.eval(current, root));
            if (and ? !l : l) {
                return NODES.booleanNode(l);
            }
            return NODES.booleanNode(Expr.truthy(right.eval(current, root)));
        }
    }

    private record Comparison(String op, Expr left, Expr right) implements Expr {
        @Override
        public JsonNode eval(JsonNode current, JsonNode root) {
            JsonNode a = left.eval(current, root);
            JsonNode b = right.eval(current, root);
            if (a == null || b == null) {
                return NODES.booleanNode(false);
            }
            Integer cmp = compare(a, b);
            boolean result = switch (op) {
                case "==" -> cmp != null ? cmp == 0 : a.equals(b);
                case "!=" -> cmp != null ? cmp != 0 : !a.equals(b);
                case "<" -> cmp != null && cmp < 0;
                case "<=" -> cmp != null && cmp <= 0;
                case ">" -> cmp != null && cmp > 0;
                case ">=" -> cmp != null && cmp >= 0;
                default -> throw new IllegalStateException(op);
            };
            return NODES.booleanNode(result);
        }

        private static Integer compare(JsonNode a, JsonNode b) {
            if (a.isNumber() && b.isNumber()) {
                return a.decimalValue().compareTo(b.decimalValue());
            }
            if (a.isTextual() && b.isTextual()) {
                return a.textValue().compareTo(b.textValue());
            }
            return null;
        }
    }

    // ----------------------------------------------------------------------------------------------------------
    // parser

    private static final String NAME_STOP = ".[]()'\"*@?,!=<>&| \t\r\n";

    private static final class Parser {
        final String text;
        int pos;

        Parser(String text) {
            this.text = text;
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("malformed path '" + text + "' at position " + pos + ": " + what);
        }

        boolean more() {
            return pos < text.length();
        }

        char peek() {
            return text.charAt(pos);
        }

        /** Segments until the end of the text, or (in a filter) until a character that cannot continue a path. */
        List<Segment> segments(boolean inFilter) {
            List<Segment> out = new ArrayList<>();
            while (more()) {
                char c = peek();
                if (c == '.') {
                    pos++;
                    if (more() && peek() == '.') {
                        if (inFilter) {
                            throw error("deep scan is not supported inside a filter");
                        }
                        pos++;
                        if (more() && peek() == '[') {
                            out.add(new DeepScan(bracket(inFilter)));
                        } else {
                            out.add(new DeepScan(dotted()));
                        }
                    } else {
                        out.add(dotted());
                    }
                } else if (c == '[') {
                    out.add(bracket(inFilter));
                } else if (inFilter) {
                    break;
                } else {
                    throw error("expected '.' or '['");
                }
            }
            return out;
        }

        Segment dotted() {
            if (!more()) {
                throw error("a name must follow '.'");
            }
            if (peek() == '*') {
                pos++;
                return new Wildcard();
            }
            int start = pos;
            while (more() && NAME_STOP.indexOf(peek()) < 0 && !Character.isISOControl(peek())) {
                pos++;
            }
            if (start == pos) {
                throw error("a name must follow '.'");
            }
            return new Name(text.substring(start, pos));
        }

        void skipSpace() {
            while (more() && peek() == ' ') {
                pos++;
            }
        }

        void expect(char c) {
            skipSpace();
            if (!more() || peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        Segment bracket(boolean inFilter) {
            pos++; // '['
            skipSpace();
            if (!more()) {
                throw error("unclosed '['");
            }
            char c = peek();
            Segment segment;
            if (c == '*') {
                pos++;
                segment = new Wildcard();
            } else if (c == '\'' || c == '"') {
                List<String> names = new ArrayList<>();
                names.add(quoted());
                skipSpace();
                while (more() && peek() == ',') {
                    pos++;
                    skipSpace();
                    names.add(quoted());
                    skipSpace();
                }
                segment = names.size() == 1 ? new Name(names.get(0)) : new Names(names);
            } else if (c == '?') {
                if (inFilter) {
                    throw error("nested filters are not supported");
                }
                pos++;
                expect('(');
                int start = pos;
                Expr expr = or();
                String source = text.substring(start, pos).trim();
                expect(')');
                segment = new Filter(expr, source);
            } else if (c == ':' || c == '-' || Character.isDigit(c)) {
                Integer first = c == ':' ? null : integer();
                skipSpace();
                if (more() && peek() == ':') {
                    pos++;
                    skipSpace();
                    Integer end = more() && peek() != ']' && peek() != ':' ? integer() : null;
                    skipSpace();
                    Integer step = null;
                    if (more() && peek() == ':') {
                        pos++;
                        skipSpace();
                        step = more() && peek() != ']' ? integer() : null;
                        if (step != null && step <= 0) {
                            throw error("a slice step must be positive");
                        }
                    }
                    segment = new Slice(first, end, step);
                } else {
                    List<Integer> indexes = new ArrayList<>();
                    indexes.add(first);
                    while (more() && peek() == ',') {
                        pos++;
                        skipSpace();
                        indexes.add(integer());
                        skipSpace();
                    }
                    segment = indexes.size() == 1 ? new Index(first) : new Indexes(indexes);
                }
            } else {
                throw error("expected a quoted name, an index, a slice, '*' or a filter inside '[ ]'");
            }
            expect(']');
            return segment;
        }

        String quoted() {
            if (!more() || (peek() != '\'' && peek() != '"')) {
                throw error("expected a quoted name");
            }
            char quote = text.charAt(pos++);
            StringBuilder out = new StringBuilder();
            while (true) {
                if (!more()) {
                    throw error("unterminated quoted name");
                }
                char c = text.charAt(pos++);
                if (c == quote) {
                    return out.toString();
                }
                if (c == '\\') {
                    if (!more()) {
                        throw error("unterminated escape");
                    }
                    out.append(text.charAt(pos++));
                } else {
                    out.append(c);
                }
            }
        }

        int integer() {
            int start = pos;
            if (more() && peek() == '-') {
                pos++;
            }
            while (more() && Character.isDigit(peek())) {
                pos++;
            }
            String digits = text.substring(start, pos);
            if (digits.isEmpty() || digits.equals("-")) {
                throw error("expected an integer");
            }
            try {
                return Integer.parseInt(digits);
            } catch (NumberFormatException e) {
                throw error("integer out of range: " + digits);
            }
        }

        // filter grammar: or := and ('||' and)* ; and := unary ('&&' unary)* ; unary := '!' unary | '(' or ')' | cmp
        Expr or() {
            Expr left = and();
            skipSpace();
            while (text.startsWith("||", pos)) {
                pos += 2;
                left = new Logical(false, left, and());
                skipSpace();
            }
            return left;
        }

        Expr and() {
            Expr left = unary();
            skipSpace();
            while (text.startsWith("&&", pos)) {
                pos += 2;
                left = new Logical(true, left, unary());
                skipSpace();
            }
            return left;
        }

        Expr unary() {
            skipSpace();
            if (!more()) {
                throw error("unterminated filter");
            }
            if (peek() == '!' && !text.startsWith("!=", pos)) {
                pos++;
                return new Not(unary());
            }
            if (peek() == '(') {
                pos++;
                Expr inner = or();
                expect(')');
                return inner;
            }
            Expr left = operand();
            skipSpace();
            for (String op : List.of("==", "!=", "<=", ">=", "<", ">")) {
                if (text.startsWith(op, pos)) {
                    pos += op.length();
                    return new Comparison(op, left, operand());
                }
            }
            return left;
        }

        Expr operand() {
            skipSpace();
            if (!more()) {
                throw error("expected an operand");
            }
            char c = peek();
            if (c == '@' || c == '$') {
                pos++;
                return new PathOperand(c == '@', segments(true));
            }
            if (c == '\'' || c == '"') {
                return new Literal(NODES.textNode(quoted()));
            }
            if (c == '-' || Character.isDigit(c)) {
                int start = pos;
                pos++;
                while (more() && (Character.isDigit(peek()) || peek() == '.' || peek() == 'e' || peek() == 'E')) {
                    pos++;
                }
                try {
                    return new Literal(NODES.numberNode(new BigDecimal(text.substring(start, pos))));
                } catch (NumberFormatException e) {
                    throw error("malformed number");
                }
            }
            for (Map.Entry<String, JsonNode> word : Map.<String, JsonNode>of("true", NODES.booleanNode(true),
                    "false", NODES.booleanNode(false), "null", NODES.nullNode()).entrySet()) {
                if (text.startsWith(word.getKey(), pos)) {
                    pos += word.getKey().length();
                    return new Literal(word.getValue());
                }
            }
            throw error("expected '@', '$', a number, a quoted string, true, false or null");
        }
    }
}
