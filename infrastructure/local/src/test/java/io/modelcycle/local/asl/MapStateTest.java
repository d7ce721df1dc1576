package io.modelcycle.local.asl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import org.junit.jupiter.api.Test;

/** Inline Map states: ItemsPath, ItemSelector (and the older Parameters), ItemProcessor (and Iterator), limits. */
class MapStateTest extends AslTestSupport {

    @Test
    void guideExampleSelectsEachItemWithTheMapItemContext() {
        // GIVEN the guide's shipping example
        String definition = single("""
                {"Type":"Map","ItemsPath":"$.detail.shipped","ResultPath":"$.detail.shipped","End":true,
                 "ItemSelector":{"parcel.$":"$$.Map.Item.Value","courier.$":"$.detail.delivery-partner",
                                 "index.$":"$$.Map.Item.Index"},
                 "ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"Validate",
                   "States":{"Validate":{"Type":"Pass","End":true}}}}""");
        var out = output(definition, """
                {"ship-date":"2016-03-14T01:59:00Z","detail":{"delivery-partner":"UQS","shipped":[
                  {"prod":"R31","dest-code":9511,"quantity":1344},
                  {"prod":"S39","dest-code":9511,"quantity":40}]}}""");
        // THEN each item became {parcel, courier, index} and replaced the shipped list
        assertThat(out.at("/detail/shipped")).isEqualTo(json("""
                [{"parcel":{"prod":"R31","dest-code":9511,"quantity":1344},"courier":"UQS","index":0},
                 {"parcel":{"prod":"S39","dest-code":9511,"quantity":40},"courier":"UQS","index":1}]"""));
        assertThat(out.get("ship-date").asText()).isEqualTo("2016-03-14T01:59:00Z");
    }

    @Test
    void olderIteratorAndParametersSpellingsWork() {
        String definition = single("""
                {"Type":"Map","ItemsPath":"$.xs","Parameters":{"v.$":"$$.Map.Item.Value"},"End":true,
                 "Iterator":{"StartAt":"Double","States":{"Double":{"Type":"Pass",
                   "Parameters":{"d.$":"States.MathAdd($.v, $.v)"},"OutputPath":"$.d","End":true}}}}""");
        assertThat(output(definition, "{\"xs\":[1,2,3]}")).isEqualTo(json("[2,4,6]"));
    }

    @Test
    void emptyItemsGiveAnEmptyArrayAndNonArraysAreARuntimeError() {
        String definition = single("""
                {"Type":"Map","ItemsPath":"$.xs","End":true,
                 "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}""");
        assertThat(output(definition, "{\"xs\":[]}")).isEqualTo(json("[]"));
        var d = failure(definition, "{\"xs\":{\"a\":1}}");
        assertThat(d.error()).isEqualTo("States.Runtime");
        assertThat(d.cause()).contains("must select a JSON array");
    }

    @Test
    void maxConcurrencyLimitsIterationsInFlight() {
        // GIVEN iterations that wait for a task token, MaxConcurrency 2
        bindings.bind("Work", TaskHandler.sync(inv -> IntNode.valueOf(0)));
        String definition = single("""
                {"Type":"Map","MaxConcurrency":2,"End":true,
                 "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task",
                   "Resource":"Work.waitForTaskToken","End":true}}}}""");
        String arn = start(definition, "[1,2,3,4,5]");
        for (int round = 0; round < 3; round++) {
            scheduler.runReady();
            // THEN never more than two wait at once
            var waiting = executor.waitingTokens();
            assertThat(waiting).hasSizeBetween(1, 2);
            waiting.forEach(t -> executor.sendTaskSuccess(t, json("\"done\"")));
        }
        scheduler.runReady();
        assertThat(json(executor.describe(arn).output())).isEqualTo(json("[\"done\",\"done\",\"done\",\"done\",\"done\"]"));
    }

