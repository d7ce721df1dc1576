package io.modelcycle.local.asl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * InputPath, Parameters, ResultSelector, ResultPath, OutputPath and the context object, with the examples of the
 * developer guide's "Processing input and output" pages.
 */
class InputOutputProcessingTest extends AslTestSupport {

    @BeforeEach
    void bindHello() {
        // the guide's HelloFunction: returns "Hello, <who>!"
        bindings.bind("HelloFunction", TaskHandler.sync(inv -> TextNode.valueOf("Hello, " + inv.input().path("who")
                .asText() + "!")));
        bindings.bind("Echo", inv -> CompletableFuture.completedFuture(inv.input()));
    }

    private static final String GUIDE_INPUT = """
            {"comment":"This is a test of the input and output of a Task state.","details":"Default example",
             "who":"AWS Step Functions"}""";

    private static String task(String fields) {
        return single("{\"Type\":\"Task\",\"Resource\":\"HelloFunction\"" + fields + ",\"End\":true}");
    }

    @Test
    void resultPathPlacesTheResultInTheInput() {
        assertThat(output(task(",\"ResultPath\":\"$.taskresult\""), GUIDE_INPUT)).isEqualTo(json("""
                {"comment":"This is a test of the input and output of a Task state.","details":"Default example",
                 "who":"AWS Step Functions","taskresult":"Hello, AWS Step Functions!"}"""));
    }

    @Test
    void resultPathDollarReplacesTheInputAndNullDiscardsTheResult() {
        assertThat(output(task(",\"ResultPath\":\"$\""), GUIDE_INPUT)).isEqualTo(json("\"Hello, AWS Step Functions!\""));
        assertThat(output(task(",\"ResultPath\":null"), GUIDE_INPUT)).isEqualTo(json(GUIDE_INPUT));
    }

    @Test
    void inputPathSelectsPartOfTheInput() {
        String definition = single("{\"Type\":\"Pass\",\"InputPath\":\"$.dataset2\",\"End\":true}");
        assertThat(output(definition, """
                {"comment":"Example for InputPath.","dataset1":{"val1":1,"val2":2,"val3":3},
                 "dataset2":{"val1":"a","val2":"b","val3":"c"}}"""))
                .isEqualTo(json("{\"val1\":\"a\",\"val2\":\"b\",\"val3\":\"c\"}"));
    }

    @Test
    void inputPathNullGivesAnEmptyObjectAndOutputPathNullToo() {
        assertThat(output(single("{\"Type\":\"Pass\",\"InputPath\":null,\"End\":true}"), "{\"a\":1}"))
                .isEqualTo(json("{}"));
        assertThat(output(single("{\"Type\":\"Pass\",\"OutputPath\":null,\"End\":true}"), "{\"a\":1}"))
                .isEqualTo(json("{}"));
    }

    @Test
    void parametersSelectWithDollarKeysAndKeepStaticValues() {
        String definition = single("""
                {"Type":"Task","Resource":"Echo","Parameters":{"comment":"Selecting what I care about.",
                 "MyDetails":{"size.$":"$.product.details.size","exists.$":"$.product.availability",
                 "StaticValue":"foo"}},"End":true}""");
        assertThat(output(definition, """
                {"comment":"Example for Parameters.","product":{"details":{"color":"blue","size":"small",
                 "material":"cotton"},"availability":"in stock","sku":"2317","cost":"$23"}}""")).isEqualTo(json("""
                {"comment":"Selecting what I care about.","MyDetails":{"size":"small","exists":"in stock",
                 "StaticValue":"foo"}}"""));
    }

    @Test
    void resultSelectorReshapesTheResultBeforeResultPath() {
        bindings.bind("arn:aws:states:::elasticmapreduce:createCluster.sync", TaskHandler.sync(inv -> json("""
                {"resourceType":"elasticmapreduce","resource":"createCluster.sync",
                 "output":{"SdkHttpMetadata":{"HttpStatusCode":200},"SdkResponseMetadata":{"RequestId":"1234"},
                 "ClusterId":"AKIAIOSFODNN7EXAMPLE"}}""")));
        String definition = single("""
                {"Type":"Task","Resource":"arn:aws:states:::elasticmapreduce:createCluster.sync",
                 "ResultSelector":{"ClusterId.$":"$.output.ClusterId","ResourceType.$":"$.resourceType"},
                 "ResultPath":"$.EMROutput","End":true}""");
        assertThat(output(definition, "{\"in\":1}")).isEqualTo(json("""
                {"in":1,"EMROutput":{"ClusterId":"AKIAIOSFODNN7EXAMPLE","ResourceType":"elasticmapreduce"}}"""));
    }

