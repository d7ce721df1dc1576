package io.modelcycle.local.asl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Choice rules: the specification's ChoiceStateX example, then every operator family. */
class ChoiceStateTest extends AslTestSupport {

    private static final String SPEC_EXAMPLE = """
            {"StartAt":"ChoiceStateX","States":{
              "ChoiceStateX":{"Type":"Choice","Choices":[
                {"Not":{"Variable":"$.type","StringEquals":"Private"},"Next":"Public"},
                {"Variable":"$.value","NumericEquals":0,"Next":"ValueIsZero"},
                {"And":[{"Variable":"$.value","NumericGreaterThanEquals":20},
                        {"Variable":"$.value","NumericLessThan":30}],"Next":"ValueInTwenties"}],
               "Default":"DefaultState"},
              "Public":{"Type":"Pass","Result":"Public","End":true},
              "ValueIsZero":{"Type":"Pass","Result":"ValueIsZero","End":true},
              "ValueInTwenties":{"Type":"Pass","Result":"ValueInTwenties","End":true},
              "DefaultState":{"Type":"Pass","Result":"DefaultState","End":true}}}""";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"type\":\"Public\"} | Public",
        "{\"type\":\"Private\",\"value\":0} | ValueIsZero",
        "{\"type\":\"Private\",\"value\":25} | ValueInTwenties",
        "{\"type\":\"Private\",\"value\":20.0} | ValueInTwenties",
        "{\"type\":\"Private\",\"value\":35} | DefaultState"})
    void specificationExampleTakesTheFirstMatchingRule(String input, String expected) {
        assertThat(output(SPEC_EXAMPLE, input).asText()).isEqualTo(expected);
    }

    private String rule(String rule) {
        return """
                {"StartAt":"C","States":{
                  "C":{"Type":"Choice","Choices":[%s],"Default":"No"},
                  "Yes":{"Type":"Pass","Result":true,"End":true},
                  "No":{"Type":"Pass","Result":false,"End":true}}}""".formatted(rule);
    }

    private boolean matches(String condition, String input) {
        return output(rule("{" + condition + ",\"Next\":\"Yes\"}"), input).asBoolean();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"Variable\":\"$.s\",\"StringEquals\":\"b\" | true",
        "\"Variable\":\"$.s\",\"StringLessThan\":\"c\" | true",
        "\"Variable\":\"$.s\",\"StringGreaterThan\":\"a\" | true",
        "\"Variable\":\"$.s\",\"StringLessThanEquals\":\"b\" | true",
        "\"Variable\":\"$.s\",\"StringGreaterThanEquals\":\"c\" | false",
        "\"Variable\":\"$.s\",\"StringEqualsPath\":\"$.t\" | true",
        "\"Variable\":\"$.s\",\"StringLessThanPath\":\"$.t\" | false",
        "\"Variable\":\"$.n\",\"NumericEquals\":3 | true",
        "\"Variable\":\"$.n\",\"NumericLessThan\":3.5 | true",
        "\"Variable\":\"$.n\",\"NumericGreaterThan\":3 | false",
        "\"Variable\":\"$.n\",\"NumericLessThanEquals\":3 | true",
        "\"Variable\":\"$.n\",\"NumericGreaterThanEquals\":4 | false",
        "\"Variable\":\"$.n\",\"NumericEqualsPath\":\"$.m\" | false",
        "\"Variable\":\"$.n\",\"NumericLessThanPath\":\"$.m\" | true",
        "\"Variable\":\"$.n\",\"NumericGreaterThanPath\":\"$.m\" | false",
        "\"Variable\":\"$.n\",\"NumericLessThanEqualsPath\":\"$.m\" | true",
        "\"Variable\":\"$.n\",\"NumericGreaterThanEqualsPath\":\"$.m\" | false",
        "\"Variable\":\"$.b\",\"BooleanEquals\":true | true",
        "\"Variable\":\"$.b\",\"BooleanEqualsPath\":\"$.f\" | false",
        "\"Variable\":\"$.ts\",\"TimestampEquals\":\"2016-03-14T01:59:00Z\" | true",
        "\"Variable\":\"$.ts\",\"TimestampLessThan\":\"2016-03-14T02:00:00Z\" | true",
        "\"Variable\":\"$.ts\",\"TimestampGreaterThan\":\"2016-03-14T01:00:00+01:00\" | true",
        "\"Variable\":\"$.ts\",\"TimestampLessThanEquals\":\"2016-03-14T01:59:00Z\" | true",
        "\"Variable\":\"$.ts\",\"TimestampGreaterThanEquals\":\"2017-01-01T00:00:00Z\" | false",
        "\"Variable\":\"$.ts\",\"TimestampEqualsPath\":\"$.ts2\" | false",
        "\"Variable\":\"$.ts\",\"TimestampLessThanPath\":\"$.ts2\" | true",
        "\"Variable\":\"$.ts\",\"TimestampGreaterThanPath\":\"$.ts2\" | false",
        "\"Variable\":\"$.ts\",\"TimestampLessThanEqualsPath\":\"$.ts2\" | true",
        "\"Variable\":\"$.ts\",\"TimestampGreaterThanEqualsPath\":\"$.ts2\" | false",
        "\"Variable\":\"$.s\",\"StringGreaterThanPath\":\"$.t\" | false",
        "\"Variable\":\"$.s\",\"StringLessThanEqualsPath\":\"$.t\" | true",
        "\"Variable\":\"$.s\",\"StringGreaterThanEqualsPath\":\"$.t\" | true",
        "\"Variable\":\"$.n\",\"StringEquals\":\"3\" | false",
        "\"Variable\":\"$.s\",\"NumericEquals\":3 | false",
        "\"Variable\":\"$.s\",\"TimestampEquals\":\"2016-03-14T01:59:00Z\" | false"})
    void comparisons(String condition, boolean expected) {
        String input = """
                {"s":"b","t":"b","n":3,"m":4,"b":true,"f":false,
                 "ts":"2016-03-14T01:59:00Z","ts2":"2016-03-15T00:00:00Z"}""";
        assertThat(matches(condition, input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"Variable\":\"$.missing\",\"IsPresent\":false | true",
        "\"Variable\":\"$.nil\",\"IsPresent\":true | true",
        "\"Variable\":\"$.nil\",\"IsNull\":true | true",
        "\"Variable\":\"$.n\",\"IsNull\":false | true",
        "\"Variable\":\"$.n\",\"IsNumeric\":true | true",
        "\"Variable\":\"$.s\",\"IsNumeric\":true | false",
        "\"Variable\":\"$.s\",\"IsString\":true | true",
        "\"Variable\":\"$.b\",\"IsBoolean\":true | true",
        "\"Variable\":\"$.ts\",\"IsTimestamp\":true | true",
        "\"Variable\":\"$.s\",\"IsTimestamp\":false | true",
        "\"Variable\":\"$.lower\",\"IsTimestamp\":true | false"})
    void typeTests(String condition, boolean expected) {
        String input = """
                {"s":"b","n":3,"b":true,"nil":null,"ts":"2016-03-14T01:59:00Z","lower":"2016-03-14t01:59:00z"}""";
        assertThat(matches(condition, input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "log-*.txt | log-2016.txt | true",
        "log-*.txt | log-2016.csv | false",
        "*.log | a.b.log | true",
        "foo*bar | foobar | true",
        "a\\\\*b | a*b | true",
        "a\\\\*b | axb | false",
        "a\\\\\\\\b | a\\\\b | true"})
    void stringMatchesWithWildcardsAndEscapes(String pattern, String value, boolean expected) {
        // pattern and value are JSON string contents: "a\\*b" in JSON is the pattern a\*b (a literal star)
        assertThat(matches("\"Variable\":\"$.v\",\"StringMatches\":\"" + pattern + "\"",
                "{\"v\":\"" + value + "\"}")).isEqualTo(expected);
    }

    @Test
    void orAndNotCombine() {
        String r = "{\"Or\":[{\"Variable\":\"$.a\",\"NumericEquals\":1},"
                + "{\"Not\":{\"Variable\":\"$.b\",\"StringEquals\":\"x\"}}],\"Next\":\"Yes\"}";
        assertThat(output(rule(r), "{\"a\":2,\"b\":\"x\"}").asBoolean()).isFalse();
        assertThat(output(rule(r), "{\"a\":1,\"b\":\"x\"}").asBoolean()).isTrue();
        assertThat(output(rule(r), "{\"a\":2,\"b\":\"y\"}").asBoolean()).isTrue();
    }

    @Test
    void noMatchWithoutDefaultFailsWithNoChoiceMatched() {
        String definition = """
                {"StartAt":"C","States":{
                  "C":{"Type":"Choice","Choices":[{"Variable":"$.a","NumericEquals":1,"Next":"Done"}]},
                  "Done":{"Type":"Succeed"}}}""";
        assertThat(failure(definition, "{\"a\":2}").error()).isEqualTo("States.NoChoiceMatched");
    }

    @Test
    void missingVariableIsARuntimeError() {
        var d = failure(rule("{\"Variable\":\"$.nope\",\"NumericEquals\":1,\"Next\":\"Yes\"}"), "{}");
        assertThat(d.error()).isEqualTo("States.Runtime");
        assertThat(d.cause()).contains("$.nope");
    }

    @Test
    void choiceAppliesInputPathAndOutputPath() {
        String definition = """
                {"StartAt":"C","States":{
                  "C":{"Type":"Choice","InputPath":"$.in","OutputPath":"$.v",
                       "Choices":[{"Variable":"$.v","IsPresent":true,"Next":"Done"}]},
                  "Done":{"Type":"Succeed"}}}""";
        assertThat(output(definition, "{\"in\":{\"v\":[7]}}")).isEqualTo(json("[7]"));
    }
}
