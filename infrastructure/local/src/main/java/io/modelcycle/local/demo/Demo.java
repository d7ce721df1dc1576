package io.modelcycle.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.Json;
import io.modelcycle.core.dataset.Dataset;
import io.modelcycle.core.dataset.Row;
import io.modelcycle.core.dataset.SyntheticDataset;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.model.Policies;
import io.modelcycle.core.registry.Alias;
import io.modelcycle.core.registry.AuditEvent;
import io.modelcycle.core.registry.AuditVerification;
import io.modelcycle.core.registry.Change;
import io.modelcycle.core.registry.ModelVersion;
import io.modelcycle.core.registry.Page;
import io.modelcycle.core.registry.PageRequest;
import io.modelcycle.local.asl.ExecutionDescription;
import io.modelcycle.local.asl.ExecutionStatus;
import io.modelcycle.local.events.EventBus;
import io.modelcycle.local.gateway.LocalServing;
import io.modelcycle.local.runtime.LocalRuntime;
import io.modelcycle.local.runtime.TriggerRules;
import io.modelcycle.local.runtime.Workflows;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * The whole life of a model on one machine, through the real parts: synthetic data is uploaded to
 * {@code datasets/<model>/} and the dataset trigger starts {@code training-pipeline}; v1 is trained in a child JVM
 * (progress relayed), passes the quality gate and is deployed; traffic goes through the HTTP gateway; the features
 * drift; the scheduled drift check publishes the drifted share; the local alarm evaluator fires the drift alarm,
 * whose rule starts {@code drift-check}, which confirms the drift and starts retraining; v2 goes through canary (with
 * traffic during the bake) to production; v1 is retired by the {@code retirement} workflow; the audit chain is
 * verified. Every step is printed as it happens, with the time since the start.
 */
public final class Demo {

