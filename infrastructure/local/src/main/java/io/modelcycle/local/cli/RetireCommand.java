package io.modelcycle.local.cli;

import io.modelcycle.core.Json;
import io.modelcycle.local.asl.ExecutionDescription;
import io.modelcycle.local.asl.ExecutionStatus;
import io.modelcycle.local.demo.Progress;
import io.modelcycle.local.runtime.LocalRuntime;
import io.modelcycle.local.runtime.Workflows;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code modelcycle retire <model> <v>}: runs the retirement workflow. */
final class RetireCommand implements Command {

    @Override
    public List<String> words() {
        return List.of("retire");
    }

    @Override
    public String summary() {
        return "retire a version (retirement workflow: refused while an alias points at it)";
    }

    @Override
    public String help() {
        return """
                Usage: modelcycle [--home DIR] retire <model> <version>

                Runs the retirement workflow: refused while any alias (production, previous, canary, ...) points
                at the version; otherwise marks it RETIRED and archives or deletes its artifacts as the model's
                retention policy says. Metadata and the audit trail stay. Prints the version's status as JSON.

                Exit codes: 0 retired; 1 refused (the message names the aliases) or failed; 2 bad arguments.""";
    }

    @Override
    public int run(List<String> args, CliContext context) throws Exception {
        List<String> p = Options.parse(args, Set.of(), Set.of()).positional("model", "version");
        String model = LocalVerbs.modelName(p.get(0));
        int version = Options.version(p.get(1));
        Progress progress = new Progress(context.err());
        try (HandlerLogs logs = HandlerLogs.redirect(context.home(), "cli");
             LocalRuntime runtime = LocalVerbs.open(context, progress)) {
            runtime.registry().version(model, version);
            String arn = runtime.workflows().start(Workflows.RETIREMENT,
                    model + "-v" + version + "-retire-" + System.currentTimeMillis(),
                    Json.write(Map.of("model", model, "version", version)));
            ExecutionDescription d = LocalVerbs.follow(runtime, progress, arn);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", model);
            out.put("version", version);
            out.put("status", runtime.registry().version(model, version).status());
            out.put("execution", arn);
            LocalVerbs.printJson(context, out);
            if (d.status() != ExecutionStatus.SUCCEEDED) {
                context.err().println("modelcycle retire: " + LocalVerbs.failure(d));
                return FAILED;
            }
            return OK;
        }
    }
}
