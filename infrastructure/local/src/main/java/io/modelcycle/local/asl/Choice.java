package io.modelcycle.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A compiled Choice rule: a comparison of a {@code Variable} (every operator of the specification, with its
 * {@code …Path} form), a type test ({@code IsNull}, {@code IsPresent}, {@code IsNumeric}, {@code IsString},
 * {@code IsBoolean}, {@code IsTimestamp}) or a combination ({@code And}, {@code Or}, {@code Not}).
 *
 * <p>As in Step Functions, a comparison whose operands have different types is false (not an error), and a
 * {@code Variable} that selects nothing fails with {@code States.Runtime} except under {@code IsPresent}.
 */
abstract class Choice {

    private static final Set<String> STRING_OPS = Set.of("StringEquals", "StringLessThan", "StringGreaterThan",
            "StringLessThanEquals", "StringGreaterThanEquals");
    private static final Set<String> NUMERIC_OPS = Set.of("NumericEquals", "NumericLessThan", "NumericGreaterThan",
            "NumericLessThanEquals", "NumericGreaterThanEquals");
    private static final Set<String> TIMESTAMP_OPS = Set.of("TimestampEquals", "TimestampLessThan",
            "TimestampGreaterThan", "TimestampLessThanEquals", "TimestampGreaterThanEquals");
    private static final Set<String> TYPE_TESTS = Set.of("IsNull", "IsPresent", "IsNumeric", "IsString",
            "IsBoolean", "IsTimestamp");

    abstract boolean matches(Scope scope);

    /** A top-level rule with its target state. */
    record Branch(Choice rule, String next) {
    }

    /**
     * Compiles one rule.
     *
     * @param topLevel top-level rules carry {@code Next}; nested ones must not
     */
    static Choice compile(JsonNode rule, String where, boolean topLevel, List<String> problems) {
        if (!rule.isObject()) {
            problems.add(where + ": a choice rule must be an object but was " + rule);
            return null;
        }
        List<String> operators = new ArrayList<>();
        for (Iterator<String> it = rule.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (field.equals("Variable") || field.equals("Comment")) {
                continue;
            }
            if (field.equals("Next")) {
                if (!topLevel) {
                    problems.add(where + ": field 'Next' is only allowed on top-level choice rules");
                }
                continue;
            }
            if (isOperator(field)) {
                operators.add(field);
            } else {
                problems.add(where + ": unknown field '" + field + "' in a choice rule");
            }
        }
        if (topLevel && !rule.path("Next").isTextual()) {
            problems.add(where + ": field 'Next' is required on a top-level choice rule and must be a string");
        }
        if (operators.size() != 1) {
            problems.add(where + ": a choice rule needs exactly one operator but has "
                    + (operators.isEmpty() ? "none" : operators));
            return null;
        }
        String op = operators.get(0);
        JsonNode value = rule.get(op);
        switch (op) {
            case "And", "Or" -> {
                if (rule.has("Variable")) {
                    problems.add(where + ": field 'Variable' is not allowed with '" + op + "'");
                }
                if (!value.isArray() || value.isEmpty()) {
                    problems.add(where + ".'" + op + "': must be a non-empty array of rules");
                    return null;
                }
                List<Choice> rules = new ArrayList<>();
                for (int i = 0; i < value.size(); i++) {
                    rules.add(compile(value.get(i), where + "." + op + "[" + i + "]", false, problems));
                }
                return new Combination(op.equals("And"), rules);
            }
            case "Not" -> {
                if (rule.has("Variable")) {
                    problems.add(where + ": field 'Variable' is not allowed with 'Not'");
                }
                Choice inner = compile(value, where + ".Not", false, problems);
                return new Negation(inner);
            }
            default -> {
                JsonNode variable = rule.get("Variable");
                if (variable == null || !variable.isTextual()) {
                    problems.add(where + ": field 'Variable' is required with '" + op + "' and must be a path");
                    return null;
                }
                JsonPath path = path(variable.textValue(), where + ".Variable", problems);
                if (op.endsWith("Path") && !op.equals("StringMatches")) {
                    if (!value.isTextual()) {
                        problems.add(where + "." + op + ": must be a path string but was " + value);
                        return null;
                    }
                    JsonPath other = path(value.textValue(), where + "." + op, problems);
                    return path == null || other == null ? null
                            : new Comparison(path, op.substring(0, op.length() - 4), null, other);
                }
                if (!checkLiteral(op, value, where, problems)) {
                    return null;
                }
                return path == null ? null : new Comparison(path, op, value, null);
            }
        }
    }

