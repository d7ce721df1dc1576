package io.modelcycle.local.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcycle.core.ValidationException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An Amazon EventBridge event pattern, with EventBridge's matching rules: the one implementation of pattern matching in
 * the local runtime (every rule uses it).
 *
 * <p>A pattern is a JSON object with the event's nesting. Every field of the pattern must match (AND); a leaf is an
 * array of matchers of which one must match (OR); when the event's value is an array, the field matches when any of
 * its elements matches. Matchers:
 * <ul>
 *   <li>exact values: strings, numbers (compared as numbers), {@code true}/{@code false}, {@code null};</li>
 *   <li>{@code {"prefix": s}}, {@code {"suffix": s}}, each also as {@code {"prefix": {"equals-ignore-case": s}}};</li>
 *   <li>{@code {"equals-ignore-case": s}}, {@code {"wildcard": "a*b"}} ({@code *} matches any characters,
 *       {@code \*} a star);</li>
 *   <li>{@code {"anything-but": v}} where v is a value, a list of strings or of numbers, or
 *       {@code {"prefix"|"suffix"|"wildcard"|"equals-ignore-case": s or [s...]}};</li>
 *   <li>{@code {"numeric": [">", 0, "<=", 5]}} (operators {@code = < <= > >=}, one or two comparisons);</li>
 *   <li>{@code {"exists": true|false}} (false matches an absent field; it is the only matcher an absent field can
 *       satisfy);</li>
 *   <li>{@code {"cidr": "10.0.0.0/24"}} (IPv4);</li>
 *   <li>{@code "$or": [pattern, pattern, ...]} at any object level.</li>
 * </ul>
 * A malformed pattern is refused when parsed, with a {@link ValidationException} naming the field and what is wrong,
 * as PutRule refuses it; nothing unknown is silently ignored. Immutable and thread-safe.
 */
public final class EventPattern {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> NUMERIC_OPERATORS = Set.of("=", "<", "<=", ">", ">=");

    private final JsonNode source;
    private final Node root;

    private EventPattern(JsonNode source, Node root) {
        this.source = source;
        this.root = root;
    }

