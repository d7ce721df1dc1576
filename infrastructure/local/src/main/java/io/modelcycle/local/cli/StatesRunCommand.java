package io.modelcycle.local.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcycle.local.asl.AslDefinitionException;
import io.modelcycle.local.asl.AslExecutor;
import io.modelcycle.local.asl.ExecutionDescription;
import io.modelcycle.local.asl.ExecutionStatus;
import io.modelcycle.local.asl.StateMachine;
import io.modelcycle.local.demo.Progress;
import io.modelcycle.local.runtime.LocalRuntime;
import io.modelcycle.local.runtime.Workflows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** {@code modelcycle states run <file.asl.json> [--input JSON] [--name NAME]}: runs a definition to its end. */
final class StatesRunCommand implements Command {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public List<String> words() {
        return List.of("states", "run");
    }

    @Override
    public String summary() {
        return "run a state machine definition and print its output";
    }

    @Override
    public String help() {
        return """
                Usage: modelcycle states run <file.asl.json> [--input JSON] [--name NAME]

                Runs the Amazon States Language definition in <file.asl.json> on the local executor, waits
                until the execution stops, and prints its output JSON on standard output. The execution id
                is printed on standard error; see it again with 'modelcycle states history <id>'.
                ModelCycle's own workflows (statemachines/training-pipeline.asl.json, deployment, drift-check,
                retirement: the files with ${Name} substitutions) run on the local runtime of --home, with
                their tasks bound to the stage handlers.

                  --input JSON   the execution's input (default {})
                  --name NAME    the execution's name (default: a random id)

                Exit codes: 0 SUCCEEDED; 1 FAILED, TIMED_OUT or ABORTED (error and cause on standard error);
                2 the command line, the input or the definition is invalid.""";
    }

    @Override
    public int run(List<String> args, CliContext context) throws Exception {
        String file = null;
        String input = "{}";
        String name = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--input" -> input = value(args, ++i, a);
                case "--name" -> name = value(args, ++i, a);
                default -> {
                    if (a.startsWith("--input=")) {
                        input = a.substring("--input=".length());
                    } else if (a.startsWith("--")) {
                        throw new UsageException("unknown option " + a);
                    } else if (file != null) {
                        throw new UsageException("one definition file only; got '" + file + "' and '" + a + "'");
                    } else {
                        file = a;
                    }
                }
            }
        }
        if (file == null) {
            throw new UsageException("which definition? give a <file.asl.json>");
        }
        JsonNode inputJson;
        try {
            inputJson = MAPPER.readTree(input);
        } catch (JsonProcessingException e) {
            throw new UsageException("--input is not valid JSON: " + e.getOriginalMessage());
        }
        String definition;
        try {
            definition = Files.readString(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new UsageException("no such file: " + file);
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage());
        }
        String machineName = machineName(Path.of(file));
        if (definition.contains("${")) {
            return runWorkflow(machineName, file, name, inputJson, context);
        }
        StateMachine machine;
        try {
            machine = StateMachine.parse(definition);
        } catch (AslDefinitionException e) {
            context.err().println(file + ": " + e.getMessage());
            return USAGE;
        }
        AslExecutor executor = context.executor();
        AslExecutor.ExecutionHandle handle;
        try {
            handle = executor.start(machineName, machine, name, inputJson);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        context.err().println("execution: " + handle.arn());
        ExecutionDescription result = handle.completion().get();
        if (result.status() == ExecutionStatus.SUCCEEDED) {
            context.out().println(result.output());
            return OK;
        }
        context.err().println(result.status() + ": " + (result.error() == null ? "" : result.error()));
        if (result.cause() != null && !result.cause().isEmpty()) {
            context.err().println("cause: " + result.cause());
        }
        return FAILED;
    }

    /**
     * A definition with {@code ${Name}} substitutions is one of ModelCycle's workflows: it runs on the local runtime,
     * which substitutes the names and binds the tasks to the stage handlers and the embedded training backend, exactly
     * as {@code upload}, {@code drift} or {@code retire} would start it.
     */
    private int runWorkflow(String machineName, String file, String name, JsonNode input, CliContext context)
            throws UsageException {
        if (!Workflows.ALL.contains(machineName)) {
            throw new UsageException(file + " uses ${...} substitutions, which only ModelCycle's own workflows get ("
                    + String.join(", ", Workflows.ALL) + "); substitute them in the file to run it here");
        }
        Progress progress = new Progress(context.err());
        try (LocalRuntime runtime = LocalVerbs.open(context, progress)) {
            String arn = runtime.workflows().start(machineName,
                    name != null ? name : "cli-" + java.util.UUID.randomUUID(), input.toString());
            context.err().println("execution: " + arn + " (on the local runtime in " + runtime.home() + ")");
            ExecutionDescription result = LocalVerbs.follow(runtime, progress, arn);
            if (result.status() == ExecutionStatus.SUCCEEDED) {
                context.out().println(result.output());
                return OK;
            }
            context.err().println(result.status() + ": " + LocalVerbs.failure(result));
            return FAILED;
        } catch (io.modelcycle.core.ModelCycleException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static String value(List<String> args, int i, String option) throws UsageException {
        if (i >= args.size()) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(i);
    }

    /** The file name without {@code .asl.json}, reduced to the characters a state machine name allows. */
    static String machineName(Path file) {
        String n = file.getFileName().toString().replaceFirst("(\\.asl)?\\.json$", "")
                .replaceAll("[^A-Za-z0-9_.-]", "-");
        if (n.isEmpty()) {
            n = "state-machine";
        }
        return n.length() > 80 ? n.substring(0, 80) : n;
    }
}
