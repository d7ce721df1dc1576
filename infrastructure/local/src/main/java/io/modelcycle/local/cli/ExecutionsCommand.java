package io.modelcycle.local.cli;

import io.modelcycle.local.asl.ExecutionDescription;
import io.modelcycle.local.asl.ExecutionStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code modelcycle executions}: the workflows' executions, newest first. */
final class ExecutionsCommand implements Command {

    @Override
    public List<String> words() {
        return List.of("executions");
    }

    @Override
    public String summary() {
        return "list workflow executions (training, deployment, drift checks, retirements), newest first";
    }

    @Override
    public String help() {
        return """
                Usage: modelcycle [--home DIR] executions [--workflow NAME] [--status STATUS]

                Prints {"executions": [{"executionArn", "workflow", "name", "status", "startDate", "stopDate",
                "error", "parentArn"}]}, newest first, as Step Functions' ListExecutions does.
                'modelcycle states history <arn>' shows one execution's events.

                Options:
                  --workflow NAME   training-pipeline, deployment, drift-check or retirement
                  --status STATUS   RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED

                Exit codes: 0 printed; 2 bad option.""";
    }

    @Override
    public int run(List<String> args, CliContext context) throws Exception {
        Options o = Options.parse(args, Set.of("workflow", "status"), Set.of());
        o.positional();
        ExecutionStatus status = null;
        if (o.has("status")) {
            try {
                status = ExecutionStatus.valueOf(o.get("status").toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UsageException("unknown status '" + o.get("status") + "'");
            }
        }
        String workflow = o.get("workflow");
        if (workflow != null && !LocalVerbs.workflows().contains(workflow)) {
            throw new UsageException("unknown workflow '" + workflow + "' (one of " + LocalVerbs.workflows() + ")");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ExecutionDescription d : context.store().list()) {
            String machine = d.stateMachineArn().substring(d.stateMachineArn().lastIndexOf(':') + 1);
            if ((status != null && d.status() != status) || (workflow != null && !workflow.equals(machine))) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("executionArn", d.executionArn());
            row.put("workflow", machine);
            row.put("name", d.name());
            row.put("status", d.status());
            row.put("startDate", d.startDate());
            row.put("stopDate", d.stopDate());
            row.put("error", d.error());
            row.put("parentArn", d.parentArn());
            rows.add(row);
        }
        LocalVerbs.printJson(context, Map.of("executions", rows));
        return OK;
    }
}
