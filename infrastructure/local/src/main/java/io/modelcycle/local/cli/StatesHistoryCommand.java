package io.modelcycle.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcycle.local.asl.ExecutionDescription;
import io.modelcycle.local.asl.HistoryEvent;
import java.util.List;

/** {@code modelcycle states history <execution-id>}: the execution's events, as GetExecutionHistory prints them. */
final class StatesHistoryCommand implements Command {

    @Override
    public List<String> words() {
        return List.of("states", "history");
    }

    @Override
    public String summary() {
        return "print an execution's event history";
    }

    @Override
    public String help() {
        return """
                Usage: modelcycle states history <execution-id>

                Prints the execution's events as JSON shaped like Step Functions' GetExecutionHistory:
                {"events": [{"timestamp", "type", "id", "previousEventId", "<type>EventDetails": {...}}, ...]}.
                <execution-id> is the execution ARN, or its name when no other execution has that name.

                Exit codes: 0 printed; 2 no such execution.""";
    }

    @Override
    public int run(List<String> args, CliContext context) throws Exception {
        if (args.size() != 1) {
            throw new UsageException("give exactly one <execution-id>");
        }
        ExecutionDescription d = ExecutionIds.resolve(context.store(), args.get(0));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode events = out.putArray("events");
        for (HistoryEvent e : context.store().history(d.executionArn())) {
            events.add(e.toJson());
        }
        context.out().println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
        return OK;
    }
}
