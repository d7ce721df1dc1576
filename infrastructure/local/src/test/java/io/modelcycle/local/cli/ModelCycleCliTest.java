package io.modelcycle.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI run in-process: output on stdout, ids and errors on stderr, and the exit codes. */
class ModelCycleCliTest {

    @TempDir
    Path dir;
    Path home;
    Path greet;
    String out;
    String err;

    @BeforeEach
    void writeDefinitions() throws Exception {
        home = dir.resolve("home");
        greet = dir.resolve("greet.asl.json");
        Files.writeString(greet, """
                {"StartAt":"Greet","States":{
                  "Greet":{"Type":"Pass","Parameters":{"greeting.$":"States.Format('Hello, {}!', $.who)"},
                           "Next":"Check"},
                  "Check":{"Type":"Choice","Choices":[{"Variable":"$.greeting","StringEquals":"Hello, Bob!",
                           "Next":"Refuse"}],"Default":"Done"},
                  "Refuse":{"Type":"Fail","Error":"NotBob","Cause":"Bob is not welcome"},
                  "Done":{"Type":"Succeed"}}}""");
    }

    private int cli(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        String[] all = new String[args.length + 2];
        all[0] = "--home";
        all[1] = home.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        int code = ModelCycleCli.run(all, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    private static JsonNode json(String s) throws Exception {
        return new ObjectMapper().readTree(s);
    }

    @Test
    void runPrintsTheOutputAndExitsZero() throws Exception {
        assertThat(cli("states", "run", greet.toString(), "--input", "{\"who\":\"Ann\"}")).isZero();
        assertThat(json(out)).isEqualTo(json("{\"greeting\":\"Hello, Ann!\"}"));
        assertThat(err).contains("execution: arn:aws:states:local:000000000000:execution:greet:");
    }

    @Test
    void failedExecutionPrintsErrorAndCauseAndExitsOne() {
        assertThat(cli("states", "run", greet.toString(), "--input", "{\"who\":\"Bob\"}")).isEqualTo(1);
        assertThat(out).isEmpty();
        assertThat(err).contains("FAILED: NotBob").contains("cause: Bob is not welcome");
    }

    @Test
    void invalidDefinitionOrInputExitsTwoAndSaysWhy() throws Exception {
        Path bad = dir.resolve("bad.asl.json");
        Files.writeString(bad, "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"Nowhere\"}}}");
        assertThat(cli("states", "run", bad.toString())).isEqualTo(2);
        assertThat(err).contains("state 'A' field 'Next'").contains("no state named 'Nowhere'");
        assertThat(cli("states", "run", greet.toString(), "--input", "{oops")).isEqualTo(2);
        assertThat(err).contains("--input is not valid JSON");
        assertThat(cli("states", "run", dir.resolve("missing.json").toString())).isEqualTo(2);
        assertThat(err).contains("no such file");
        assertThat(cli("states", "fly")).isEqualTo(2);
        assertThat(err).contains("unknown command 'states fly'");
    }

    @Test
    void historyAndListShowPastExecutionsFromTheHomesStore() throws Exception {
        cli("states", "run", greet.toString(), "--name", "first", "--input", "{\"who\":\"Ann\"}");
        assertThat(cli("states", "history", "first")).isZero();
        JsonNode events = json(out).get("events");
        assertThat(events.get(0).get("type").asText()).isEqualTo("ExecutionStarted");
        assertThat(events.get(1).at("/stateEnteredEventDetails/name").asText()).isEqualTo("Greet");
        assertThat(events.get(events.size() - 1).get("type").asText()).isEqualTo("ExecutionSucceeded");
        assertThat(cli("states", "list")).isZero();
        assertThat(json(out).at("/executions/0/name").asText()).isEqualTo("first");
        assertThat(json(out).at("/executions/0/status").asText()).isEqualTo("SUCCEEDED");
        assertThat(cli("states", "describe", "first")).isZero();
        assertThat(json(out).get("output").asText()).isEqualTo("{\"greeting\":\"Hello, Ann!\"}");
        assertThat(cli("states", "history", "nobody")).isEqualTo(2);
        assertThat(err).contains("no execution 'nobody'");
    }

    @Test
    void helpWorksAtEveryLevel() {
        assertThat(cli("--help")).isZero();
        assertThat(out).contains("states run").contains("states history").contains("--home DIR");
        assertThat(cli("states", "--help")).isZero();
        assertThat(out).contains("states list");
        assertThat(cli("states", "run", "--help")).isZero();
        assertThat(out).contains("Usage: modelcycle states run <file.asl.json>").contains("Exit codes");
        assertThat(cli("states", "history", "--help")).isZero();
        assertThat(out).contains("GetExecutionHistory");
    }

    @Test
    void theReadmeExampleRuns() throws Exception {
        // the command shown in README.md, run from the module directory (surefire's working directory)
        assertThat(cli("states", "run", "examples/hello.asl.json", "--input", "{\"who\":\"world\"}")).isZero();
        assertThat(json(out)).isEqualTo(json("{\"greeting\":\"Hello, world!\"}"));
    }

    @Test
    void modelCyclesOwnWorkflowsRunOnTheLocalRuntimeWithTheirTasksBound() throws Exception {
        // a workflow file with ${...} substitutions runs with its tasks bound to the stage handlers: here the
        // retirement handler itself answers that the version does not exist
        Path retirement = Path.of("../../statemachines/retirement.asl.json");
        assertThat(cli("states", "run", retirement.toString(), "--input", "{\"model\":\"nope\",\"version\":1}"))
                .isEqualTo(1);
        assertThat(err).contains("on the local runtime").contains("NotFoundException")
                .contains("version 1 of model 'nope' does not exist");

        // a file with substitutions that is not one of the workflows is refused, saying why
        Path other = dir.resolve("mine.asl.json");
        Files.writeString(other, "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Task\",\"Resource\":\"${Mine}\",\"End\":true}}}");
        assertThat(cli("states", "run", other.toString())).isEqualTo(2);
        assertThat(err).contains("substitutions").contains("training-pipeline");
    }
}
