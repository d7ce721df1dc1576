package io.modelcycle.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.Json;
import io.modelcycle.core.dataset.SyntheticDataset;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.model.Policies;
import io.modelcycle.core.registry.Change;
import io.modelcycle.local.runtime.LocalRuntime;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle verbs in-process on one home, around one real training (train from a CSV with an inferred schema):
 * what they print, their exit codes, and one-line errors without stack traces.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LifecycleCommandsTest {

    @TempDir
    static Path dir;

    private Path home;
    private Path data;
    private Result trained;

    record Result(int code, String out, String err) {
        JsonNode json() {
            return Json.tree(out);
        }
    }

    private Result cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = ModelCycleCli.run(args, o, e);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Result onHome(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--home";
        all[1] = home.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return cli(all);
    }

    @BeforeAll
    void trainFromACsv() {
        home = dir.resolve("home");
        data = dir.resolve("churn.csv");
        SyntheticDataset.binary(400, 4, 5).generate().writeCsv(data);
        trained = onHome("train", data.toString(), "--model", "churn", "--target", "target");
    }

    @Test
    void trainCreatesTheModelFromTheCsvAndFollowsThePipelineToProduction() {
        assertThat(trained.code()).as(trained.err()).isZero();
        JsonNode result = trained.json();
        assertThat(result.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.path("version").asInt()).isEqualTo(1);
        assertThat(result.path("production").asInt()).isEqualTo(1);
        assertThat(result.path("metrics").has("roc_auc")).isTrue();
        // progress went to standard error as it happened: the trigger, the states, the epochs
        assertThat(trained.err()).containsSubsequence("created model 'churn': BINARY_CLASSIFICATION",
                "rule dataset-uploaded → training-pipeline", "training-pipeline › Train", "epoch=1/",
                "deployment › Promote", "training-pipeline SUCCEEDED");
    }

    @Test
    void modelsAndVersionsShowTheModelItsVersionAndAliases() {
        Result models = onHome("models");
        Result versions = onHome("versions", "churn");

        assertThat(models.code()).isZero();
        assertThat(models.json().path("models").get(0).path("name").asText()).isEqualTo("churn");
        assertThat(models.json().path("models").get(0).path("aliases").path("production").asInt()).isEqualTo(1);
        assertThat(versions.code()).isZero();
        JsonNode v1 = versions.json().path("versions").get(0);
        assertThat(v1.path("status").asText()).isEqualTo("DEPLOYED");
        assertThat(v1.path("aliases").toString()).contains("production");
        assertThat(v1.path("trigger").asText()).isEqualTo("dataset-upload");
    }

    @Test
    void predictAnswersThroughTheGatewayAndExplainsABadRowInOneLine() {
        Result ok = onHome("predict", "churn", "--row", "{\"x1\": 0.5, \"x2\": -1, \"x3\": 0.1, \"c1\": null}");
        Result bad = onHome("predict", "churn", "--row", "{\"x1\": 0.5}");

        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.json().path("version").asInt()).isEqualTo(1);
        assertThat(ok.json().path("predictions")).hasSize(1);
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("400").contains("x2").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(bad.err().strip().lines()).hasSize(1);
    }

    @Test
    void driftRunsTheDriftCheckWorkflowNow() {
        Result drift = onHome("drift", "churn", "--measure-only");

        assertThat(drift.code()).as(drift.err()).isZero();
        assertThat(drift.json().path("model").asText()).isEqualTo("churn");
        assertThat(drift.json().has("rowsChecked")).isTrue();
        assertThat(drift.err()).contains("drift-check › CheckDrift");
    }

    @Test
    void retireIsRefusedWhileProductionPointsAtTheVersion() {
        Result retire = onHome("retire", "churn", "1");

        assertThat(retire.code()).isEqualTo(1);
        assertThat(retire.err()).contains("production").doesNotContain("\tat ");
        assertThat(onHome("versions", "churn").json().path("versions").get(0).path("status").asText())
                .isEqualTo("DEPLOYED");
    }

    @Test
    void rollbackWithoutAPreviousVersionFailsWithAClearMessage() {
        Result rollback = onHome("rollback", "churn");

        assertThat(rollback.code()).isEqualTo(1);
        assertThat(rollback.err()).contains("no previous version").doesNotContain("\tat ");
    }

    @Test
    void auditPrintsTheEventsAndVerifiesTheChain() {
        Result audit = onHome("audit", "churn");

        assertThat(audit.code()).isZero();
        assertThat(audit.json().path("verification").path("intact").asBoolean()).isTrue();
        assertThat(audit.json().path("events").size()).isGreaterThanOrEqualTo(4);
        assertThat(audit.json().path("events").get(0).path("action").asText()).isEqualTo("MODEL_CREATED");
    }

    @Test
    void executionsListsTheWorkflowsRun() {
        Result all = onHome("executions");
        Result failed = onHome("executions", "--status", "FAILED", "--workflow", "training-pipeline");

        assertThat(all.code()).isZero();
        assertThat(all.out()).contains("\"workflow\" : \"training-pipeline\"").contains("\"workflow\" : \"deployment\"");
        assertThat(failed.json().path("executions")).isEmpty();
    }

    @Test
    void anApprovalFromAnotherCommandResumesAPipelineWaitingInAnUpload() throws Exception {
        // GIVEN a model whose versions need a person's approval
        try (LocalRuntime admin = LocalRuntime.open(home)) {
            Model churn = admin.registry().model("churn");
            admin.registry().createModel(new Model("gated", churn.task(), churn.schema(), churn.target(), "me", Map.of(),
                    new Policies(null, new Policies.ApprovalPolicy(Policies.ApprovalPolicy.Mode.MANUAL), null, null,
                            null, null), null), Change.by("test", null));
        }
        // WHEN an upload runs the pipeline (its own runtime, like another process) and it waits for approval
        CompletableFuture<Result> upload = CompletableFuture.supplyAsync(() ->
                onHome("upload", data.toString(), "--model", "gated"));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String status = "";
        while (!status.equals("PENDING_APPROVAL") && System.nanoTime() < deadline && !upload.isDone()) {
            Thread.sleep(200);
            JsonNode versions = onHome("versions", "gated").json().path("versions");
            status = versions.isEmpty() ? "" : versions.get(0).path("status").asText();
        }
        assertThat(status).as("the pipeline waits for approval").isEqualTo("PENDING_APPROVAL");
        Result approve = onHome("approve", "gated", "1", "--reason", "looks good");

        // THEN the approval is recorded, and the waiting pipeline resumes and deploys the version
        assertThat(approve.code()).as(approve.err()).isZero();
        assertThat(approve.json().path("status").asText()).isEqualTo("APPROVED");
        Result uploaded = upload.get(2, TimeUnit.MINUTES);
        assertThat(uploaded.code()).as(uploaded.err()).isZero();
        assertThat(uploaded.json().path("production").asInt()).isEqualTo(1);
        assertThat(uploaded.err()).contains("training-pipeline › WaitForApproval").contains("deployment › Promote");
    }

    @Test
    void anotherHomeHasItsOwnState() {
        Result other = cli("--home", dir.resolve("other").toString(), "models");

        assertThat(other.code()).isZero();
        assertThat(other.json().path("models")).isEmpty();
    }

    @Test
    void userErrorsExitTwoWithOneLineAndTheHelpHint() {
        for (List<String> args : List.of(
                List.of("versions"),
                List.of("predict", "churn", "--row", "not json"),
                List.of("upload", "missing.csv", "--model", "churn"),
                List.of("train", data.toString(), "--model", "newmodel"),
                List.of("approve", "churn", "zero"),
                List.of("models", "--colour", "red"),
                List.of("drift", "--reference", data.toString()))) {
            Result r = onHome(args.toArray(String[]::new));
            assertThat(r.code()).as("%s: %s", args, r.err()).isEqualTo(2);
            assertThat(r.err()).as("%s", args).startsWith("modelcycle " + args.get(0) + ": ")
                    .contains("--help").doesNotContain("Exception");
        }
    }

    @Test
    void everyVerbHasHelp() {
        for (String verb : List.of("demo", "serve", "upload", "train", "models", "versions", "predict", "approve",
                "promote", "rollback", "drift", "retire", "audit", "executions")) {
            Result help = cli(verb, "--help");
            assertThat(help.code()).as(verb).isZero();
            assertThat(help.out()).as(verb).startsWith("Usage: modelcycle").contains(verb);
        }
    }

    @Test
    void standaloneDriftComparesTwoCsvFilesAndWritesTheHtmlReport() throws Exception {
        Path reference = dir.resolve("reference.csv");
        Path current = dir.resolve("current.csv");
        SyntheticDataset base = SyntheticDataset.binary(500, 4, 1);
        base.generate().writeCsv(reference);
        base.withSeed(2).withShifts(Map.of("x1", 3.0, "x2", 3.0)).generate().writeCsv(current);
        Path html = dir.resolve("out/report.html");

        Result drift = cli("drift", "--reference", reference.toString(), "--current", current.toString(),
                "--target", "target", "--html", html.toString());

        assertThat(drift.code()).as(drift.err()).isZero();
        assertThat(drift.json().path("drifted").asBoolean()).isTrue();
        assertThat(drift.json().path("drift").path("features").findValuesAsText("feature")).contains("x1", "x2", "c1");
        assertThat(drift.json().path("drift").path("features").toString()).doesNotContain("\"target\"");
        assertThat(Files.readString(html)).contains("<html").contains("Dataset drift");
    }

    @Test
    void serveStartsTheGatewayAndStops() {
        Result serve = onHome("serve", "--port", "0", "--for", "1");

        assertThat(serve.code()).as(serve.err()).isZero();
        assertThat(serve.out()).contains("at http://127.0.0.1:").contains("POST /models/{name}/predict")
                .contains("POST /models/{name}/feedback");
    }
}
