package io.modelcycle.local.asl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Loading refuses definitions that cannot run, naming the state and field at fault, before anything runs. */
class DefinitionValidationTest {

    private static void refused(String definition, String... fragments) {
        assertThatThrownBy(() -> StateMachine.parse(definition)).isInstanceOf(AslDefinitionException.class)
                .satisfies(e -> {
                    for (String f : fragments) {
                        assertThat(e.getMessage()).contains(f);
                    }
                });
    }

    private static String one(String state) {
        return "{\"StartAt\":\"S\",\"States\":{\"S\":" + state + "}}";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown type | {\"Type\":\"Sleep\",\"End\":true} | state 'S' field 'Type' | unknown state type \"Sleep\"",
        "missing type | {\"End\":true} | state 'S' field 'Type' | is required",
        "unknown field | {\"Type\":\"Pass\",\"Ned\":true,\"End\":true} | state 'S' | unknown field 'Ned'",
        "field of another type | {\"Type\":\"Pass\",\"Resource\":\"x\",\"End\":true} | state 'S' | unknown field 'Resource'",
        "neither Next nor End | {\"Type\":\"Pass\"} | state 'S' | neither 'Next' nor 'End: true'",
        "both Next and End | {\"Type\":\"Pass\",\"Next\":\"S\",\"End\":true} | state 'S' | both 'Next' and 'End'",
        "malformed InputPath | {\"Type\":\"Pass\",\"InputPath\":\"$.a[\",\"End\":true} | state 'S' field 'InputPath' | malformed path",
        "ResultPath not a reference path | {\"Type\":\"Pass\",\"ResultPath\":\"$.a[*]\",\"End\":true} | state 'S' field 'ResultPath' | reference path",
        "malformed Parameters path | {\"Type\":\"Pass\",\"Parameters\":{\"a.$\":\"nope\"},\"End\":true} | state 'S' field 'Parameters' | 'a.$'",
        "non-string dollar value | {\"Type\":\"Pass\",\"Parameters\":{\"a.$\":5},\"End\":true} | state 'S' field 'Parameters' | must be a path",
        "task without Resource | {\"Type\":\"Task\",\"End\":true} | state 'S' field 'Resource' | is required",
        "heartbeat not below timeout | {\"Type\":\"Task\",\"Resource\":\"x\",\"TimeoutSeconds\":5,\"HeartbeatSeconds\":5,\"End\":true} | state 'S' field 'HeartbeatSeconds' | smaller than TimeoutSeconds",
        "wait with two times | {\"Type\":\"Wait\",\"Seconds\":1,\"SecondsPath\":\"$.s\",\"End\":true} | state 'S' | exactly one of Seconds",
        "bad timestamp | {\"Type\":\"Wait\",\"Timestamp\":\"tomorrow\",\"End\":true} | state 'S' field 'Timestamp' | RFC 3339",
        "fail with Error and ErrorPath | {\"Type\":\"Fail\",\"Error\":\"a\",\"ErrorPath\":\"$.e\"} | state 'S' | both 'Error' and 'ErrorPath'",
        "choice without Choices | {\"Type\":\"Choice\"} | state 'S' field 'Choices' | non-empty array",
        "choice rule without Next | {\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.a\",\"IsNull\":true}],\"Default\":\"S\"} | Choices[0] | 'Next' is required",
        "choice literal of wrong type | {\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.a\",\"NumericEquals\":\"1\",\"Next\":\"S\"}]} | Choices[0] | must be a number",
        "choice unknown operator | {\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.a\",\"NumberEquals\":1,\"Next\":\"S\"}]} | Choices[0] | unknown field 'NumberEquals'",
        "retry States.ALL not alone | {\"Type\":\"Task\",\"Resource\":\"x\",\"Retry\":[{\"ErrorEquals\":[\"States.ALL\",\"X\"]}],\"End\":true} | Retry[0]' | must appear alone",
        "retry bad backoff | {\"Type\":\"Task\",\"Resource\":\"x\",\"Retry\":[{\"ErrorEquals\":[\"X\"],\"BackoffRate\":0.5}],\"End\":true} | Retry[0]'.BackoffRate | at least 1.0",
        "retry bad jitter | {\"Type\":\"Task\",\"Resource\":\"x\",\"Retry\":[{\"ErrorEquals\":[\"X\"],\"JitterStrategy\":\"HALF\"}],\"End\":true} | JitterStrategy | FULL or NONE",
        "catch without Next | {\"Type\":\"Task\",\"Resource\":\"x\",\"Catch\":[{\"ErrorEquals\":[\"X\"]}],\"End\":true} | Catch[0]'.Next | is required",
        "map without processor | {\"Type\":\"Map\",\"End\":true} | state 'S' field 'ItemProcessor' | is required",
        "distributed map | {\"Type\":\"Map\",\"ItemReader\":{},\"ItemProcessor\":{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}},\"End\":true} | field 'ItemReader' | distributed Map",
        "jsonata | {\"Type\":\"Pass\",\"QueryLanguage\":\"JSONata\",\"End\":true} | field 'QueryLanguage' | only JSONPath",
        "variables | {\"Type\":\"Pass\",\"Assign\":{\"a\":1},\"End\":true} | field 'Assign' | not supported",
        "lambda invoke without FunctionName | {\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\",\"End\":true} | state 'S' field 'Parameters' | FunctionName"})
    void refusesWithStateAndField(String what, String state, String where, String why) {
        refused(one(state), where, why);
    }

