package io.modelcycle.local.asl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * A compiled intrinsic function call such as {@code States.Format('Hello {}', $.name)}: the eighteen functions of
 * the States Language (JSONPath flavour). Arguments are string literals in single quotes (escapes {@code \'},
 * {@code \{}, {@code \}}, {@code \\}), numbers, {@code true}/{@code false}/{@code null}, paths and nested calls
 * (at most 10 deep). The function name and argument count are checked when compiled; types and values when
 * evaluated, which fails with {@code States.IntrinsicFailure}.
 */
public final class Intrinsic {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_NESTING = 10;
    private static final int MAX_ENCODE_LENGTH = 10_000;
    private static final int MAX_RANGE_ITEMS = 1000;

    /** Arity of each function: minimum and maximum argument counts. */
    private static final Map<String, int[]> ARITY = Map.ofEntries(
            Map.entry("States.Format", new int[] {1, Integer.MAX_VALUE}),
            Map.entry("States.StringToJson", new int[] {1, 1}),
            Map.entry("States.JsonToString", new int[] {1, 1}),
            Map.entry("States.Array", new int[] {0, Integer.MAX_VALUE}),
            Map.entry("States.ArrayPartition", new int[] {2, 2}),
            Map.entry("States.ArrayContains", new int[] {2, 2}),
            Map.entry("States.ArrayRange", new int[] {3, 3}),
            Map.entry("States.ArrayGetItem", new int[] {2, 2}),
            Map.entry("States.ArrayLength", new int[] {1, 1}),
            Map.entry("States.ArrayUnique", new int[] {1, 1}),
            Map.entry("States.Base64Encode", new int[] {1, 1}),
            Map.entry("States.Base64Decode", new int[] {1, 1}),
            Map.entry("States.Hash", new int[] {2, 2}),
            Map.entry("States.JsonMerge", new int[] {3, 3}),
            Map.entry("States.MathRandom", new int[] {2, 3}),
            Map.entry("States.MathAdd", new int[] {2, 2}),
            Map.entry("States.StringSplit", new int[] {2, 2}),
            Map.entry("States.UUID", new int[] {0, 0}));

    private static final Map<String, String> HASH_ALGORITHMS = Map.of(
            "MD5", "MD5", "SHA-1", "SHA-1", "SHA-256", "SHA-256", "SHA-384", "SHA-384", "SHA-512", "SHA-512");

    private final String text;
    private final Call call;

    private Intrinsic(String text, Call call) {
        this.text = text;
        this.call = call;
    }

    /** True when the text looks like an intrinsic call rather than a path (it starts with {@code States.}). */
    public static boolean looksLikeCall(String text) {
        return text != null && text.startsWith("States.");
    }

    /**
     * Compiles a call. When every argument is constant, the call is also evaluated once, so that
     * {@code States.ArrayRange(1, 5000, 1)} or {@code States.Hash('x', 'SHA-0')} fail here and not at run time.
     *
     * @throws IllegalArgumentException saying what is malformed
     */
    public static Intrinsic compile(String text) {
        Parser parser = new Parser(text);
        Call call = parser.call(1);
        parser.skipSpace();
        if (parser.pos != text.length()) {
            throw parser.error("unexpected text after the call");
        }
        Intrinsic intrinsic = new Intrinsic(text, call);
        if (call.isConstant()) {
            try {
                intrinsic.evaluate(new Scope(NODES.objectNode(), NODES.objectNode(), new Random(0)));
            } catch (StatesError e) {
                throw new IllegalArgumentException(e.cause(), e);
            }
        }
        return intrinsic;
    }

    /** Evaluates the call; paths read {@code scope}'s input and context. */
    public JsonNode evaluate(Scope scope) {
        return call.eval(scope);
    }

    @Override
    public String toString() {
        return text;
    }

    // ----------------------------------------------------------------------------------------------------------

    private interface Arg {
        JsonNode eval(Scope scope);

        default boolean isConstant() {
            return true;
        }
    }

    private record Literal(JsonNode value) implements Arg {
        @Override
        public JsonNode eval(Scope scope) {
            return value;
        }
    }

    /** A string literal; {@code pieces} keep escaped braces apart from {@code {}} placeholders for Format. */
    private record StringLiteral(JsonNode value, List<String> pieces) implements Arg {
        @Override
        public JsonNode eval(Scope scope) {
            return value;
        }
    }

    private record PathArg(JsonPath path) implements Arg {
        @Override
        public JsonNode eval(Scope scope) {
            return path.read(scope.input(), scope.context(), "an intrinsic function argument");
        }

        @Override
        public boolean isConstant() {
            return false;
        }
    }

    private record Call(String name, List<Arg> args) implements Arg {
        @Override
        public boolean isConstant() {
            return !name.equals("States.UUID") && !name.equals("States.MathRandom")
                    && args.stream().allMatch(Arg::isConstant);
        }

        @Override
        public JsonNode eval(Scope scope) {
            List<JsonNode> values = new ArrayList<>(args.size());
            for (Arg arg : args) {
                values.add(arg.eval(scope));
            }
            return switch (name) {
                case "States.Format" -> format(values, scope);
                case "States.StringToJson" -> {
                    String s = string(values, 0);
                    try {
                        yield MAPPER.readTree(s);
                    } catch (JsonProcessingException e) {
                        throw fail("argument 1 is not valid JSON: " + e.getOriginalMessage());
                    }
                }
                case "States.JsonToString" -> NODES.textNode(values.get(0).toString());
                case "States.Array" -> {
                    ArrayNode out = NODES.arrayNode();
                    values.forEach(out::add);
                    yield out;
                }
                case "States.ArrayPartition" -> {
                    ArrayNode array = array(values, 0);
                    int size = integer(values, 1);
                    if (size <= 0) {
                        throw fail("the chunk size (argument 2) must be a positive integer but was " + size);
                    }
                    ArrayNode out = NODES.arrayNode();
                    for (int i = 0; i < array.size(); i += size) {
                        ArrayNode chunk = out.addArray();
                        for (int j = i; j < Math.min(i + size, array.size()); j++) {
                            chunk.add(array.get(j));
                        }
                    }
                    yield out;
                }
                case "States.ArrayContains" -> {
                    ArrayNode array = array(values, 0);
                    boolean found = false;
                    for (JsonNode item : array) {
                        found |= Choice.jsonEquals(item, values.get(1));
                    }
                    yield NODES.booleanNode(found);
                }
                case "States.ArrayRange" -> {
                    int first = integer(values, 0);
                    int last = integer(values, 1);
                    int step = integer(values, 2);
                    if (step == 0) {
                        throw fail("the step (argument 3) must not be 0");
                    }
                    long count = (step > 0 ? (long) last - first : (long) first - last) / Math.abs((long) step) + 1;
                    if (count > MAX_RANGE_ITEMS) {
                        throw fail("the range has " + count + " items; at most " + MAX_RANGE_ITEMS + " are allowed");
                    }
                    ArrayNode out = NODES.arrayNode();
                    for (long v = first; step > 0 ? v <= last : v >= last; v += step) {
                        out.add((int) v);
                    }
                    yield out;
                }
                case "States.ArrayGetItem" -> {
                    ArrayNode array = array(values, 0);
                    int index = integer(values, 1);
                    if (index < 0 || index >= array.size()) {
                        throw fail("index " + index + " is out of bounds for an array of " + array.size());
                    }
                    yield array.get(index);
                }
                case "States.ArrayLength" -> NODES.numberNode(array(values, 0).size());
                case "States.ArrayUnique" -> {
                    Set<JsonNode> seen = new LinkedHashSet<>();
                    array(values, 0).forEach(seen::add);
                    ArrayNode out = NODES.arrayNode();
                    seen.forEach(out::add);
                    yield out;
                }
                case "States.Base64Encode" -> {
                    String s = limited(values, 0);
                    yield NODES.textNode(Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
                }
                case "States.Base64Decode" -> {
                    String s = limited(values, 0);
                    try {
                        yield NODES.textNode(new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8));
                    } catch (IllegalArgumentException e) {
                        throw fail("argument 1 is not valid Base64: " + e.getMessage());
                    }
                }
                case "States.Hash" -> {
                    String data = limited(values, 0);
                    String algorithm = string(values, 1);
                    String jca = HASH_ALGORITHMS.get(algorithm);
                    if (jca == null) {
                        throw fail("unsupported hash algorithm '" + algorithm + "'; use one of MD5, SHA-1, SHA-256,"
                                + " SHA-384, SHA-512");
                    }
                    try {
                        byte[] digest = MessageDigest.getInstance(jca).digest(data.getBytes(StandardCharsets.UTF_8));
                        yield NODES.textNode(HexFormat.of().formatHex(digest));
                    } catch (NoSuchAlgorithmException e) {
                        throw new IllegalStateException(jca + " is missing from this JVM", e);
                    }
                }
                case "States.JsonMerge" -> {
                    ObjectNode left = object(values, 0);
                    ObjectNode right = object(values, 1);
                    JsonNode deep = values.get(2);
                    if (!deep.isBoolean()) {
                        throw fail("argument 3 (deep merge) must be a boolean but was " + deep);
                    }
                    if (deep.booleanValue()) {
                        throw fail("deep merge (argument 3 = true) is not supported; only shallow merge (false) is");
                    }
                    ObjectNode out = left.deepCopy();
                    out.setAll(right.deepCopy());
                    yield out;
                }
                case "States.MathRandom" -> {
                    int start = integer(values, 0);
                    int end = integer(values, 1);
                    if (start >= end) {
                        throw fail("the start (" + start + ") must be less than the end (" + end + ")");
                    }
                    RandomGenerator random = values.size() == 3 ? new Random(integer(values, 2)) : scope.random();
                    yield NODES.numberNode(random.nextInt(start, end));
                }
                case "States.MathAdd" -> {
                    long sum = (long) integer(values, 0) + integer(values, 1);
                    if (sum != (int) sum) {
                        throw fail("the sum " + sum + " is out of the 32-bit integer range");
                    }
                    yield NODES.numberNode((int) sum);
                }
                case "States.StringSplit" -> {
                    String s = string(values, 0);
                    String delimiters = string(values, 1);
                    ArrayNode out = NODES.arrayNode();
                    StringBuilder piece = new StringBuilder();
                    for (int i = 0; i < s.length(); i++) {
                        char c = s.charAt(i);
                        if (delimiters.indexOf(c) >= 0) {
                            if (piece.length() > 0) {
                                out.add(piece.toString());
                            }
                            piece.setLength(0);
                        } else {
                            piece.append(c);
                        }
                    }
                    if (piece.length() > 0 || (delimiters.isEmpty() && !s.isEmpty())) {
                        out.add(piece.toString());
                    }
                    yield out;
                }
                case "States.UUID" -> {
                    byte[] bytes = new byte[16];
                    scope.random().nextBytes(bytes);
                    bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
                    bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
                    long msb = 0;
                    long lsb = 0;
                    for (int i = 0; i < 8; i++) {
                        msb = (msb << 8) | (bytes[i] & 0xff);
                        lsb = (lsb << 8) | (bytes[i + 8] & 0xff);
                    }
                    yield NODES.textNode(new UUID(msb, lsb).toString());
                }
                default -> throw new IllegalStateException("unchecked function " + name);
            };
        }

        private JsonNode format(List<JsonNode> values, Scope scope) {
            List<String> pieces;
            if (args.get(0) instanceof StringLiteral literal) {
                pieces = literal.pieces();
            } else {
                pieces = List.of(string(values, 0).split("\\{}", -1));
            }
            int placeholders = pieces.size() - 1;
            if (placeholders != values.size() - 1) {
                throw fail("the template has " + placeholders + " placeholder(s) but " + (values.size() - 1)
                        + " argument(s) follow it");
            }
            StringBuilder out = new StringBuilder(pieces.get(0));
            for (int i = 1; i < values.size(); i++) {
                JsonNode v = values.get(i);
                if (v.isContainerNode()) {
                    throw fail("argument " + (i + 1) + " must be a string, number, boolean or null but was " + v);
                }
                out.append(v.isTextual() ? v.textValue() : v.toString()).append(pieces.get(i));
            }
            return NODES.textNode(out.toString());
        }

        private StatesError fail(String what) {
            return StatesError.intrinsic("Invalid arguments in " + name + ": " + what);
        }

        private String string(List<JsonNode> values, int i) {
            JsonNode v = values.get(i);
            if (!v.isTextual()) {
                throw fail("argument " + (i + 1) + " must be a string but was " + JsonPath.abbreviate(v));
            }
            return v.textValue();
        }

        private String limited(List<JsonNode> values, int i) {
            String s = string(values, i);
            if (s.length() > MAX_ENCODE_LENGTH) {
                throw fail("argument " + (i + 1) + " has " + s.length() + " characters; at most "
                        + MAX_ENCODE_LENGTH + " are allowed");
            }
            return s;
        }

        private ArrayNode array(List<JsonNode> values, int i) {
            JsonNode v = values.get(i);
            if (!(v instanceof ArrayNode a)) {
                throw fail("argument " + (i + 1) + " must be an array but was " + JsonPath.abbreviate(v));
            }
            return a;
        }

        private ObjectNode object(List<JsonNode> values, int i) {
            JsonNode v = values.get(i);
            if (!(v instanceof ObjectNode o)) {
                throw fail("argument " + (i + 1) + " must be an object but was " + JsonPath.abbreviate(v));
            }
            return o;
        }

        private int integer(List<JsonNode> values, int i) {
            JsonNode v = values.get(i);
            if (!v.isNumber()) {
                throw fail("argument " + (i + 1) + " must be an integer but was " + JsonPath.abbreviate(v));
            }
            BigDecimal d = v.decimalValue();
            try {
                BigInteger exact = d.toBigIntegerExact();
                return exact.intValueExact();
            } catch (ArithmeticException e) {
                throw fail("argument " + (i + 1) + " must be a 32-bit integer but was " + v);
            }
        }
    }

    // ----------------------------------------------------------------------------------------------------------

    private static final class Parser {
        final String text;
        int pos;

        Parser(String text) {
            this.text = text;
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("malformed intrinsic function call '" + text + "' at position "
                    + pos + ": " + what);
        }

        boolean more() {
            return pos < text.length();
        }

        void skipSpace() {
            while (more() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        Call call(int depth) {
            if (depth > MAX_NESTING) {
                throw error("intrinsic functions nest at most " + MAX_NESTING + " deep");
            }
            int start = pos;
            while (more() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
                pos++;
            }
            String name = text.substring(start, pos);
            int[] arity = ARITY.get(name);
            if (arity == null) {
                pos = start;
                throw error("unknown intrinsic function '" + name + "'");
            }
            skipSpace();
            if (!more() || text.charAt(pos) != '(') {
                throw error("expected '(' after " + name);
            }
            pos++;
            List<Arg> args = new ArrayList<>();
            skipSpace();
            if (more() && text.charAt(pos) == ')') {
                pos++;
            } else {
                while (true) {
                    skipSpace();
                    args.add(arg(depth));
                    skipSpace();
                    if (!more()) {
                        throw error("unclosed '(' of " + name);
                    }
                    char c = text.charAt(pos++);
                    if (c == ')') {
                        break;
                    }
                    if (c != ',') {
                        pos--;
                        throw error("expected ',' or ')'");
                    }
                }
            }
            if (args.size() < arity[0] || args.size() > arity[1]) {
                String expected = arity[0] == arity[1] ? String.valueOf(arity[0])
                        : arity[1] == Integer.MAX_VALUE ? "at least " + arity[0] : arity[0] + " to " + arity[1];
                throw error(name + " takes " + expected + " argument(s) but was given " + args.size());
            }
            if (name.equals("States.Format") && !(args.get(0) instanceof StringLiteral)
                    && !(args.get(0) instanceof PathArg) && !(args.get(0) instanceof Call)) {
                throw error("the first argument of States.Format must be a string template");
            }
            return new Call(name, List.copyOf(args));
        }

        Arg arg(int depth) {
            if (!more()) {
                throw error("expected an argument");
            }
            char c = text.charAt(pos);
            if (c == '\'') {
                return string();
            }
            if (c == '$') {
                int start = pos;
                int brackets = 0;
                char quote = 0;
                while (more()) {
                    char d = text.charAt(pos);
                    if (quote != 0) {
                        if (d == '\\') {
                            pos++;
                        } else if (d == quote) {
                            quote = 0;
                        }
                    } else if (d == '\'' || d == '"') {
                        quote = d;
                    } else if (d == '[' || d == '(') {
                        brackets++;
                    } else if (d == ']' || d == ')') {
                        if (brackets == 0) {
                            break;
                        }
                        brackets--;
                    } else if (d == ',' && brackets == 0) {
                        break;
                    }
                    pos++;
                }
                String path = text.substring(start, Math.min(pos, text.length())).trim();
                try {
                    return new PathArg(JsonPath.compile(path));
                } catch (IllegalArgumentException e) {
                    throw error(e.getMessage());
                }
            }
            if (c == '-' || Character.isDigit(c)) {
                int start = pos;
                pos++;
                while (more() && (Character.isDigit(text.charAt(pos)) || ".eE+-".indexOf(text.charAt(pos)) >= 0)) {
                    pos++;
                }
                try {
                    return new Literal(NODES.numberNode(new BigDecimal(text.substring(start, pos))));
                } catch (NumberFormatException e) {
                    throw error("malformed number '" + text.substring(start, pos) + "'");
                }
            }
            if (text.startsWith("States.", pos)) {
                return call(depth + 1);
            }
            for (var word : List.of("true", "false", "null")) {
                if (text.startsWith(word, pos)) {
                    pos += word.length();
                    return new Literal(word.equals("null") ? NODES.nullNode() : NODES.booleanNode(word.equals("true")));
                }
            }
            throw error("expected a quoted string, a number, true, false, null, a path or an intrinsic function");
        }

        StringLiteral string() {
            pos++; // opening quote
            StringBuilder value = new StringBuilder();
            StringBuilder piece = new StringBuilder();
            List<String> pieces = new ArrayList<>();
            while (true) {
                if (!more()) {
                    throw error("unterminated string literal");
                }
                char c = text.charAt(pos++);
                if (c == '\'') {
                    break;
                }
                if (c == '\\') {
                    if (!more()) {
                        throw error("unterminated escape in string literal");
                    }
                    char e = text.charAt(pos++);
                    if ("'{}\\".indexOf(e) < 0) {
                        pos -= 2;
                        throw error("unknown escape '\\" + e + "'; only \\' \\{ \\} \\\\ are allowed");
                    }
                    value.append(e);
                    piece.append(e);
                } else if (c == '{' && more() && text.charAt(pos) == '}') {
                    pos++;
                    value.append("{}");
                    pieces.add(piece.toString());
                    piece.setLength(0);
                } else {
                    value.append(c);
                    piece.append(c);
                }
            }
            pieces.add(piece.toString());
            return new StringLiteral(NODES.textNode(value.toString()), List.copyOf(pieces));
        }
    }
}
