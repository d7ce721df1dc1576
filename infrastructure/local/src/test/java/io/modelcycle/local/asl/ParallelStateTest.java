package io.modelcycle.local.asl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Parallel states: branch outputs in branch order, failure of any branch fails the state. */
class ParallelStateTest extends AslTestSupport {

    @Test
    void outputIsTheArrayOfBranchOutputsInBranchOrder() {
        // GIVEN the guide's LookupCustomerInfo example shape: two branches over the same input
        String definition = """
                {"StartAt":"LookupCustomerInfo","States":{"LookupCustomerInfo":{"Type":"Parallel","End":true,
                  "Branches":[
                   {"StartAt":"LookupAddress","States":{"LookupAddress":{"Type":"Wait","Seconds":5,"Next":"A2"},
                     "A2":{"Type":"Pass","Parameters":{"address.$":"$.id"},"End":true}}},
                   {"StartAt":"LookupPhone","States":{"LookupPhone":{"Type":"Pass",
                     "Parameters":{"phone.$":"$.id"},"End":true}}}]}}}""";
        // WHEN it runs (the first branch finishes last)
        String arn = start(definition, "{\"id\":7}");
        scheduler.runUntilIdle();
        // THEN the outputs are in branch order, not completion order
        assertThat(json(executor.describe(arn).output())).isEqualTo(json("[{\"address\":7},{\"phone\":7}]"));
        assertThat(types(arn)).startsWith("ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted")
                .endsWith("ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded");
    }

    @Test
    void parametersResultSelectorAndResultPathApplyToTheWholeState() {
        String definition = single("""
                {"Type":"Parallel","Parameters":{"v.$":"$.x"},"ResultSelector":{"first.$":"$[0].v"},
                 "ResultPath":"$.r","End":true,"Branches":[
                  {"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}]}""");
        assertThat(output(definition, "{\"x\":3}")).isEqualTo(json("{\"x\":3,\"r\":{\"first\":3}}"));
    }

    @Test
    void aFailingBranchFailsTheStateWithItsErrorAndStopsTheOthers() {
        String definition = """
                {"StartAt":"Par","States":{"Par":{"Type":"Parallel","Next":"Never","Branches":[
                   {"StartAt":"Slow","States":{"Slow":{"Type":"Wait","Seconds":100,"Next":"After"},
                      "After":{"Type":"Pass","End":true}}},
                   {"StartAt":"Boom","States":{"Boom":{"Type":"Fail","Error":"BranchBroke","Cause":"no"}}}]},
                 "Never":{"Type":"Succeed"}}}""";
        String arn = start(definition, "{}");
        scheduler.runUntilIdle();
        var d = executor.describe(arn);
        assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(d.error()).isEqualTo("BranchBroke");
        assertThat(types(arn)).contains("ParallelStateFailed").doesNotContain("PassStateEntered");
        assertThat(d.stopDate()).as("it did not wait for the slow branch").isEqualTo(T0);
    }

    @Test
    void branchFailureCanBeCaught() {
        String definition = """
                {"StartAt":"Par","States":{"Par":{"Type":"Parallel","Next":"Done","Branches":[
                   {"StartAt":"Boom","States":{"Boom":{"Type":"Fail","Error":"E1","Cause":"c1"}}}],
                   "Catch":[{"ErrorEquals":["E1"],"ResultPath":"$.err","Next":"Done"}]},
                 "Done":{"Type":"Succeed"}}}""";
        assertThat(output(definition, "{\"in\":1}")).isEqualTo(json("{\"in\":1,\"err\":{\"Error\":\"E1\",\"Cause\":\"c1\"}}"));
    }

    @Test
    void nestedParallelInsideParallel() {
        String definition = single("""
                {"Type":"Parallel","End":true,"Branches":[
                  {"StartAt":"In","States":{"In":{"Type":"Parallel","End":true,"Branches":[
                    {"StartAt":"A","States":{"A":{"Type":"Pass","Result":"a","End":true}}},
                    {"StartAt":"B","States":{"B":{"Type":"Pass","Result":"b","End":true}}}]}}},
                  {"StartAt":"C","States":{"C":{"Type":"Pass","Result":"c","End":true}}}]}""");
        assertThat(output(definition, "{}")).isEqualTo(json("[[\"a\",\"b\"],\"c\"]"));
    }
}
