package io.modelcycle.local.cli;

import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.registry.Change;
import io.modelcycle.core.registry.ModelVersion;
import io.modelcycle.core.registry.VersionStatus;
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
                When that pipeline runs in another modelcycle process (an upload, train or serve still running),
                that process sees the approval and resumes it within a second. Prints the version as JSON.

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
            ModelVersion approved;
            try {
                approved = runtime.approvals().approve(model, version,
                        Change.by(LocalVerbs.actor(), o.get("reason", "approved from the command line")));
            } catch (NotFoundException e) {
                // Recorded in the registry, but the pipeline's task token lives in another modelcycle process
                // (the upload, train or serve that runs it): its approval relay answers it within a second.
                approved = runtime.registry().version(model, version);
                if (approved.status() != VersionStatus.APPROVED) {
                    throw e;
                }
                context.err().println("approved; the pipeline waiting in another modelcycle process resumes when it"
                        + " sees the approval");
            }
            LocalVerbs.printJson(context, approved);
            return OK;
        }
    }
}