    private static JsonPath path(String text, String where, List<String> problems) {
        try {
            return JsonPath.compile(text);
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + e.getMessage());
            return null;
        }
    }

    private static boolean isOperator(String field) {
        String base = field.endsWith("Path") ? field.substring(0, field.length() - 4) : field;
        return field.equals("And") || field.equals("Or") || field.equals("Not") || field.equals("StringMatches")
                || TYPE_TESTS.contains(field) || STRING_OPS.contains(base) || NUMERIC_OPS.contains(base)
                || TIMESTAMP_OPS.contains(base) || base.equals("BooleanEquals");
    }

    private static boolean checkLiteral(String op, JsonNode value, String where, List<String> problems) {
        boolean ok;
        String expected;
        if (STRING_OPS.contains(op) || op.equals("StringMatches")) {
            ok = value.isTextual();
            expected = "a string";
        } else if (NUMERIC_OPS.contains(op)) {
            ok = value.isNumber();
            expected = "a number";
        } else if (TIMESTAMP_OPS.contains(op)) {
            ok = value.isTextual() && timestamp(value) != null;
            expected = "an RFC 3339 timestamp such as 2016-03-14T01:59:00Z";
        } else {
            ok = value.isBoolean();
            expected = "true or false";
        }
        if (!ok) {
            problems.add(where + "." + op + ": must be " + expected + " but was " + value);
        }
        return ok;
    }

    /** Parses an RFC 3339 timestamp (uppercase T and Z, as the specification requires), or null. */
    static Instant timestamp(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return null;
        }
        String s = node.textValue();
        if (s.indexOf('T') < 0 || s.indexOf('t') >= 0 || s.indexOf('z') >= 0) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** JSON equality where numbers compare by value (1 equals 1.0). */
    static boolean jsonEquals(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!jsonEquals(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> e : a.properties()) {
                JsonNode other = b.get(e.getKey());
                if (other == null || !jsonEquals(e.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static final class Combination extends Choice {
        private final boolean and;
        private final List<Choice> rules;

        Combination(boolean and, List<Choice> rules) {
            this.and = and;
            this.rules = rules;
        }

        @Override
        boolean matches(Scope scope) {
            for (Choice rule : rules) {
                if (rule.matches(scope) != and) {
                    return !and;
                }
            }
            return and;
        }
    }

    private static final class Negation extends Choice {
        private final Choice inner;

        Negation(Choice inner) {
            this.inner = inner;
        }

        @Override
        boolean matches(Scope scope) {
            return !inner.matches(scope);
        }
    }

    private static final class Comparison extends Choice {
        private final JsonPath variable;
        private final String op;
        private final JsonNode literal;
        private final JsonPath otherPath;
        private final Pattern pattern;

        Comparison(JsonPath variable, String op, JsonNode literal, JsonPath otherPath) {
            this.variable = variable;
            this.op = op;
            this.literal = literal;
            this.otherPath = otherPath;
            this.pattern = op.equals("StringMatches") ? wildcard(literal.textValue()) : null;
        }

        @Override
        boolean matches(Scope scope) {
            JsonNode value = variable.find(scope.input(), scope.context());
            if (op.equals("IsPresent")) {
                return (value != null) == literal.booleanValue();
            }
            if (value == null) {
                throw StatesError.runtime("Invalid path '" + variable + "': The choice state's condition path"
                        + " references an invalid value.");
            }
            JsonNode expected = literal;
            if (otherPath != null) {
                expected = otherPath.find(scope.input(), scope.context());
                if (expected == null) {
                    throw StatesError.runtime("Invalid path '" + otherPath + "': The choice state's condition path"
                            + " references an invalid value.");
                }
            }
            return switch (op) {
                case "IsNull" -> value.isNull() == literal.booleanValue();
                case "IsNumeric" -> value.isNumber() == literal.booleanValue();
                case "IsString" -> value.isTextual() == literal.booleanValue();
                case "IsBoolean" -> value.isBoolean() == literal.booleanValue();
                case "IsTimestamp" -> (timestamp(value) != null) == literal.booleanValue();
                case "StringMatches" -> value.isTextual() && pattern.matcher(value.textValue()).matches();
                case "BooleanEquals" -> value.isBoolean() && expected.isBoolean()
                        && value.booleanValue() == expected.booleanValue();
                default -> compare(value, expected);
            };
        }

        private boolean compare(JsonNode value, JsonNode expected) {
            Integer cmp;
            if (op.startsWith("String")) {
                cmp = value.isTextual() && expected.isTextual() ? value.textValue().compareTo(expected.textValue())
                        : null;
            } else if (op.startsWith("Numeric")) {
                cmp = value.isNumber() && expected.isNumber()
                        ? value.decimalValue().compareTo(expected.decimalValue()) : null;
            } else {
                Instant a = timestamp(value);
                Instant b = timestamp(expected);
                cmp = a != null && b != null ? a.compareTo(b) : null;
            }
            if (cmp == null) {
                return false;
            }
            String relation = op.replaceFirst("^(String|Numeric|Timestamp)", "");
            return switch (relation) {
                case "Equals" -> cmp == 0;
                case "LessThan" -> cmp < 0;
                case "GreaterThan" -> cmp > 0;
                case "LessThanEquals" -> cmp <= 0;
                case "GreaterThanEquals" -> cmp >= 0;
                default -> throw new IllegalStateException(op);
            };
        }

        /** {@code *} matches any run of characters; {@code \*} is a literal star and {@code \\} a backslash. */
        private static Pattern wildcard(String glob) {
            StringBuilder regex = new StringBuilder();
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                if (c == '\\' && i + 1 < glob.length()) {
                    regex.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                } else if (c == '*') {
                    regex.append(".*");
                } else {
                    regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return Pattern.compile(regex.toString(), Pattern.DOTALL);
        }
    }
}
