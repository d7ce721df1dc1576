package io.modelcycle.local.cli;

import io.modelcycle.core.lifecycle.DeploymentTasks;
import io.modelcycle.local.demo.Progress;
import io.modelcycle.local.runtime.LocalRuntime;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/** {@code modelcycle promote <model> <v>}: production ← v at once, previous ← the old production. */
final class PromoteCommand implements Command {

    @Override
    public List<String> words() {
        return List.of("promote");
    }

    @Override
    public String summary() {
        return "make an approved or deployed version production now (no canary)";
    }

    @Override
    public String help() {
        return """
                Usage: modelcycle [--home DIR] promote <model> <version>

                A person's promotion, without a canary: the version becomes DEPLOYED, production points at it and
                previous at the version that was in production (so 'rollback' undoes it). Prints where production,
                previous and canary point.

                Exit codes: 0 promoted; 1 no such version, or one that was not approved; 2 bad arguments.""";
    }

    @Override
    public int run(List<String> args, CliContext context) throws Exception {
        List<String> p = Options.parse(args, Set.of(), Set.of()).positional("model", "version");
        String model = LocalVerbs.modelName(p.get(0));
        int version = Options.version(p.get(1));
        try (HandlerLogs logs = HandlerLogs.redirect(context.home(), "cli");
             LocalRuntime runtime = LocalVerbs.open(context, new Progress(context.err()))) {
            DeploymentTasks tasks = new DeploymentTasks(runtime.registry(), runtime.metrics(), Clock.systemUTC(),
                    LocalVerbs.actor());
            LocalVerbs.printJson(context, tasks.promote(new io.modelcycle.core.lifecycle.VersionRef(model, version)));
            return OK;
        }
    }
}
