package io.modelcycle.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcycle.local.asl.ExecutionDescription;
import java.util.List;

/** {@code modelcycle states describe <execution-id>}: one execution, as DescribeExecution prints it. */
final class StatesDescribeCommand implements Command {

    @Override
    public List<String> words() {
        return List.of("states", "describe");
    }

    @Override
    public String summary() {
        return "print one execution's status, input and output";
    }

    @Override
    public String help() {
        return """
                Usage: modelcycle states describe <execution-id>

                Prints {"executionArn", "stateMachineArn", "name", "status", "startDate", "stopDate", "input",
                "output", "error", "cause"} as Step Functions' DescribeExecution does.

                Exit codes: 0 printed; 2 no such execution.""";
    }

    @Override
    public int run(List<String> args, CliContext context) throws Exception {
        if (args.size() != 1) {
            throw new UsageException("give exactly one <execution-id>");
        }
        ExecutionDescription d = ExecutionIds.resolve(context.store(), args.get(0));
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("executionArn", d.executionArn());
        e.put("stateMachineArn", d.stateMachineArn());
        e.put("name", d.name());
        e.put("status", d.status().name());
        e.put("startDate", d.startDate().toString());
        if (d.stopDate() != null) {
            e.put("stopDate", d.stopDate().toString());
        }
        e.put("input", d.input());
        e.put("output", d.output());
        e.put("error", d.error());
        e.put("cause", d.cause());
        if (d.parentArn() != null) {
            e.put("parentExecutionArn", d.parentArn());
        }
        context.out().println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(e));
        return OK;
    }
}
