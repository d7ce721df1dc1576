package io.modelcycle.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcycle.local.asl.ExecutionDescription;
import io.modelcycle.local.asl.ExecutionStatus;
import java.util.List;

/** {@code modelcycle states list [--status STATUS]}: executions, newest first, as ListExecutions prints them. */
final class StatesListCommand implements Command {

    @Override
    public List<String> words() {
        return List.of("states", "list");
    }

    @Override
    public String summary() {
        return "list executions, newest first";
    }

    @Override
    public String help() {
        return """
                Usage: modelcycle states list [--status RUNNING|SUCCEEDED|FAILED|TIMED_OUT|ABORTED]

                Prints {"executions": [{"executionArn", "stateMachineArn", "name", "status", "startDate",
                "stopDate"}, ...]}, newest first, as Step Functions' ListExecutions does.

                Exit codes: 0 printed; 2 bad option.""";
    }

    @Override
    public int run(List<String> args, CliContext context) throws Exception {
        ExecutionStatus filter = null;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--status") && i + 1 < args.size()) {
                try {
                    filter = ExecutionStatus.valueOf(args.get(++i));
                } catch (IllegalArgumentException e) {
                    throw new UsageException("unknown status '" + args.get(i) + "'");
                }
            } else {
                throw new UsageException("unexpected argument '" + args.get(i) + "'");
            }
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode list = out.putArray("executions");
        for (ExecutionDescription d : context.store().list()) {
            if (filter != null && d.status() != filter) {
                continue;
            }
            ObjectNode e = list.addObject();
            e.put("executionArn", d.executionArn());
            e.put("stateMachineArn", d.stateMachineArn());
            e.put("name", d.name());
            e.put("status", d.status().name());
            e.put("startDate", d.startDate().toString());
            if (d.stopDate() != null) {
                e.put("stopDate", d.stopDate().toString());
            }
        }
        context.out().println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
        return OK;
    }
}
