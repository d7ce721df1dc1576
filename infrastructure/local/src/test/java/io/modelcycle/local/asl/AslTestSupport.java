package io.modelcycle.local.asl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared set-up of the conformance tests: an executor on a {@link VirtualScheduler} (so Wait states and retries
 * take no real time) with its SQLite store in a temporary home.
 */
abstract class AslTestSupport {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final AtomicInteger MACHINES = new AtomicInteger();

    @TempDir
    Path home;
    VirtualScheduler scheduler;
    TaskBindings bindings;
    AslExecutor executor;

    @BeforeEach
    void openExecutor() {
        scheduler = new VirtualScheduler(T0);
        bindings = new TaskBindings();
        executor = newExecutor();
    }

    AslExecutor newExecutor() {
        return AslExecutor.builder().home(home).scheduler(scheduler).bindings(bindings).random(new Random(42))
                .build();
    }

    @AfterEach
    void closeExecutor() {
        executor.close();
    }

    static JsonNode json(String text) {
        try {
            return StateMachine.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** Starts an execution without running it. */
    String start(String definition, String input) {
        String name = "machine-" + MACHINES.incrementAndGet();
        return executor.start(name, StateMachine.parse(definition), null, json(input)).arn();
    }

    /** Runs a definition to its end on the virtual clock. */
    ExecutionDescription run(String definition, String input) {
        String arn = start(definition, input);
        scheduler.runUntilIdle();
        ExecutionDescription d = executor.completion(arn).getNow(null);
        assertThat(d).as("the execution should have finished").isNotNull();
        return d;
    }

    /** Runs and expects success; returns the output. */
    JsonNode output(String definition, String input) {
        ExecutionDescription d = run(definition, input);
        assertThat(d.status()).as("status; error=%s cause=%s", d.error(), d.cause())
                .isEqualTo(ExecutionStatus.SUCCEEDED);
        return json(d.output());
    }

    /** Runs and expects failure; returns the description. */
    ExecutionDescription failure(String definition, String input) {
        ExecutionDescription d = run(definition, input);
        assertThat(d.status()).as("status; output=%s", d.output()).isEqualTo(ExecutionStatus.FAILED);
        return d;
    }

    List<String> types(String arn) {
        return executor.history(arn).stream().map(HistoryEvent::type).toList();
    }

    /** A one-state machine: {@code state} is the JSON body of a state named "S" with End true. */
    static String single(String state) {
        return "{\"StartAt\":\"S\",\"States\":{\"S\":" + state + "}}";
    }
}