    @Test
    void nextNamingNoStateIsRefused() {
        refused("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"Bee\"},\"B\":{\"Type\":\"Succeed\"}}}",
                "state 'A' field 'Next'", "no state named 'Bee'");
    }

    @Test
    void unreachableStatesAreRefused() {
        refused("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Succeed\"},\"Lost\":{\"Type\":\"Succeed\"}}}",
                "state 'Lost'", "unreachable");
    }

    @Test
    void startAtNamingNoStateIsRefused() {
        refused("{\"StartAt\":\"Nope\",\"States\":{\"A\":{\"Type\":\"Succeed\"}}}", "field 'StartAt'",
                "no state named 'Nope'");
    }

    @Test
    void problemsInsideBranchesNameTheirPlace() {
        refused(one("""
                {"Type":"Parallel","End":true,"Branches":[{"StartAt":"X","States":{
                  "X":{"Type":"Pass","Next":"Y"}}}]}"""), "state 'S' > Branches[0] > state 'X' field 'Next'",
                "no state named 'Y'");
        refused(one("""
                {"Type":"Map","End":true,"ItemProcessor":{"StartAt":"X","States":{
                  "X":{"Type":"Pass","Bogus":1,"End":true}}}}"""), "state 'S' > ItemProcessor > state 'X'",
                "unknown field 'Bogus'");
    }

    @Test
    void everyProblemIsListedAtOnce() {
        assertThatThrownBy(() -> StateMachine.parse("""
                {"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nope"},"B":{"Type":"Sleep"}}}"""))
                .isInstanceOfSatisfying(AslDefinitionException.class,
                        e -> assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(2));
    }

    @Test
    void unknownTopLevelFieldsAndNonJsonAreRefused() {
        refused("{\"StartAt\":\"S\",\"Version\":\"1.0\",\"Timeout\":3,\"States\":{\"S\":{\"Type\":\"Succeed\"}}}",
                "the state machine", "unknown field 'Timeout'");
        refused("{\"StartAt\":", "not valid JSON");
    }

    @Test
    void aValidDefinitionLoads() {
        StateMachine m = StateMachine.parse("""
                {"Comment":"ok","Version":"1.0","TimeoutSeconds":10,"QueryLanguage":"JSONPath","StartAt":"A",
                 "States":{"A":{"Type":"Pass","Comment":"c","Next":"B"},"B":{"Type":"Succeed"}}}""");
        assertThat(m.timeoutSeconds()).isEqualTo(10);
        assertThat(m.comment()).isEqualTo("ok");
    }
}
