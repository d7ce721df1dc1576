package io.modelcycle.local.demo;

import io.modelcycle.local.asl.ExecutionDescription;
import io.modelcycle.local.asl.ExecutionStatus;
import io.modelcycle.local.asl.HistoryEvent;
import io.modelcycle.local.events.EventBus;
import io.modelcycle.local.runtime.LocalAlarmEvaluator;
import io.modelcycle.local.runtime.LocalRuntime;
import io.modelcycle.local.runtime.RuntimeListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Prints what a local runtime does as it happens, each line stamped with the seconds since this printer was made:
 * training progress relayed from the trainer, events delivered by rules, alarm changes, and the states workflows
 * enter (children started with {@code states:startExecution} included). Used by {@code demo} and by the verbs that
 * wait for a workflow.
 */
public final class Progress {

    private final PrintStream out;
    private final long started = System.nanoTime();
    private final BlockingQueue<EventBus.Delivery> deliveries = new LinkedBlockingQueue<>();
    /** The last history event printed, per execution, so that a child followed twice is printed once. */
    private final Map<String, Long> seen = new ConcurrentHashMap<>();

    public Progress(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /** The listener to give the runtime's builder. */
    public RuntimeListener listener() {
        return new RuntimeListener() {
            @Override
            public void trainingProgress(String jobName, String line) {
                // The trainer's own log lines (JSON) go to the log; its progress lines are plain text.
                if (!line.startsWith("{")) {
                    say("  " + jobName + ": " + line);
                }
            }

            @Override
            public void eventDelivered(EventBus.Delivery delivery) {
                deliveries.add(delivery);
                say("event → rule " + delivery.rule() + " → " + delivery.workflow()
                        + (delivery.succeeded() ? " " + name(delivery.executionArn()) : " FAILED: " + delivery.error()));
            }

            @Override
            public void alarmChanged(LocalAlarmEvaluator.Result result) {
                say("alarm " + result.alarm().name() + " → " + result.evaluation().state() + " ("
                        + result.evaluation().reason() + ")");
            }
        };
    }

    /** Prints one line, stamped. */
    public synchronized void say(String line) {
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf(Locale.ROOT, "[%6.1fs] %s%n", seconds, line);
        out.flush();
    }

    /** Seconds since this printer was made. */
    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Waits for a delivered event that {@code which} accepts (events heard since this printer was made). */
    public EventBus.Delivery awaitDelivery(Predicate<EventBus.Delivery> which, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                EventBus.Delivery d = deliveries.poll(200, TimeUnit.MILLISECONDS);
                if (d != null && which.test(d)) {
                    if (!d.succeeded()) {
                        throw new IllegalStateException("rule " + d.rule() + " could not start " + d.workflow() + ": "
                                + d.error());
                    }
                    return d;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an event", e);
        }
        throw new IllegalStateException("no matching event was delivered within " + timeout.toSeconds() + " s");
    }

    /** Waits for an execution to stop, printing each state as it (or a child execution) enters it. */
    public ExecutionDescription follow(LocalRuntime runtime, String arn, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> tracked = new LinkedHashSet<>(List.of(arn));
        while (true) {
            for (ExecutionDescription d : runtime.executor().list()) {
                if (d.parentArn() != null && tracked.contains(d.parentArn())) {
                    tracked.add(d.executionArn());
                }
            }
            for (String t : tracked) {
                long last = seen.getOrDefault(t, 0L);
                for (HistoryEvent e : runtime.executor().history(t)) {
                    if (e.id() <= last) {
                        continue;
                    }
                    last = e.id();
                    if (e.type().endsWith("StateEntered") && e.details() != null) {
                        say(workflow(runtime, t) + " › " + e.details().path("name").asText());
                    } else if (e.type().equals("ExecutionFailed") && e.details() != null) {
                        say(workflow(runtime, t) + " failed: " + e.details().path("error").asText());
                    }
                }
                seen.put(t, last);
            }
            ExecutionDescription d = runtime.executor().describe(arn);
            if (d.status() != ExecutionStatus.RUNNING) {
                say(workflow(runtime, arn) + " " + d.status());
                return d;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(workflow(runtime, arn) + " " + name(arn) + " still runs after "
                        + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while following " + arn, e);
            }
        }
    }

    /** A one-line failure message of an execution: its error and the cause's message, without stack traces. */
    public static String failure(ExecutionDescription d) {
        String cause = d.cause();
        if (cause != null && cause.startsWith("{")) {
            try {
                var node = io.modelcycle.core.Json.tree(cause);
                if (node.hasNonNull("errorMessage")) {
                    cause = node.get("errorMessage").asText();
                } else if (node.hasNonNull("Cause")) {
                    var inner = node.get("Cause").asText();
                    cause = inner.startsWith("{") && io.modelcycle.core.Json.tree(inner).hasNonNull("errorMessage")
                            ? io.modelcycle.core.Json.tree(inner).get("errorMessage").asText() : inner;
                }
            } catch (RuntimeException e) {
                // not JSON after all: print it as it is
            }
        }
        String error = d.error() == null ? "" : d.error().substring(d.error().lastIndexOf('.') + 1);
        return name(d.executionArn()) + " " + d.status() + (error.isEmpty() ? "" : ": " + error)
                + (cause == null || cause.isBlank() ? "" : ": " + cause);
    }

    /** The state machine's name of an execution. */
    public static String workflow(LocalRuntime runtime, String arn) {
        String machine = runtime.executor().describe(arn).stateMachineArn();
        return machine.substring(machine.lastIndexOf(':') + 1);
    }

    /** The execution's name, the last part of its ARN. */
    public static String name(String arn) {
        return arn == null ? "" : arn.substring(arn.lastIndexOf(':') + 1);
    }
}
