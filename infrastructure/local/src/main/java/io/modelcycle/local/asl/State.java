package io.modelcycle.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * One compiled state. A single class with the fields of every state type (unused ones null) keeps the interpreter
 * a flat switch over {@link Type}; {@link StateMachine} guarantees that a field is set only where its type allows.
 */
final class State {

    enum Type { Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map }

    /** One retrier: its error names and back-off. */
    record Retrier(List<String> errorEquals, double intervalSeconds, int maxAttempts, double backoffRate,
            Double maxDelaySeconds, boolean fullJitter) {
    }

    /** One catcher: its error names, where the error output goes, and the state to go to. */
    record Catcher(List<String> errorEquals, Output resultPath, String next) {
    }

    /** A path field that may also be JSON {@code null} (InputPath, OutputPath, ResultPath): null path = discard. */
    record Output(JsonPath path) {
        static final Output ROOT = new Output(JsonPath.compile("$"));
        static final Output DISCARD = new Output(null);
    }

    String name;
    Type type;
    String next;
    boolean end;

    Output inputPath = Output.ROOT;
    Output outputPath = Output.ROOT;
    Output resultPath = Output.ROOT;
    PayloadTemplate parameters;
    PayloadTemplate resultSelector;
    JsonNode result;

    String resource;
    Integer timeoutSeconds;
    JsonPath timeoutSecondsPath;
    Integer heartbeatSeconds;
    JsonPath heartbeatSecondsPath;
    List<Retrier> retry = List.of();
    List<Catcher> catchers = List.of();

    List<Choice.Branch> choices;
    String defaultNext;

    Long seconds;
    Instant timestamp;
    JsonPath secondsPath;
    JsonPath timestampPath;

    String error;
    String cause;
    PayloadTemplate errorPath;
    PayloadTemplate causePath;

    List<StateMachine.Graph> branches;

    JsonPath itemsPath;
    PayloadTemplate itemSelector;
    StateMachine.Graph processor;
    Integer maxConcurrency;
    JsonPath maxConcurrencyPath;
    Double toleratedFailurePercentage;
    JsonPath toleratedFailurePercentagePath;
    Integer toleratedFailureCount;
    JsonPath toleratedFailureCountPath;
}
