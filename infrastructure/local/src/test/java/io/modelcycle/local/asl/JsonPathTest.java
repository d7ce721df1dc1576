package io.modelcycle.local.asl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The JSONPath dialect, on the store example of the Jayway documentation that Step Functions' guide refers to. */
class JsonPathTest {

    private static final JsonNode STORE = AslTestSupport.json("""
            {"store":{"book":[
              {"category":"reference","author":"Nigel Rees","title":"Sayings of the Century","price":8.95},
              {"category":"fiction","author":"Evelyn Waugh","title":"Sword of Honour","price":12.99},
              {"category":"fiction","author":"Herman Melville","title":"Moby Dick","isbn":"0-553-21311-3","price":8.99},
              {"category":"fiction","author":"J. R. R. Tolkien","title":"The Lord of the Rings","price":22.99}],
             "bicycle":{"color":"red","price":19.95}},
             "odd key":{"a.b":1}}""");

    private static JsonNode find(String path) {
        return JsonPath.compile(path).find(STORE, AslTestSupport.json("{\"Execution\":{\"Id\":\"x\"}}"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "$.store.bicycle.color | \"red\"",
        "$['store']['bicycle']['price'] | 19.95",
        "$.store.book[0].author | \"Nigel Rees\"",
        "$.store.book[-1].title | \"The Lord of the Rings\"",
        "$['odd key']['a.b'] | 1",
        "$$.Execution.Id | \"x\""})
    void definitePathsSelectOneNode(String path, String expected) {
        assertThat(find(path)).isEqualTo(AslTestSupport.json(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "$.store.book[*].author | [\"Nigel Rees\",\"Evelyn Waugh\",\"Herman Melville\",\"J. R. R. Tolkien\"]",
        "$..price | [8.95,12.99,8.99,22.99,19.95]",
        "$.store.book[1:3].price | [12.99,8.99]",
        "$.store.book[:2].price | [8.95,12.99]",
        "$.store.book[-2:].price | [8.99,22.99]",
        "$.store.book[0,2].price | [8.95,8.99]",
        "$.store.book[?(@.isbn)].title | [\"Moby Dick\"]",
        "$.store.book[?(@.price < 10)].title | [\"Sayings of the Century\",\"Moby Dick\"]",
        "$.store.book[?(@.category == 'fiction' && @.price > 20)].author | [\"J. R. R. Tolkien\"]",
        "$.store.bicycle.* | [\"red\",19.95]",
        "$.nothing[*] | []"})
    void indefinitePathsYieldArrays(String path, String expected) {
        assertThat(find(path)).isEqualTo(AslTestSupport.json(expected));
    }

    @Test
    void missingDefinitePathIsNullAndReadFailsWithRuntimeError() {
        assertThat(find("$.store.car")).isNull();
        assertThatThrownBy(() -> JsonPath.compile("$.store.car").read(STORE, null, "InputPath"))
                .isInstanceOfSatisfying(StatesError.class, e -> {
                    assertThat(e.error()).isEqualTo("States.Runtime");
                    assertThat(e.cause()).contains("$.store.car").contains("InputPath");
                });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"store", "$.", "$.a..", "$[", "$['a'", "$[1:2:0]", "$.a b", "$[?(@.a ==)]",
        "$.a[x]", "$[\"a]"})
    void malformedPathsAreRefused(String path) {
        assertThatThrownBy(() -> JsonPath.compile(path)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(path);
    }

    @Test
    void referencePathsAreNamesAndIndexesOnly() {
        assertThat(JsonPath.compile("$.a.b[0]['c']").isReferencePath()).isTrue();
        assertThat(JsonPath.compile("$.a[*]").isReferencePath()).isFalse();
        assertThat(JsonPath.compile("$..a").isReferencePath()).isFalse();
        assertThat(JsonPath.compile("$.a[-1]").isReferencePath()).isFalse();
    }

    @Test
    void setCreatesMissingObjectsAndRefusesImpossibleShapes() {
        JsonNode input = AslTestSupport.json("{\"a\":{\"b\":1},\"s\":\"text\",\"arr\":[1,2]}");
        assertThat(JsonPath.compile("$.x.y").set(input, AslTestSupport.json("5")))
                .isEqualTo(AslTestSupport.json("{\"a\":{\"b\":1},\"s\":\"text\",\"arr\":[1,2],\"x\":{\"y\":5}}"));
        assertThat(JsonPath.compile("$.arr[1]").set(input, AslTestSupport.json("9")).get("arr"))
                .isEqualTo(AslTestSupport.json("[1,9]"));
        assertThat(input.get("arr")).as("the input is not modified").isEqualTo(AslTestSupport.json("[1,2]"));
        assertThatThrownBy(() -> JsonPath.compile("$.s.t").set(input, AslTestSupport.json("1")))
                .isInstanceOfSatisfying(StatesError.class,
                        e -> assertThat(e.error()).isEqualTo("States.ResultPathMatchFailure"));
        assertThatThrownBy(() -> JsonPath.compile("$.arr[5]").set(input, AslTestSupport.json("1")))
                .isInstanceOf(StatesError.class);
    }
}
