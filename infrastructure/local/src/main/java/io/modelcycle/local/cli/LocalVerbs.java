package io.modelcycle.local.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.modelcycle.core.Json;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.registry.Page;
import io.modelcycle.core.registry.PageRequest;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.local.asl.ExecutionDescription;
import io.modelcycle.local.demo.Progress;
import io.modelcycle.local.runtime.LocalRuntime;
import io.modelcycle.local.runtime.Workflows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** What the lifecycle verbs share: opening the runtime on the home, printing JSON, following workflows. */
final class LocalVerbs {

    /** How often a process running workflows looks for approvals made by other processes. */
    static final java.time.Duration RELAY_EVERY = java.time.Duration.ofSeconds(1);

    /** The longest a verb waits for a workflow (training included). */
    static final Duration WORKFLOW_TIMEOUT = Duration.ofMinutes(30);

    private LocalVerbs() {
    }

    /** The runtime on the command's home, reporting progress on standard error. */
    static LocalRuntime open(CliContext context, Progress progress) {
        return LocalRuntime.builder().home(context.home()).optListener(progress.listener()).build();
    }

    /** Who the audit log records for changes made from the command line. */
    static String actor() {
        return "cli:" + System.getProperty("user.name", "unknown");
    }

    static void printJson(CliContext context, Object value) {
        try {
            context.out().println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print the result as JSON", e);
        }
    }

    static List<Model> models(Registry registry) {
        return all(token -> registry.models(new PageRequest(token, PageRequest.MAX_LIMIT)));
    }

    static <T> List<T> all(Function<String, Page<T>> page) {
        List<T> all = new ArrayList<>();
        String token = null;
        do {
            Page<T> p = page.apply(token);
            all.addAll(p.items());
            token = p.nextToken();
        } while (token != null);
        return all;
    }

    /**
     * Follows {@code arn} to its end, then any execution it started (a deployment, a retraining), and returns the
     * root's description.
     */
    static ExecutionDescription follow(LocalRuntime runtime, Progress progress, String arn) {
        ExecutionDescription root = progress.follow(runtime, arn, WORKFLOW_TIMEOUT);
        for (ExecutionDescription d : runtime.executor().list()) {
            if (arn.equals(d.parentArn()) && d.stopDate() == null) {
                progress.follow(runtime, d.executionArn(), WORKFLOW_TIMEOUT);
            }
        }
        return root;
    }

    /** A one-line failure message of an execution: its error and the cause's message, without stack traces. */
    static String failure(ExecutionDescription d) {
        return Progress.failure(d);
    }

    /** {@code training-pipeline}, {@code drift-check}, … : the workflows a verb may start. */
    static List<String> workflows() {
        return Workflows.ALL;
    }

    /** A model name argument, checked. */
    static String modelName(String s) throws Command.UsageException {
        try {
            return Model.requireName(s);
        } catch (RuntimeException e) {
            throw new Command.UsageException("'" + s + "' is not a model name (" + Model.NAME.pattern() + ")");
        }
    }
}
