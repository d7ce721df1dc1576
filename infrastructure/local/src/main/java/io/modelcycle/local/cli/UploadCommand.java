package io.modelcycle.local.cli;

import io.modelcycle.core.Json;
import io.modelcycle.core.registry.ModelVersion;
import io.modelcycle.local.asl.ExecutionDescription;
import io.modelcycle.local.asl.ExecutionStatus;
import io.modelcycle.local.demo.Progress;
import io.modelcycle.local.events.EventBus;
import io.modelcycle.local.runtime.LocalRuntime;
import io.modelcycle.local.runtime.TriggerRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code modelcycle upload <file.csv> --model NAME}: a dataset upload; the trigger starts training. */
final class UploadCommand implements Command {

    @Override
    public List<String> words() {
        return List.of("upload");
    }

    @Override
    public String summary() {
        return "upload a dataset to datasets/<model>/: the trigger starts training-pipeline";
    }

    @Override
    public String help() {
        return """
                Usage: modelcycle [--home DIR] upload <file.csv> --model NAME

                Puts the CSV under datasets/<model>/ in the artifact store. As on AWS, the S3 "Object Created"
                event goes through the dataset rule and starts training-pipeline; this command follows it to the
                end (validate, train with per-epoch progress, quality gate, approval, deployment) and prints the
                result as JSON. The model must exist (see 'modelcycle train' to create it from the CSV).

                Exit codes: 0 the pipeline succeeded; 1 it failed or the model does not exist; 2 bad arguments.""";
    }

    @Override
    public int run(List<String> args, CliContext context) throws Exception {
        Options o = Options.parse(args, Set.of("model"), Set.of());
        Path csv = Path.of(o.positional("file.csv").get(0));
        if (!o.has("model")) {
            throw new UsageException("--model NAME is required");
        }
        String model = LocalVerbs.modelName(o.get("model"));
        requireReadable(csv);
        Progress progress = new Progress(context.err());
        try (HandlerLogs logs = HandlerLogs.redirect(context.home(), "cli");
             LocalRuntime runtime = LocalVerbs.open(context, progress);
             ApprovalRelay relay = ApprovalRelay.start(runtime, LocalVerbs.RELAY_EVERY)) {
            runtime.registry().model(model);
            return uploadAndFollow(runtime, progress, context, model, csv);
        }
    }

    static void requireReadable(Path csv) throws UsageException {
        if (!Files.isRegularFile(csv) || !Files.isReadable(csv)) {
            throw new UsageException("cannot read " + csv + ": no such file");
        }
        if (!csv.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv")) {
            throw new UsageException(csv + " is not a .csv file");
        }
    }

    /** Uploads, waits for the trigger's pipeline, follows it; prints the result; returns the exit code. */
    static int uploadAndFollow(LocalRuntime runtime, Progress progress, CliContext context, String model, Path csv) {
        String key = runtime.uploadDataset(model, csv);
        progress.say("uploaded " + csv + " → s3://" + runtime.bucket() + "/" + key);
        EventBus.Delivery delivery = progress.awaitDelivery(d -> d.rule().equals(TriggerRules.DATASET_RULE)
                && key.equals(d.input().path("datasetKey").asText()), Duration.ofSeconds(30));
        ExecutionDescription d = LocalVerbs.follow(runtime, progress, delivery.executionArn());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("model", model);
        result.put("datasetKey", key);
        result.put("execution", d.executionArn());
        result.put("status", d.status());
        var output = d.output() == null ? null : Json.tree(d.output());
        int version = output == null ? 0 : output.path("registered").path("candidate").path("version").asInt(0);
        if (version > 0) {
            ModelVersion v = runtime.registry().version(model, version);
            result.put("version", version);
            result.put("versionStatus", v.status());
            result.put("metrics", v.metrics());
        }
        runtime.registry().alias(model, "production").ifPresent(a -> result.put("production", a.version()));
        LocalVerbs.printJson(context, result);
        if (d.status() != ExecutionStatus.SUCCEEDED) {
            context.err().println("modelcycle: training-pipeline " + LocalVerbs.failure(d));
            return FAILED;
        }
        return OK;
    }
}
