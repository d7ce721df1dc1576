package io.modelcycle.local.asl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The intrinsic functions, with the inputs and results of the Step Functions developer guide's examples, each run
 * through a Pass state's Parameters as a definition would use them.
 */
class IntrinsicFunctionsTest extends AslTestSupport {

    /** Runs {@code "r.$": call} in a Pass state's Parameters over {@code input} and returns r. */
    private com.fasterxml.jackson.databind.JsonNode eval(String call, String input) {
        String definition = single("{\"Type\":\"Pass\",\"Parameters\":{\"r.$\":" + quote(call) + "},\"End\":true}");
        return output(definition, input).get("r");
    }

    private ExecutionDescription evalFailure(String call, String input) {
        return failure(single("{\"Type\":\"Pass\",\"Parameters\":{\"r.$\":" + quote(call) + "},\"End\":true}"),
                input);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Test
    void format() {
        assertThat(eval("States.Format('Hello, my name is {}.', $.name)", "{\"name\":\"Arnav\"}"))
                .isEqualTo(json("\"Hello, my name is Arnav.\""));
        assertThat(eval("States.Format('{} has {} items: {}', $.n, $.c, $.ok)", "{\"n\":\"cart\",\"c\":3,\"ok\":true}"))
                .isEqualTo(json("\"cart has 3 items: true\""));
    }

    @Test
    void formatEscapesBracesAndQuotes() {
        assertThat(eval("States.Format('\\{\\} it\\'s {}', $.x)", "{\"x\":1}")).isEqualTo(json("\"{} it's 1\""));
    }

    @Test
    void formatWithTooFewArgumentsFailsWithIntrinsicFailure() {
        var d = evalFailure("States.Format('{} and {}', $.x)", "{\"x\":1}");
        assertThat(d.error()).isEqualTo("States.IntrinsicFailure");
        assertThat(d.cause()).contains("2 placeholder(s) but 1 argument(s)");
    }

    @Test
    void formatRefusesObjectArguments() {
        assertThat(evalFailure("States.Format('v={}', $.x)", "{\"x\":{\"a\":1}}").error())
                .isEqualTo("States.IntrinsicFailure");
    }

    @Test
    void stringToJsonAndJsonToString() {
        assertThat(eval("States.StringToJson($.escapedJsonString)", "{\"escapedJsonString\":\"{\\\"foo\\\": \\\"bar\\\"}\"}"))
                .isEqualTo(json("{\"foo\":\"bar\"}"));
        assertThat(eval("States.JsonToString($.unescapedJson)", "{\"unescapedJson\":{\"foo\":\"bar\"}}"))
                .isEqualTo(json("\"{\\\"foo\\\":\\\"bar\\\"}\""));
        assertThat(evalFailure("States.StringToJson($.s)", "{\"s\":\"{nope\"}").error())
                .isEqualTo("States.IntrinsicFailure");
    }

    @Test
    void array() {
        assertThat(eval("States.Array('Foo', 2020, $.someJson, null)", "{\"someJson\":{\"random\":\"abcdefg\"}}"))
                .isEqualTo(json("[\"Foo\",2020,{\"random\":\"abcdefg\"},null]"));
        assertThat(eval("States.Array()", "{}")).isEqualTo(json("[]"));
    }

    @Test
    void arrayPartition() {
        assertThat(eval("States.ArrayPartition($.inputArray, 4)", "{\"inputArray\":[1,2,3,4,5,6,7,8,9]}"))
                .isEqualTo(json("[[1,2,3,4],[5,6,7,8],[9]]"));
        assertThat(evalFailure("States.ArrayPartition($.a, 0)", "{\"a\":[1]}").error())
                .isEqualTo("States.IntrinsicFailure");
    }

    @Test
    void arrayContains() {
        assertThat(eval("States.ArrayContains($.inputArray, $.lookingFor)",
                "{\"inputArray\":[1,2,3,4,5,6,7,8,9],\"lookingFor\":5}")).isEqualTo(json("true"));
        assertThat(eval("States.ArrayContains($.a, 'x')", "{\"a\":[\"y\"]}")).isEqualTo(json("false"));
    }

    @Test
    void arrayRange() {
        assertThat(eval("States.ArrayRange(1, 9, 2)", "{}")).isEqualTo(json("[1,3,5,7,9]"));
        assertThat(eval("States.ArrayRange(5, 1, -2)", "{}")).isEqualTo(json("[5,3,1]"));
        assertThat(evalFailure("States.ArrayRange($.a, $.b, 1)", "{\"a\":0,\"b\":5000}").cause())
                .contains("at most 1000");
    }

    @Test
    void arrayGetItemLengthUnique() {
        assertThat(eval("States.ArrayGetItem($.inputArray, $.index)", "{\"inputArray\":[1,2,3,4,5,6,7,8,9],\"index\":5}"))
                .isEqualTo(json("6"));
        assertThat(eval("States.ArrayLength($.inputArray)", "{\"inputArray\":[1,2,3,4,5,6,7,8,9]}"))
                .isEqualTo(json("9"));
        assertThat(eval("States.ArrayUnique($.inputArray)", "{\"inputArray\":[1,2,3,3,3,3,3,3,4]}"))
                .isEqualTo(json("[1,2,3,4]"));
        assertThat(evalFailure("States.ArrayGetItem($.a, 3)", "{\"a\":[1]}").cause()).contains("out of bounds");
        assertThat(evalFailure("States.ArrayLength($.a)", "{\"a\":\"no\"}").cause())
                .contains("argument 1 must be an array");
    }

    @Test
    void base64() {
        assertThat(eval("States.Base64Encode($.input)", "{\"input\":\"Data to encode\"}"))
                .isEqualTo(json("\"RGF0YSB0byBlbmNvZGU=\""));
        assertThat(eval("States.Base64Decode($.base64)", "{\"base64\":\"RGF0YSB0byBlbmNvZGU=\"}"))
                .isEqualTo(json("\"Data to encode\""));
        assertThat(evalFailure("States.Base64Decode($.s)", "{\"s\":\"%%%\"}").error()).isEqualTo("States.IntrinsicFailure");
    }

    @ParameterizedTest
    @CsvSource({"MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"})
    void hash(String algorithm) {
        // THEN the digest is lower-case hex of the right length for the algorithm
        var r = eval("States.Hash($.Data, $.Algorithm)", "{\"Data\":\"input data\",\"Algorithm\":\"" + algorithm
                + "\"}").asText();
        int length = switch (algorithm) {
            case "MD5" -> 32;
            case "SHA-1" -> 40;
            case "SHA-256" -> 64;
            case "SHA-384" -> 96;
            default -> 128;
        };
        assertThat(r).hasSize(length).matches("[0-9a-f]+");
    }

    @Test
    void hashMatchesKnownDigestAndRefusesUnknownAlgorithms() {
        assertThat(eval("States.Hash('abc', 'SHA-256')", "{}").asText())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThatThrownBy(() -> StateMachine.parse(single(
                "{\"Type\":\"Pass\",\"Parameters\":{\"r.$\":\"States.Hash('abc', 'SHA-0')\"},\"End\":true}")))
                .isInstanceOf(AslDefinitionException.class).hasMessageContaining("unsupported hash algorithm");
    }

    @Test
    void jsonMergeIsShallow() {
        assertThat(eval("States.JsonMerge($.json1, $.json2, false)", """
                {"json1":{"a":{"a1":1,"a2":2},"b":2},"json2":{"a":{"a3":1,"a4":2},"c":3}}"""))
                .isEqualTo(json("{\"a\":{\"a3\":1,\"a4\":2},\"b\":2,\"c\":3}"));
        assertThat(evalFailure("States.JsonMerge($.a, $.b, $.deep)", "{\"a\":{},\"b\":{},\"deep\":true}").cause())
                .contains("deep merge");
    }

    @Test
    void mathRandomStaysInRangeAndIsRepeatableWithASeed() {
        for (int i = 0; i < 20; i++) {
            int r = eval("States.MathRandom($.start, $.end)", "{\"start\":1,\"end\":999}").asInt();
            assertThat(r).isBetween(1, 998);
        }
        assertThat(eval("States.MathRandom(1, 1000, 7)", "{}")).isEqualTo(eval("States.MathRandom(1, 1000, 7)", "{}"));
    }

    @Test
    void mathAdd() {
        assertThat(eval("States.MathAdd($.value1, $.step)", "{\"value1\":111,\"step\":-1}")).isEqualTo(json("110"));
        assertThat(evalFailure("States.MathAdd($.a, 1)", "{\"a\":1.5}").error()).isEqualTo("States.IntrinsicFailure");
    }

    @Test
    void stringSplit() {
        assertThat(eval("States.StringSplit($.inputString, $.splitter)", "{\"inputString\":\"1,2,3,4,5\",\"splitter\":\",\"}"))
                .isEqualTo(json("[\"1\",\"2\",\"3\",\"4\",\"5\"]"));
        assertThat(eval("States.StringSplit($.inputString, $.splitter)",
                "{\"inputString\":\"This.is+a,test=string\",\"splitter\":\".+,=\"}"))
                .isEqualTo(json("[\"This\",\"is\",\"a\",\"test\",\"string\"]"));
    }

    @Test
    void uuidIsAVersion4Uuid() {
        assertThat(eval("States.UUID()", "{}").asText())
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }

    @Test
    void nestedCallsFromTheGuide() {
        assertThat(eval("States.Format('{}.{}', States.ArrayGetItem(States.StringSplit($.Arn, '/'), 1),"
                + " States.ArrayLength(States.StringSplit($.Arn, '/')))", "{\"Arn\":\"a/b/c\"}"))
                .isEqualTo(json("\"b.3\""));
    }

    @Test
    void malformedCallsAreRefusedAtLoad() {
        for (String call : new String[] {"States.Nope(1)", "States.Format()", "States.ArrayLength(1, 2)",
                "States.UUID(", "States.Format('x)", "States.Array(1 2)", "States.Format('\\q')",
                "States.ArrayRange(1, 5000, 1)"}) {
            assertThatThrownBy(() -> StateMachine.parse(single("{\"Type\":\"Pass\",\"Parameters\":{\"r.$\":"
                    + quote(call) + "},\"End\":true}")))
                    .as(call).isInstanceOf(AslDefinitionException.class)
                    .hasMessageContaining("state 'S' field 'Parameters'").hasMessageContaining("'r.$'");
        }
    }

    @Test
    void missingPathArgumentFailsWithRuntimeError() {
        assertThat(evalFailure("States.ArrayLength($.missing)", "{}").error()).isEqualTo("States.Runtime");
    }
}
