package io.modelcycle.local.asl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random strings used as JSONPaths and as intrinsic function calls never crash the executor: they are refused
 * when the definition loads, or the execution fails with a States error (States.Runtime, or
 * States.IntrinsicFailure for a well-formed call with bad arguments). Nothing else escapes.
 */
class AslPropertiesTest {

    private static final Set<String> RUN_TIME_ERRORS = Set.of("States.Runtime", "States.IntrinsicFailure");
    private static Path home;
    private static VirtualScheduler scheduler;
    private static AslExecutor executor;
    private static int machines;

    @BeforeContainer
    static void open() throws Exception {
        home = Files.createTempDirectory("asl-properties");
        scheduler = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        executor = AslExecutor.builder().home(home).scheduler(scheduler).random(new Random(1)).build();
    }

    @AfterContainer
    static void close() {
        executor.close();
    }

    private static final com.fasterxml.jackson.databind.JsonNode INPUT = AslTestSupport.json("""
            {"a":{"b":[1,2,{"c":"x"}]},"s":"text","n":3,"arr":[1,2,3],"o":{"k":"v"},"nil":null}""");

    /** Loads and runs a Pass state with {@code "r.$": text}; checks the outcome is one the contract allows. */
    private static void runs(String text) {
        String definition = "{\"StartAt\":\"S\",\"States\":{\"S\":{\"Type\":\"Pass\",\"Parameters\":{\"r.$\":"
                + JsonNodeFactory.instance.textNode(text) + "},\"End\":true}}}";
        StateMachine machine;
        try {
            machine = StateMachine.parse(definition);
        } catch (AslDefinitionException e) {
            assertThat(e.getMessage()).contains("state 'S' field 'Parameters'");
            return;
        }
        String arn = executor.start("p" + (++machines), machine, null, INPUT).arn();
        scheduler.runUntilIdle();
        ExecutionDescription d = executor.describe(arn);
        if (d.status() == ExecutionStatus.FAILED) {
            assertThat(d.error()).as("cause: %s", d.cause()).isIn(RUN_TIME_ERRORS);
        } else {
            assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        }
    }

    @Provide
    Arbitrary<String> pathLike() {
        Arbitrary<String> pieces = Arbitraries.of("$", "$$", ".", "..", "[", "]", "*", "'", "\"", "a", "b", "c", "0",
                "1", "-1", ":", ",", "?(", ")", "@", "@.n", " ", "==", "<", "&&", "||", "!", "s", "arr", "Execution",
                "\\", "(", "x y", "1.5", "true");
        return pieces.list().ofMaxSize(12).map(l -> (l.isEmpty() || !l.get(0).startsWith("$") ? "$" : "")
                + String.join("", l));
    }

    @Provide
    Arbitrary<String> intrinsicLike() {
        Arbitrary<String> pieces = Arbitraries.of("States.Format(", "States.Array(", "States.ArrayGetItem(",
                "States.StringSplit(", "States.MathAdd(", "States.JsonMerge(", "States.Hash(", "States.ArrayRange(",
                "States.StringToJson(", "States.Base64Decode(", "States.UUID(", "States.Nope(", "'", "'{}'", "\\'",
                "\\{", ",", ", ", ")", "$.a", "$.s", "$.n", "$.arr", "$.o", "$.nil", "$$.Execution.Id", "1", "-2",
                "0", "1.5", "true", "false", "null", "'SHA-256'", "'x'", "(", "[", "]");
        return pieces.list().ofMinSize(1).ofMaxSize(10).map(l -> String.join("", l));
    }

    @Property(tries = 300)
    void randomPathsNeverCrash(@ForAll("pathLike") String path) {
        runs(path);
    }

    @Property(tries = 300)
    void randomIntrinsicCallsNeverCrash(@ForAll("intrinsicLike") String call) {
        runs(call.startsWith("States.") ? call : "States.Format(" + call);
    }

    @Property(tries = 200)
    void arbitraryUnicodeNeverCrashes(@ForAll String text) {
        runs("$" + text);
        runs("States." + text);
    }

    @Property(tries = 200)
    void randomChoiceVariablesNeverCrash(@ForAll("pathLike") String path) {
        String definition = """
                {"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":%s,"IsPresent":true,
                  "Next":"D"}],"Default":"D"},"D":{"Type":"Succeed"}}}""".formatted(
                JsonNodeFactory.instance.textNode(path));
        StateMachine machine;
        try {
            machine = StateMachine.parse(definition);
        } catch (AslDefinitionException e) {
            assertThat(e.getMessage()).contains("Choices[0]");
            return;
        }
        String arn = executor.start("c" + (++machines), machine, null, INPUT).arn();
        scheduler.runUntilIdle();
        ExecutionDescription d = executor.describe(arn);
        assertThat(d.status() == ExecutionStatus.SUCCEEDED || RUN_TIME_ERRORS.contains(d.error()))
                .as("%s %s %s", d.status(), d.error(), d.cause()).isTrue();
    }
}