    /**
     * What the demo does, sized for a laptop by default.
     *
     * @param home        the runtime's home
     * @param model       the model name; a free one with this prefix is taken if it exists
     * @param rows        training rows
     * @param features    features (a quarter categorical)
     * @param epochs      training epochs
     * @param bakeSeconds the canary bake
     * @param requests    single-row predictions per traffic phase
     * @param seed        data seed
     * @param timeout     the longest any one workflow may take
     */
    public record Options(Path home, String model, int rows, int features, int epochs, int bakeSeconds, int requests,
                         long seed, Duration timeout) {
        public Options {
            Objects.requireNonNull(home, "home");
            Model.requireName(model);
            require(rows >= 200, "rows must be at least 200");
            require(features >= 4, "features must be at least 4");
            require(epochs >= 1, "epochs must be at least 1");
            require(bakeSeconds >= 1, "bake seconds must be at least 1");
            require(requests >= 50, "requests must be at least 50 (the drift check needs captured rows)");
            Objects.requireNonNull(timeout, "timeout");
        }

        /** The default demo in {@code home}: 4,000 rows of 20 features, 8 epochs, a 10 s bake, 300 requests. */
        public static Options defaults(Path home) {
            return new Options(home, "demo", 4000, 20, 8, 10, 300, 42, Duration.ofMinutes(5));
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }

    /** One phase and how long it took. */
    public record Phase(String name, Duration took) {
    }

    /**
     * What the demo ended with.
     *
     * @param model              the model
     * @param phases             every phase, in order
     * @param total              wall time
     * @param production         the version in production at the end
     * @param retired            the version retired
     * @param auditEvents        events in the model's audit log
     * @param auditVerified      whether the hash chain verified
     * @param driftReport        the HTML drift report of the confirming check
     * @param gatewayPerSecond   single-row predictions per second through the gateway (the baseline traffic)
     */
    public record Result(String model, List<Phase> phases, Duration total, int production, int retired,
                         long auditEvents, boolean auditVerified, Path driftReport, double gatewayPerSecond) {
    }

    /** The drift alarm's period here: short, so the alarm fires seconds after the drift is published. */
    static final Duration ALARM_PERIOD = Duration.ofSeconds(10);

    private final Options options;
    private final PrintStream out;
    private final Progress progress;
    private final List<Phase> phases = new ArrayList<>();
    private String phase;
    private long phaseStart;

    public Demo(Options options, PrintStream out) {
        this.options = Objects.requireNonNull(options, "options");
        this.out = Objects.requireNonNull(out, "out");
        this.progress = new Progress(out);
    }

    /** Runs the demo; throws {@link DemoFailedException} naming the step that went wrong. */
    public Result run() {
        phase("start the local runtime and the HTTP gateway");
        Map<String, String> hyperparameters = new LinkedHashMap<>(LocalRuntime.FAST_HYPERPARAMETERS);
        hyperparameters.put("epochs", Integer.toString(options.epochs()));
        try (LocalRuntime runtime = LocalRuntime.builder().home(options.home()).optListener(progress.listener())
                .optHyperparameters(hyperparameters).optAlarmPeriod(ALARM_PERIOD).build();
             LocalServing serving = LocalServing.start(runtime, 0, "local:" + System.getProperty("user.name", "demo"))) {
            say("runtime home " + runtime.home() + "; gateway " + serving.gateway().url() + " ("
                    + serving.gateway().routes().size() + " routes)");
            return run(runtime, serving);
        }
    }

    private Result run(LocalRuntime runtime, LocalServing serving) {
        URI url = serving.gateway().url();
        String model = freeName(runtime, options.model());

        phase("generate data and create the model");
        SyntheticDataset source = SyntheticDataset.binary(options.rows(), options.features(), options.seed());
        Dataset training = source.generate();
        Path data = dataDir(runtime).resolve(model + "-train.csv");
        training.writeCsv(data);
        say("generated " + training.size() + " rows × " + training.schema().features().size()
                + " features (binary target '" + training.target() + "') → " + data);
        Model definition = withDemoPolicies(source.model(model, "demo"));
        createThroughGateway(url, definition);
        say("created model '" + model + "' through POST " + url + "/models (canary 50 % for "
                + options.bakeSeconds() + " s, capture 100 %, auto approval)");

        phase("upload the dataset → training-pipeline trains, gates and deploys v1");
        String key = runtime.uploadDataset(model, data);
        say("uploaded s3://" + runtime.bucket() + "/" + key);
        EventBus.Delivery upload = awaitDelivery(d -> d.rule().equals(TriggerRules.DATASET_RULE));
        ExecutionDescription v1 = follow(runtime, upload.executionArn());
        requireSucceeded(v1, "training v1");
        ModelVersion version1 = runtime.registry().version(model, 1);
        say("v1 " + version1.status() + ", metrics " + metrics(version1) + "; production → v"
                + alias(runtime, model, Alias.PRODUCTION));

        phase("serve traffic through the HTTP gateway");
        PredictionClient client = new PredictionClient(url, model);
        List<Map<String, Object>> normal = rows(source.withSeed(options.seed() + 1).withRows(options.requests())
                .withMissingRate(0));
        PredictionClient.Tally baseline = client.send(normal);
        say("POST /models/" + model + "/predict × " + baseline.requests() + ": " + baseline);
        requireAllOk(baseline, "baseline traffic");

        phase("shift the feature distributions and serve the shifted traffic");
        Map<String, Double> shifts = shifts(source);
        say("shifting " + shifts.keySet() + " by " + shifts.values().iterator().next() + " standard deviations");
        SyntheticDataset shiftedSource = source.withShifts(shifts).withSeed(options.seed() + 2)
                .withRows(options.requests() * 2).withMissingRate(0);
        Dataset shiftedData = shiftedSource.generate();
        List<Map<String, Object>> shifted = rows(shiftedData);
        PredictionClient.Tally drifted = client.send(shifted);
        say("POST /models/" + model + "/predict × " + drifted.requests() + ": " + drifted);
        requireAllOk(drifted, "shifted traffic");
        List<Object> labels = shiftedData.rows().stream().map(Row::target).toList();
        int accepted = client.feedback(drifted.requestIds(), labels);
        say("ground truth of the shifted requests → POST /models/" + model + "/feedback: " + accepted
                + " labels accepted (they join the retraining dataset)");
        serving.flush();

        phase("scheduled drift check measures the drift and publishes DriftedShare");
        // The check's window ends (exclusive) at its execution's start time, in whole seconds: traffic of the
        // current second would be left out, so start it in the next one.
        pause(1050 - System.currentTimeMillis() % 1000);
        ExecutionDescription scheduled = follow(runtime, runtime.fireDriftSchedule(model));
        requireSucceeded(scheduled, "the scheduled drift check");
        JsonNode measured = Json.tree(scheduled.output()).path("drift").path("report");
        say("drifted share " + fmt(measured.path("driftedShare").asDouble()) + " over "
                + measured.path("rowsChecked").asLong() + " captured rows: " + measured.path("reason").asText());

        phase("the drift alarm fires → drift-check confirms → retraining dataset → training-pipeline");
        runtime.alarms().start(Duration.ofSeconds(1));
        say("local alarm evaluator running every 1 s over the embedded metrics (alarm period "
                + ALARM_PERIOD.toSeconds() + " s)");
        EventBus.Delivery alarm = awaitDelivery(d -> d.rule().equals(TriggerRules.ALARM_RULE));
        ExecutionDescription confirm = follow(runtime, alarm.executionArn());
        requireSucceeded(confirm, "the alarm's drift check");
        JsonNode confirmOutput = Json.tree(confirm.output());
        JsonNode report = confirmOutput.path("drift").path("report");
        if (!report.path("drifted").asBoolean()) {
            throw new DemoFailedException("the alarm's drift check did not confirm the drift: "
                    + report.path("reason").asText());
        }
        Path html = runtime.artifactRoot().resolve(report.path("htmlKey").asText());
        JsonNode dataset = confirmOutput.path("retraining").path("dataset");
        say("drift confirmed (" + fmt(report.path("driftedShare").asDouble()) + " of features); retraining dataset "
                + dataset.path("datasetKey").asText() + " (" + dataset.path("rows").asLong() + " rows, "
                + dataset.path("labelledRows").asLong() + " of them labelled recent traffic)");
        String retrainingArn = retrainingExecution(runtime, confirm);

        phase("train v2 → gate → canary with traffic during the bake → production");
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<PredictionClient.Tally> bakeTraffic = CompletableFuture.supplyAsync(() ->
                client.sendUntil(shifted, () -> {
                    pause(20);
                    return stop.get();
                }));
        ExecutionDescription v2;
        try {
            v2 = follow(runtime, retrainingArn);
        } finally {
            stop.set(true);
        }
        PredictionClient.Tally during = bakeTraffic.join();
        requireSucceeded(v2, "training and deploying v2");
        say("traffic while v2 trained and baked: " + during);
        for (ExecutionDescription d : runtime.executor().list()) {
            if (retrainingArn.equals(d.parentArn()) && d.output() != null) {
                JsonNode verdict = Json.tree(d.output()).path("health").path("verdict");
                if (verdict.has("reason")) {
                    say("canary health: " + (verdict.path("healthy").asBoolean() ? "healthy" : "unhealthy") + ", "
                            + verdict.path("reason").asText());
                }
            }
        }
        int production = alias(runtime, model, Alias.PRODUCTION);
        if (production != 2) {
            throw new DemoFailedException("v2 is not in production (production is v" + production + ")");
        }
        say("v2 " + runtime.registry().version(model, 2).status() + ", metrics "
                + metrics(runtime.registry().version(model, 2)) + "; production → v2, previous → v"
                + alias(runtime, model, Alias.PREVIOUS));

        phase("retire v1 (retirement workflow)");
        runtime.registry().deleteAlias(model, Alias.PREVIOUS, 1, Change.by("demo", "version 1 is being retired"));
        say("alias 'previous' released from v1 (retirement refuses a version an alias points at)");
        String retireArn = runtime.workflows().start(Workflows.RETIREMENT, model + "-v1-retire",
                Json.write(Map.of("model", model, "version", 1)));
        requireSucceeded(follow(runtime, retireArn), "retiring v1");
        say("v1 " + runtime.registry().version(model, 1).status());

        phase("audit trail");
        List<AuditEvent> events = audit(runtime, model);
        for (AuditEvent e : events) {
            say(String.format(Locale.ROOT, "  #%-3d %-20s %-18s %-28s %s", e.sequence(), e.action(), e.subject(),
                    e.actor(), e.reason() == null ? "" : e.reason()));
        }
        AuditVerification verification = runtime.registry().verifyAudit(model);
        say("audit chain " + (verification.intact() ? "verified" : "BROKEN: " + verification.problem()) + ": "
                + verification.eventsChecked() + " events, head " + verification.headHash());
        if (!verification.intact()) {
            throw new DemoFailedException("the audit chain does not verify: " + verification.problem());
        }
        say("drift report: " + html);
        endPhase();

        Duration total = progress.elapsed();
        out.println();
        out.println("Phase timings:");
        for (Phase p : phases) {
            out.printf(Locale.ROOT, "  %6.1f s  %s%n", p.took().toMillis() / 1000.0, p.name());
        }
        out.printf(Locale.ROOT, "  %6.1f s  total%n", total.toMillis() / 1000.0);
        return new Result(model, List.copyOf(phases), total, production, 1, events.size(), verification.intact(), html,
                baseline.perSecond());
    }

    // ------------------------------------------------------------------------------------------------ steps

    private Model withDemoPolicies(Model m) {
        Policies policies = new Policies(
                // Retraining on drifted data may trail the champion on the old holdout a little; allow it.
                new Policies.QualityGate(null, 0.6, 0.05),
                Policies.ApprovalPolicy.DEFAULT,
                null,
                new Policies.CanaryPolicy(0.5, options.bakeSeconds(), null, null),
                null,
                new Policies.CapturePolicy(1.0));
        return new Model(m.name(), m.task(), m.schema(), m.target(), m.owner(), Map.of("demo", "true"), policies, null);
    }

    private void createThroughGateway(URI url, Model m) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", m.name());
        body.put("task", m.task());
        body.put("schema", m.schema());
        body.put("target", m.target());
        body.put("owner", m.owner());
        body.put("tags", m.tags());
        body.put("policies", m.policies());
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.resolve("/models"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new DemoFailedException("creating the model answered " + response.statusCode() + ": "
                        + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoFailedException("interrupted");
        }
    }

    /** Numeric features shifted by 2.5 standard deviations: more than half of them, so the share crosses 0.5. */
    private static Map<String, Double> shifts(SyntheticDataset source) {
        Map<String, Double> shifts = new LinkedHashMap<>();
        int n = source.numericFeatures() * 2 / 3;
        for (int i = 1; i <= n; i++) {
            shifts.put("x" + i, 2.5);
        }
        return shifts;
    }

    private static List<Map<String, Object>> rows(SyntheticDataset source) {
        return rows(source.generate());
    }

    private static List<Map<String, Object>> rows(Dataset d) {
        List<Map<String, Object>> rows = new ArrayList<>(d.size());
        for (Row r : d.rows()) {
            rows.add(r.toMap(d.schema()));
        }
        return rows;
    }

    private String retrainingExecution(LocalRuntime runtime, ExecutionDescription driftCheck) {
        // The drift check starts training-pipeline with states:startExecution; its child names its parent.
        for (ExecutionDescription d : runtime.executor().list()) {
            if (driftCheck.executionArn().equals(d.parentArn())
                    && d.stateMachineArn().endsWith(":" + Workflows.TRAINING_PIPELINE)) {
                return d.executionArn();
            }
        }
        String arn = Json.tree(driftCheck.output()).path("retrainingExecution").path("ExecutionArn").asText(null);
        if (arn == null) {
            throw new DemoFailedException("the drift check started no training-pipeline execution");
        }
        return arn;
    }

    private ExecutionDescription follow(LocalRuntime runtime, String arn) {
        try {
            return progress.follow(runtime, arn, options.timeout());
        } catch (IllegalStateException e) {
            throw new DemoFailedException(e.getMessage());
        }
    }

    private EventBus.Delivery awaitDelivery(Predicate<EventBus.Delivery> which) {
        try {
            return progress.awaitDelivery(which, options.timeout());
        } catch (IllegalStateException e) {
            throw new DemoFailedException(e.getMessage());
        }
    }

    private static void requireSucceeded(ExecutionDescription d, String what) {
        if (d.status() != ExecutionStatus.SUCCEEDED) {
            throw new DemoFailedException(what + " failed: " + Progress.failure(d));
        }
    }

    private static void requireAllOk(PredictionClient.Tally tally, String what) {
        if (tally.ok() != tally.requests()) {
            throw new DemoFailedException(what + ": " + tally);
        }
    }

    private static int alias(LocalRuntime runtime, String model, String alias) {
        return runtime.registry().alias(model, alias).map(Alias::version).orElse(0);
    }

    private static List<AuditEvent> audit(LocalRuntime runtime, String model) {
        List<AuditEvent> all = new ArrayList<>();
        String token = null;
        do {
            Page<AuditEvent> page = runtime.registry().audit(model, new PageRequest(token, PageRequest.MAX_LIMIT));
            all.addAll(page.items());
            token = page.nextToken();
        } while (token != null);
        return all;
    }

    private static String freeName(LocalRuntime runtime, String base) {
        Set<String> taken = new HashSet<>();
        String token = null;
        do {
            Page<Model> page = runtime.registry().models(new PageRequest(token, PageRequest.MAX_LIMIT));
            page.items().forEach(m -> taken.add(m.name()));
            token = page.nextToken();
        } while (token != null);
        String name = base;
        for (int i = 2; taken.contains(name); i++) {
            name = base + "-" + i;
        }
        return name;
    }

    private static Path dataDir(LocalRuntime runtime) {
        Path dir = runtime.home().resolve("demo-data");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        return dir;
    }

    private static String metrics(ModelVersion v) {
        StringBuilder s = new StringBuilder();
        if (v.metrics() != null) {
            new java.util.TreeMap<>(v.metrics()).forEach((k, val) -> {
                if (k.equals("roc_auc") || k.equals("accuracy") || k.equals("log_loss")) {
                    s.append(s.length() == 0 ? "" : ", ").append(k).append(' ').append(fmt(val));
                }
            });
        }
        return s.length() == 0 ? "{}" : s.toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------------------ printing

    private void phase(String name) {
        endPhase();
        phase = name;
        phaseStart = System.nanoTime();
        out.println();
        say("▶ " + name);
    }

    private void endPhase() {
        if (phase != null) {
            phases.add(new Phase(phase, Duration.ofNanos(System.nanoTime() - phaseStart)));
            phase = null;
        }
    }

    private void say(String line) {
        progress.say(line);
    }

    /** The demo could not go on; the message says which step failed and why. */
    public static final class DemoFailedException extends RuntimeException {
        public DemoFailedException(String message) {
            super(message);
        }
    }
}
