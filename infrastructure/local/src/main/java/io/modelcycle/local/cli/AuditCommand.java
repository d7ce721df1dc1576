package io.modelcycle.local.cli;

import io.modelcycle.core.registry.AuditEvent;
import io.modelcycle.core.registry.AuditVerification;
import io.modelcycle.core.registry.PageRequest;
import io.modelcycle.local.demo.Progress;
import io.modelcycle.local.runtime.LocalRuntime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code modelcycle audit <model>}: the audit trail and the verification of its hash chain. */
final class AuditCommand implements Command {

    @Override
    public List<String> words() {
        return List.of("audit");
    }

    @Override
    public String summary() {
        return "print a model's audit trail and verify its hash chain";
    }

    @Override
    public String help() {
        return """
                Usage: modelcycle [--home DIR] audit <model>

                Prints {"model", "events": [{"sequence", "timestamp", "actor", "action", "subject", "reason",
                "before", "after", "previousHash", "hash"}], "verification": {"intact", "eventsChecked",
                "firstBrokenSequence", "problem", "headHash"}}. Each event carries the SHA-256 of the one before,
                so a changed or removed event breaks the chain.

                Exit codes: 0 printed and the chain is intact; 1 the chain is broken, or no such model;
                2 bad arguments.""";
    }

    @Override
    public int run(List<String> args, CliContext context) throws Exception {
        String model = LocalVerbs.modelName(Options.parse(args, Set.of(), Set.of()).positional("model").get(0));
        try (HandlerLogs logs = HandlerLogs.redirect(context.home(), "cli");
             LocalRuntime runtime = LocalVerbs.open(context, new Progress(context.err()))) {
            runtime.registry().model(model);
            List<AuditEvent> events = LocalVerbs.all(t -> runtime.registry().audit(model,
                    new PageRequest(t, PageRequest.MAX_LIMIT)));
            AuditVerification verification = runtime.registry().verifyAudit(model);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", model);
            out.put("events", events);
            out.put("verification", verification);
            LocalVerbs.printJson(context, out);
            if (!verification.intact()) {
                context.err().println("modelcycle audit: the audit chain of '" + model + "' is broken at event "
                        + verification.firstBrokenSequence() + ": " + verification.problem());
                return FAILED;
            }
            context.err().println("audit chain verified: " + verification.eventsChecked() + " events");
            return OK;
        }
    }
}
