package io.modelcycle.local.cli;

import io.modelcycle.core.lifecycle.DeploymentTasks;
import io.modelcycle.local.demo.Progress;
import io.modelcycle.local.runtime.LocalRuntime;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/** {@code modelcycle rollback <model>}: production ← previous, previous ← the version rolled back. */
final class RollbackCommand implements Command {

    @Override
    public List<String> words() {
        return List.of("rollback");
    }

    @Override
    public String summary() {
        return "put the previous version back in production (a second rollback undoes it)";
    }

    @Override
    public String help() {
        return """
                Usage: modelcycle [--home DIR] rollback <model> [--reason TEXT]

                production goes back to the version 'previous' points at, and previous to the version that was in
                production, both compare-and-set; recorded in the audit log with the reason. Prints where
                production, previous and canary point.

                Exit codes: 0 rolled back; 1 no production or no previous version; 2 bad arguments.""";
    }

    @Override
    public int run(List<String> args, CliContext context) throws Exception {
        Options o = Options.parse(args, Set.of("reason"), Set.of());
        String model = LocalVerbs.modelName(o.positional("model").get(0));
        try (HandlerLogs logs = HandlerLogs.redirect(context.home(), "cli");
             LocalRuntime runtime = LocalVerbs.open(context, new Progress(context.err()))) {
            DeploymentTasks tasks = new DeploymentTasks(runtime.registry(), runtime.metrics(), Clock.systemUTC(),
                    LocalVerbs.actor());
            LocalVerbs.printJson(context, tasks.rollbackProduction(model, o.get("reason", "rolled back from the command line")));
            return OK;
        }
    }
}
