package io.modelcycle.local.asl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Pass, Succeed and Fail states, after the examples of the States Language specification. */
class PassStateTest extends AslTestSupport {

    @Test
    void passWithResultAndResultPathPlacesTheResultInTheInput() {
        // GIVEN the specification's Pass example: Result {"x-datum": 0.381018, "y-datum": 622.2269926397355}
        String definition = single("""
                {"Type":"Pass","Result":{"x-datum":0.381018,"y-datum":622.2269926397355},
                 "ResultPath":"$.coords","End":true}""");
        // WHEN it runs on the specification's input
        var out = output(definition, "{\"georefOf\":\"Home\"}");
        // THEN the result is placed under coords, the input kept
        assertThat(out).isEqualTo(json("""
                {"georefOf":"Home","coords":{"x-datum":0.381018,"y-datum":622.2269926397355}}"""));
    }

    @Test
    void passWithoutResultPassesItsInputThrough() {
        assertThat(output(single("{\"Type\":\"Pass\",\"End\":true}"), "{\"a\":1}")).isEqualTo(json("{\"a\":1}"));
    }

    @Test
    void chainOfStatesRecordsEnteredAndExitedEventsInOrder() {
        String definition = """
                {"StartAt":"A","States":{
                  "A":{"Type":"Pass","Result":1,"ResultPath":"$.a","Next":"B"},
                  "B":{"Type":"Succeed"}}}""";
        String arn = start(definition, "{}");
        scheduler.runUntilIdle();
        assertThat(types(arn)).containsExactly("ExecutionStarted", "PassStateEntered", "PassStateExited",
                "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded");
        var events = executor.history(arn);
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).id()).isEqualTo(i + 1);
            assertThat(events.get(i).previousEventId()).isEqualTo(i);
        }
        assertThat(events.get(2).toJson().at("/stateExitedEventDetails/output").asText())
                .isEqualTo("{\"a\":1}");
    }

    @Test
    void failStateFailsTheExecutionWithItsErrorAndCause() {
        var d = failure(single("{\"Type\":\"Fail\",\"Error\":\"ErrorA\",\"Cause\":\"Kaiju attack\"}"), "{}");
        assertThat(d.error()).isEqualTo("ErrorA");
        assertThat(d.cause()).isEqualTo("Kaiju attack");
    }

    @Test
    void failStateTakesErrorAndCauseFromPathsAndIntrinsics() {
        var d = failure(single("""
                {"Type":"Fail","ErrorPath":"$.code","CausePath":"States.Format('order {} failed', $.id)"}"""),
                "{\"code\":\"OrderFailed\",\"id\":7}");
        assertThat(d.error()).isEqualTo("OrderFailed");
        assertThat(d.cause()).isEqualTo("order 7 failed");
    }

    @Test
    void succeedStateAppliesInputPathAndOutputPath() {
        assertThat(output(single("{\"Type\":\"Succeed\",\"InputPath\":\"$.a\",\"OutputPath\":\"$.b\"}"),
                "{\"a\":{\"b\":[1,2]}}")).isEqualTo(json("[1,2]"));
    }
}