    /** Parses a pattern given as JSON text. */
    public static EventPattern parse(String json) {
        try {
            return of(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new ValidationException("EventPattern", "is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** Parses a pattern given as a JSON tree. */
    public static EventPattern of(JsonNode pattern) {
        if (pattern == null || !pattern.isObject()) {
            throw new ValidationException("EventPattern", "must be a JSON object");
        }
        return new EventPattern(pattern.deepCopy(), object(pattern, ""));
    }

    /** The pattern as JSON, as it was given. */
    public JsonNode json() {
        return source.deepCopy();
    }

    /** Whether {@code event} matches this pattern. */
    public boolean matches(JsonNode event) {
        return event != null && root.matches(event);
    }

    @Override
    public String toString() {
        return source.toString();
    }

    // ------------------------------------------------------------------------------------------------ parsing

    /** A compiled part of a pattern, matched against the event value at the same place (null when absent). */
    private interface Node {
        boolean matches(JsonNode value);
    }

    private static Node object(JsonNode pattern, String path) {
        List<Node> all = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = pattern.properties().iterator(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            String where = path.isEmpty() ? name : path + "." + name;
            JsonNode v = e.getValue();
            if (name.equals("$or")) {
                if (!v.isArray() || v.size() < 2) {
                    throw new ValidationException(where, "must be an array of at least two patterns");
                }
                List<Node> alternatives = new ArrayList<>();
                for (JsonNode alt : v) {
                    if (!alt.isObject()) {
                        throw new ValidationException(where, "must hold pattern objects, found " + alt);
                    }
                    alternatives.add(object(alt, path));
                }
                all.add(value -> alternatives.stream().anyMatch(n -> n.matches(value)));
            } else if (v.isObject()) {
                Node child = object(v, where);
                all.add(value -> value != null && value.isObject() && child.matches(value.get(name)));
            } else if (v.isArray()) {
                Leaf leaf = leaf(v, where);
                all.add(value -> leaf.matches(value == null ? null : value.get(name)));
            } else {
                throw new ValidationException(where, "a pattern value must be an array of matchers or an object,"
                        + " found " + v);
            }
        }
        if (all.isEmpty() && !path.isEmpty()) {
            throw new ValidationException(path, "an empty object matches nothing; leave the field out instead");
        }
        return value -> all.stream().allMatch(n -> n.matches(value));
    }

    /** The matchers of one field; absent fields only satisfy {@code exists: false}. */
    private record Leaf(List<Matcher> matchers) {
        boolean matches(JsonNode value) {
            if (value == null) {
                return matchers.stream().anyMatch(Matcher::matchesAbsent);
            }
            if (value.isArray()) {
                if (value.isEmpty()) {
                    return false;
                }
                for (JsonNode element : value) {
                    if (matchesOne(element)) {
                        return true;
                    }
                }
                return false;
            }
            return matchesOne(value);
        }

        private boolean matchesOne(JsonNode v) {
            for (Matcher m : matchers) {
                if (m.matches(v)) {
                    return true;
                }
            }
            return false;
        }
    }

    private interface Matcher {
        boolean matches(JsonNode value);

        default boolean matchesAbsent() {
            return false;
        }
    }

    private static Leaf leaf(JsonNode array, String path) {
        if (array.isEmpty()) {
            throw new ValidationException(path, "an empty array of matchers matches nothing");
        }
        List<Matcher> matchers = new ArrayList<>();
        for (JsonNode m : array) {
            matchers.add(matcher(m, path));
        }
        return new Leaf(List.copyOf(matchers));
    }

    private static Matcher matcher(JsonNode m, String path) {
        if (m.isTextual() || m.isBoolean() || m.isNull()) {
            JsonNode expected = m;
            return v -> exactEquals(expected, v);
        }
        if (m.isNumber()) {
            BigDecimal expected = m.decimalValue();
            return v -> v.isNumber() && v.decimalValue().compareTo(expected) == 0;
        }
        if (m.isArray()) {
            throw new ValidationException(path, "matchers cannot nest arrays: " + m);
        }
        if (m.size() != 1) {
            throw new ValidationException(path, "a matcher object has exactly one key, found " + m);
        }
        String kind = m.fieldNames().next();
        JsonNode arg = m.get(kind);
        return switch (kind) {
            case "prefix" -> stringMatcher(arg, path, kind, (s, p) -> s.startsWith(p), true);
            case "suffix" -> stringMatcher(arg, path, kind, (s, p) -> s.endsWith(p), true);
            case "equals-ignore-case" -> {
                String expected = requireText(arg, path, kind);
                yield v -> v.isTextual() && v.textValue().equalsIgnoreCase(expected);
            }
            case "wildcard" -> {
                Wildcard w = Wildcard.of(requireText(arg, path, kind), path);
                yield v -> v.isTextual() && w.matches(v.textValue());
            }
            case "exists" -> {
                if (!arg.isBoolean()) {
                    throw new ValidationException(path, "exists takes true or false, found " + arg);
                }
                boolean exists = arg.booleanValue();
                yield new Matcher() {
                    @Override
                    public boolean matches(JsonNode value) {
                        return exists;
                    }

                    @Override
                    public boolean matchesAbsent() {
                        return !exists;
                    }
                };
            }
            case "numeric" -> numeric(arg, path);
            case "anything-but" -> anythingBut(arg, path);
            case "cidr" -> Cidr.of(requireText(arg, path, kind), path);
            default -> throw new ValidationException(path, "unknown matcher '" + kind + "'; expected prefix, suffix,"
                    + " equals-ignore-case, wildcard, anything-but, numeric, exists or cidr");
        };
    }

    private interface StringTest {
        boolean test(String value, String operand);
    }

    private static Matcher stringMatcher(JsonNode arg, String path, String kind, StringTest test, boolean ignoreCaseForm) {
        if (arg.isObject() && ignoreCaseForm) {
            if (arg.size() != 1 || !arg.has("equals-ignore-case")) {
                throw new ValidationException(path, kind + " takes a string or {\"equals-ignore-case\": string}, found "
                        + arg);
            }
            String operand = requireText(arg.get("equals-ignore-case"), path, kind).toLowerCase(Locale.ROOT);
            return v -> v.isTextual() && test.test(v.textValue().toLowerCase(Locale.ROOT), operand);
        }
        String operand = requireText(arg, path, kind);
        return v -> v.isTextual() && test.test(v.textValue(), operand);
    }

    private static String requireText(JsonNode arg, String path, String kind) {
        if (arg == null || !arg.isTextual()) {
            throw new ValidationException(path, kind + " takes a string, found " + arg);
        }
        return arg.textValue();
    }

    private static boolean exactEquals(JsonNode expected, JsonNode v) {
        if (expected.isTextual()) {
            return v.isTextual() && v.textValue().equals(expected.textValue());
        }
        if (expected.isBoolean()) {
            return v.isBoolean() && v.booleanValue() == expected.booleanValue();
        }
        return v.isNull();
    }

    private static Matcher numeric(JsonNode arg, String path) {
        if (!arg.isArray() || (arg.size() != 2 && arg.size() != 4)) {
            throw new ValidationException(path, "numeric takes [op, number] or [op, number, op, number], found " + arg);
        }
        List<Matcher> parts = new ArrayList<>();
        for (int i = 0; i < arg.size(); i += 2) {
            JsonNode op = arg.get(i);
            JsonNode n = arg.get(i + 1);
            if (!op.isTextual() || !NUMERIC_OPERATORS.contains(op.textValue())) {
                throw new ValidationException(path, "numeric operator must be one of " + NUMERIC_OPERATORS + ", found "
                        + op);
            }
            if (!n.isNumber()) {
                throw new ValidationException(path, "numeric operand must be a number, found " + n);
            }
            String o = op.textValue();
            if (arg.size() == 4 && (o.equals("=") || (i == 0 && o.startsWith("<")) || (i == 2 && o.startsWith(">")))) {
                throw new ValidationException(path, "a numeric range is a lower bound (> or >=) then an upper bound"
                        + " (< or <=), found " + arg);
            }
            BigDecimal bound = n.decimalValue();
            parts.add(v -> {
                int c = v.decimalValue().compareTo(bound);
                return switch (o) {
                    case "=" -> c == 0;
                    case "<" -> c < 0;
                    case "<=" -> c <= 0;
                    case ">" -> c > 0;
                    default -> c >= 0;
                };
            });
        }
        return v -> v.isNumber() && parts.stream().allMatch(p -> p.matches(v));
    }

    private static Matcher anythingBut(JsonNode arg, String path) {
        if (arg.isTextual() || arg.isNumber()) {
            Matcher exact = matcher(arg, path);
            return v -> !exact.matches(v);
        }
        if (arg.isArray()) {
            if (arg.isEmpty()) {
                throw new ValidationException(path, "anything-but takes a non-empty list");
            }
            boolean strings = arg.get(0).isTextual();
            List<Matcher> excluded = new ArrayList<>();
            for (JsonNode e : arg) {
                if (strings ? !e.isTextual() : !e.isNumber()) {
                    throw new ValidationException(path, "anything-but takes a list of only strings or only numbers,"
                            + " found " + arg);
                }
                excluded.add(matcher(e, path));
            }
            return v -> excluded.stream().noneMatch(m -> m.matches(v));
        }
        if (arg.isObject() && arg.size() == 1) {
            String kind = arg.fieldNames().next();
            JsonNode operand = arg.get(kind);
            if (!Set.of("prefix", "suffix", "wildcard", "equals-ignore-case").contains(kind)) {
                throw new ValidationException(path, "anything-but takes a value, a list, or {prefix|suffix|wildcard|"
                        + "equals-ignore-case: ...}, found " + arg);
            }
            List<JsonNode> operands = new ArrayList<>();
            if (operand.isArray() && (kind.equals("wildcard") || kind.equals("equals-ignore-case"))) {
                operand.forEach(operands::add);
            } else {
                operands.add(operand);
            }
            List<Matcher> excluded = new ArrayList<>();
            for (JsonNode o : operands) {
                excluded.add(matcher(MAPPER.createObjectNode().set(kind, o), path));
            }
            // EventBridge: anything-but with a string matcher applies to strings only.
            return v -> v.isTextual() && excluded.stream().noneMatch(m -> m.matches(v));
        }
        throw new ValidationException(path, "anything-but takes a value, a list, or {prefix|suffix|wildcard|"
                + "equals-ignore-case: ...}, found " + arg);
    }

    /** EventBridge wildcards: {@code *} matches any run of characters; {@code \*} and {@code \\} are literal. */
    private record Wildcard(List<String> literals) {
        static Wildcard of(String pattern, String path) {
            List<String> parts = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (c == '\\') {
                    if (i + 1 >= pattern.length() || (pattern.charAt(i + 1) != '*' && pattern.charAt(i + 1) != '\\')) {
                        throw new ValidationException(path, "wildcard '" + pattern + "': a backslash escapes only * or \\");
                    }
                    cur.append(pattern.charAt(++i));
                } else if (c == '*') {
                    if (i > 0 && pattern.charAt(i - 1) == '*') {
                        throw new ValidationException(path, "wildcard '" + pattern + "' has consecutive '*'");
                    }
                    parts.add(cur.toString());
                    cur.setLength(0);
                } else {
                    cur.append(c);
                }
            }
            parts.add(cur.toString());
            return new Wildcard(List.copyOf(parts));
        }

        boolean matches(String s) {
            if (literals.size() == 1) {
                return s.equals(literals.get(0));
            }
            String first = literals.get(0);
            String last = literals.get(literals.size() - 1);
            if (!s.startsWith(first) || s.length() < first.length() + last.length()) {
                return false;
            }
            int pos = first.length();
            int end = s.length() - last.length();
            if (!s.startsWith(last, end)) {
                return false;
            }
            for (int i = 1; i < literals.size() - 1; i++) {
                int at = s.indexOf(literals.get(i), pos);
                if (at < 0 || at + literals.get(i).length() > end) {
                    return false;
                }
                pos = at + literals.get(i).length();
            }
            return true;
        }
    }

    /** An IPv4 CIDR block. */
    private record Cidr(long network, long mask) implements Matcher {
        static Cidr of(String block, String path) {
            String[] parts = block.split("/", -1);
            Long ip = parts.length == 2 ? ipv4(parts[0]) : null;
            int bits;
            try {
                bits = parts.length == 2 ? Integer.parseInt(parts[1]) : -1;
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (ip == null || bits < 0 || bits > 32) {
                throw new ValidationException(path, "cidr takes an IPv4 block like 10.0.0.0/24, found '" + block + "'");
            }
            long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
            return new Cidr(ip & mask, mask);
        }

        @Override
        public boolean matches(JsonNode value) {
            Long ip = value.isTextual() ? ipv4(value.textValue()) : null;
            return ip != null && (ip & mask) == network;
        }

        private static Long ipv4(String s) {
            String[] octets = s.split("\\.", -1);
            if (octets.length != 4) {
                return null;
            }
            long ip = 0;
            for (String o : octets) {
                if (o.isEmpty() || o.length() > 3 || !o.chars().allMatch(Character::isDigit)) {
                    return null;
                }
                int n = Integer.parseInt(o);
                if (n > 255) {
                    return null;
                }
                ip = (ip << 8) | n;
            }
            return ip;
        }
    }
}