    @Test
    void maxConcurrencyZeroRunsAllAtOnce() {
        bindings.bind("Work", TaskHandler.sync(inv -> IntNode.valueOf(0)));
        String definition = single("""
                {"Type":"Map","MaxConcurrency":0,"End":true,
                 "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task",
                   "Resource":"Work.waitForTaskToken","End":true}}}}""");
        start(definition, "[1,2,3,4,5]");
        scheduler.runReady();
        assertThat(executor.waitingTokens()).hasSize(5);
    }

    private static final String FAILING_ODD = """
            {"Type":"Map","End":true,%s
             "ItemProcessor":{"StartAt":"C","States":{
               "C":{"Type":"Choice","Choices":[{"Variable":"$","NumericGreaterThan":%d,"Next":"Bad"}],"Default":"Ok"},
               "Bad":{"Type":"Fail","Error":"ItemFailed","Cause":"too big"},
               "Ok":{"Type":"Pass","End":true}}}}""";

    @Test
    void anyFailedIterationFailsTheMapWithItsError() {
        var d = failure(single(FAILING_ODD.formatted("", 3)), "[1,2,3,4,5]");
        assertThat(d.error()).isEqualTo("ItemFailed");
    }

    @Test
    void toleratedFailureCountLetsSomeItemsFail() {
        var out = output(single(FAILING_ODD.formatted("\"ToleratedFailureCount\":2,", 3)), "[1,2,3,4,5]");
        assertThat(out).isEqualTo(json("""
                [1,2,3,{"Error":"ItemFailed","Cause":"too big"},{"Error":"ItemFailed","Cause":"too big"}]"""));
        var d = failure(single(FAILING_ODD.formatted("\"ToleratedFailureCount\":1,", 3)), "[1,2,3,4,5]");
        assertThat(d.error()).isEqualTo("States.ExceedToleratedFailureThreshold");
    }

    @Test
    void toleratedFailurePercentage() {
        assertThat(output(single(FAILING_ODD.formatted("\"ToleratedFailurePercentage\":40,", 3)), "[1,2,3,4,5]"))
                .hasSize(5);
        assertThat(failure(single(FAILING_ODD.formatted("\"ToleratedFailurePercentage\":39,", 3)), "[1,2,3,4,5]")
                .error()).isEqualTo("States.ExceedToleratedFailureThreshold");
        assertThat(failure(single(FAILING_ODD.formatted("\"ToleratedFailurePercentagePath\":\"$[0]\",", 3)),
                "[1,2,3,4,5]").error()).isEqualTo("States.ExceedToleratedFailureThreshold");
    }

    @Test
    void historyHasIterationEvents() {
        String arn = start(single("""
                {"Type":"Map","End":true,"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}"""),
                "[10,20]");
        scheduler.runUntilIdle();
        var types = types(arn);
        assertThat(types).startsWith("ExecutionStarted", "MapStateEntered", "MapStateStarted")
                .endsWith("MapStateSucceeded", "MapStateExited", "ExecutionSucceeded");
        assertThat(types.stream().filter("MapIterationStarted"::equals)).hasSize(2);
        assertThat(types.stream().filter("MapIterationSucceeded"::equals)).hasSize(2);
        var started = executor.history(arn).stream().filter(e -> e.type().equals("MapStateStarted")).findFirst()
                .orElseThrow();
        assertThat(started.details().get("length").asInt()).isEqualTo(2);
    }

    @Test
    void maxConcurrencyPathReadsTheLimit() {
        bindings.bind("Work", TaskHandler.sync(inv -> IntNode.valueOf(0)));
        start(single("""
                {"Type":"Map","ItemsPath":"$.items","MaxConcurrencyPath":"$.limit","End":true,
                 "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task",
                   "Resource":"Work.waitForTaskToken","End":true}}}}"""), "{\"items\":[1,2,3,4],\"limit\":3}");
        scheduler.runReady();
        assertThat(executor.waitingTokens()).hasSize(3);
    }

    @Test
    void runtimeErrorsInAnIterationFailTheMapEvenWithTolerance() {
        var d = failure(single("""
                {"Type":"Map","ToleratedFailurePercentage":100,"End":true,
                 "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","InputPath":"$.missing","End":true}}}}"""),
                "[{}]");
        assertThat(d.error()).isEqualTo("States.Runtime");
    }
}
