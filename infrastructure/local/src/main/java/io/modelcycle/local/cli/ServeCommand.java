package io.modelcycle.local.cli;

import io.modelcycle.http.Route;
import io.modelcycle.local.demo.Progress;
import io.modelcycle.local.gateway.LocalServing;
import io.modelcycle.local.runtime.LocalRuntime;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code modelcycle serve}: the runtime, the HTTP gateway, the alarm evaluator and the schedules, until Ctrl-C. */
final class ServeCommand implements Command {

    @Override
    public List<String> words() {
        return List.of("serve");
    }

    @Override
    public String summary() {
        return "run the runtime and the HTTP gateway (registry, predict, feedback) until Ctrl-C";
    }

    @Override
    public String help() {
        return """
                Usage: modelcycle [--home DIR] serve [--port N] [--alarm-every SECONDS] [--for SECONDS]

                Starts the local runtime on the home (workflows, dataset/alarm/schedule triggers), the local alarm
                evaluator and the daily scheduled drift checks, and the HTTP gateway on 127.0.0.1 serving the
                registry API, POST /models/{name}/predict and POST /models/{name}/feedback. Prints the URL and
                the routes, then what happens (events, workflow states, training progress) until Ctrl-C.

                Options:
                  --port N              port on 127.0.0.1 (default 8080; 0 picks a free one)
                  --alarm-every SECONDS how often the drift alarms are evaluated (default 60)
                  --for SECONDS         stop by itself after this long (for scripts)

                Handler logs go to <home>/logs/serve.log.
                Exit codes: 0 stopped; 1 could not start (port in use, ...); 2 bad option.""";
    }

    @Override
    public int run(List<String> args, CliContext context) throws Exception {
        Options o = Options.parse(args, Set.of("port", "alarm-every", "for"), Set.of());
        o.positional();
        int port = o.intValue("port", 8080, 0, 65_535);
        int alarmEvery = o.intValue("alarm-every", 60, 1, 86_400);
        int seconds = o.intValue("for", 0, 0, Integer.MAX_VALUE);
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "modelcycle-serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        Progress progress = new Progress(context.err());
        try (HandlerLogs logs = HandlerLogs.redirect(context.home(), "serve");
             LocalRuntime runtime = LocalVerbs.open(context, progress);
             LocalServing serving = LocalServing.start(runtime, port, "local:" + System.getProperty("user.name", "local"));
             ApprovalRelay relay = ApprovalRelay.start(runtime, LocalVerbs.RELAY_EVERY)) {
            runtime.startTriggers(Duration.ofSeconds(alarmEvery));
            context.out().println("ModelCycle serving " + runtime.home() + " at " + serving.gateway().url());
            for (Route r : serving.gateway().routes()) {
                context.out().println("  " + r);
            }
            context.out().println("Drift alarms evaluated every " + alarmEvery + " s; handler logs in " + logs.file()
                    + ". Ctrl-C to stop.");
            context.out().flush();
            if (seconds > 0) {
                stop.await(seconds, TimeUnit.SECONDS);
            } else {
                stop.await();
            }
            progress.say("stopping: " + serving.gateway().requestCount() + " requests served");
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is running and waits for us
            }
        }
        return OK;
    }
}