    @Test
    void outputPathSelectsFromTheCombinedOutput() {
        assertThat(output(task(",\"ResultPath\":\"$.taskresult\",\"OutputPath\":\"$.taskresult\""), GUIDE_INPUT))
                .isEqualTo(json("\"Hello, AWS Step Functions!\""));
    }

    @Test
    void contextObjectIsReachableWithDoubleDollar() {
        String definition = single("""
                {"Type":"Pass","Parameters":{"execution.$":"$$.Execution.Id","name.$":"$$.Execution.Name",
                 "input.$":"$$.Execution.Input","state.$":"$$.State.Name","entered.$":"$$.State.EnteredTime",
                 "machine.$":"$$.StateMachine.Name","retries.$":"$$.State.RetryCount"},"End":true}""");
        String arn = start(definition, "{\"k\":\"v\"}");
        scheduler.runUntilIdle();
        var out = json(executor.describe(arn).output());
        assertThat(out.get("execution").asText()).isEqualTo(arn);
        assertThat(arn).endsWith(":" + out.get("name").asText());
        assertThat(out.get("input")).isEqualTo(json("{\"k\":\"v\"}"));
        assertThat(out.get("state").asText()).isEqualTo("S");
        assertThat(out.get("entered").asText()).isEqualTo(T0.toString());
        assertThat(out.get("machine").asText()).startsWith("machine-");
        assertThat(out.get("retries").asInt()).isZero();
    }

    @Test
    void resultPathThatDoesNotFitTheInputFailsWithResultPathMatchFailure() {
        var d = failure(single("{\"Type\":\"Pass\",\"Result\":1,\"ResultPath\":\"$.a.b\",\"End\":true}"),
                "{\"a\":\"text\"}");
        assertThat(d.error()).isEqualTo("States.ResultPathMatchFailure");
    }

    @Test
    void resultPathMatchFailureOfATaskCanBeCaught() {
        String definition = """
                {"StartAt":"T","States":{
                  "T":{"Type":"Task","Resource":"HelloFunction","ResultPath":"$.a.b",
                       "Catch":[{"ErrorEquals":["States.ResultPathMatchFailure"],"Next":"Caught"}],"End":true},
                  "Caught":{"Type":"Pass","End":true}}}""";
        assertThat(output(definition, "[1]").get("Error").asText()).isEqualTo("States.ResultPathMatchFailure");
    }

    @Test
    void missingInputPathOrParameterPathIsARuntimeErrorThatStatesAllDoesNotCatch() {
        String definition = """
                {"StartAt":"T","States":{
                  "T":{"Type":"Task","Resource":"Echo","Parameters":{"x.$":"$.missing"},
                       "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],"End":true},
                  "Caught":{"Type":"Pass","End":true}}}""";
        var d = failure(definition, "{\"present\":1}");
        assertThat(d.error()).isEqualTo("States.Runtime");
        assertThat(d.cause()).contains("The JSONPath '$.missing' specified for the field 'x.$' could not be found");
        assertThat(failure(single("{\"Type\":\"Pass\",\"InputPath\":\"$.nope\",\"End\":true}"), "{}").cause())
                .contains("$.nope");
    }

    @Test
    void indefinitePathsInParametersYieldArrays() {
        String definition = single("{\"Type\":\"Pass\",\"Parameters\":{\"ids.$\":\"$.items[*].id\"},\"End\":true}");
        assertThat(output(definition, "{\"items\":[{\"id\":1},{\"id\":2}]}")).isEqualTo(json("{\"ids\":[1,2]}"));
    }

    @Test
    void outputsOverTheQuotaFailWithDataLimitExceededWhichStatesAllDoesNotCatch() {
        bindings.bind("Big", TaskHandler.sync(inv -> TextNode.valueOf("x".repeat(300_000))));
        String definition = """
                {"StartAt":"T","States":{
                  "T":{"Type":"Task","Resource":"Big","Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],
                       "End":true},
                  "Caught":{"Type":"Pass","End":true}}}""";
        assertThat(failure(definition, "{}").error()).isEqualTo("States.DataLimitExceeded");
    }
}
