package io.modelcycle.local.cli;

import io.modelcycle.core.registry.Change;
import io.modelcycle.core.registry.ModelVersion;
import io.modelcycle.local.demo.Progress;
import io.modelcycle.local.runtime.LocalRuntime;
import java.util.List;
import java.util.Set;

/** {@code modelcycle approve <model> <v>}: a person's approval; resumes a pipeline waiting for it. */
final class ApproveCommand implements Command {

    @Override
    public List<String> words() {
        return List.of("approve");
    }

    @Override
    public String summary() {
        return "approve a version waiting for manual approval (its pipeline resumes)";
    }

    @Override
    public String help() {
        return """
                Usage: modelcycle [--home DIR] approve <model> <version> [--reason TEXT]

                Moves the version from PENDING_APPROVAL to APPROVED (recorded in the audit log under your user
                name) and answers the task token of the training-pipeline waiting for it, which goes on to deploy.
                Prints the version as JSON.

                Exit codes: 0 approved; 1 no such version, or not pending approval; 2 bad arguments.""";
    }

    @Override
    public int run(List<String> args, CliContext context) throws Exception {
        Options o = Options.parse(args, Set.of("reason"), Set.of());
        List<String> p = o.positional("model", "version");
        String model = LocalVerbs.modelName(p.get(0));
        int version = Options.version(p.get(1));
        try (HandlerLogs logs = HandlerLogs.redirect(context.home(), "cli");
             LocalRuntime runtime = LocalVerbs.open(context, new Progress(context.err()))) {
            ModelVersion approved = runtime.approvals().approve(model, version,
                    Change.by(LocalVerbs.actor(), o.get("reason", "approved from the command line")));
            LocalVerbs.printJson(context, approved);
            return OK;
        }
    }
}
