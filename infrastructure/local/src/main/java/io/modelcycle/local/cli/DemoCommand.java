package io.modelcycle.local.cli;

import io.modelcycle.local.demo.Demo;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** {@code modelcycle demo}: the whole lifecycle on this machine, step by step. */
final class DemoCommand implements Command {

    @Override
    public List<String> words() {
        return List.of("demo");
    }

    @Override
    public String summary() {
        return "run the whole lifecycle here: train, deploy, serve, drift, retrain, canary, retire, audit";
    }

    @Override
    public String help() {
        return """
                Usage: modelcycle [--home DIR] demo [--rows N] [--epochs N] [--bake SECONDS] [--requests N]
                                                    [--seed N] [--model NAME]

                Generates a binary dataset (20 features), creates a model and uploads the data: the dataset trigger
                starts training-pipeline, which trains v1 in a child JVM (per-epoch progress shown), passes the
                quality gate and deploys it. Then serves single-row predictions through the local HTTP gateway,
                shifts the feature distributions, runs the scheduled drift check, lets the local alarm evaluator
                fire the drift alarm (drift-check confirms and starts retraining), takes v2 through a canary with
                traffic during the bake to production, retires v1 and verifies the audit chain. Prints each step
                with the time since the start, then the phase timings and the drift report's path.

                Options:
                  --rows N        training rows (default 4000)
                  --epochs N      training epochs (default 8)
                  --bake SECONDS  canary bake (default 10)
                  --requests N    predictions per traffic phase (default 300)
                  --seed N        data seed (default 42)
                  --model NAME    model name (default demo; demo-2, demo-3, ... if taken)

                The handlers' own logs go to <home>/logs/demo.log.
                Exit codes: 0 the demo completed; 1 a step failed (the message names it); 2 bad option.""";
    }

    @Override
    public int run(List<String> args, CliContext context) throws Exception {
        Options o = Options.parse(args, Set.of("rows", "epochs", "bake", "requests", "seed", "model"), Set.of());
        o.positional();
        Demo.Options defaults = Demo.Options.defaults(context.home());
        Demo.Options options;
        try {
            options = new Demo.Options(context.home(), o.get("model", defaults.model()),
                    o.intValue("rows", defaults.rows(), 200, 1_000_000),
                    defaults.features(),
                    o.intValue("epochs", defaults.epochs(), 1, 1000),
                    o.intValue("bake", defaults.bakeSeconds(), 1, 3600),
                    o.intValue("requests", defaults.requests(), 50, 1_000_000),
                    o.intValue("seed", (int) defaults.seed(), Integer.MIN_VALUE, Integer.MAX_VALUE),
                    Duration.ofMinutes(10));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        try (HandlerLogs logs = HandlerLogs.redirect(context.home(), "demo")) {
            context.out().println("ModelCycle demo: the whole lifecycle on this machine (handler logs: " + logs.file()
                    + ")");
            Demo.Result result = new Demo(options, context.out()).run();
            context.out().printf("%nDone in %.1f s: %s v%d in production, v%d retired, audit chain verified (%d events)."
                    + "%nDrift report: %s%n", result.total().toMillis() / 1000.0, result.model(), result.production(),
                    result.retired(), result.auditEvents(), result.driftReport());
            return OK;
        }
    }
}
