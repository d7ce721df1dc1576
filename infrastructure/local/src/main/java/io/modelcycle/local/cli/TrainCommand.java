package io.modelcycle.local.cli;

import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.model.Policies;
import io.modelcycle.core.model.Task;
import io.modelcycle.core.registry.Change;
import io.modelcycle.local.demo.Progress;
import io.modelcycle.local.runtime.LocalRuntime;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code modelcycle train <file.csv> --model NAME [--target COL] [--schema FILE] [--task TASK]}: trains from any local
 * CSV, creating the model first when it does not exist.
 */
final class TrainCommand implements Command {

    @Override
    public List<String> words() {
        return List.of("train");
    }

    @Override
    public String summary() {
        return "train from any CSV (creates the model, schema inferred or given), following the pipeline";
    }

    @Override
    public String help() {
        return """
                Usage: modelcycle [--home DIR] train <file.csv> --model NAME [--target COL] [--schema FILE]
                                                     [--task BINARY_CLASSIFICATION|MULTICLASS_CLASSIFICATION|REGRESSION]

                When the model does not exist, creates it from the CSV: --target names the column to predict; the
                schema is read from --schema (JSON: {"features": [{"name", "type": "NUMERIC"|"CATEGORICAL",
                "allowedValues"}]}) or inferred (a column of numbers is numeric, any other column categorical with
                the values seen); the task is --task or inferred from the target (2 values: binary, up to 20:
                multiclass, more numbers: regression). Default policies (automatic approval).
                Then uploads the CSV to datasets/<model>/ (the trigger starts training-pipeline) and follows the
                pipeline, with per-epoch progress on standard error; prints the result as JSON.

                Exit codes: 0 trained (and deployed or gated as the policies say); 1 the pipeline failed;
                2 bad arguments or a CSV the schema cannot be inferred from.""";
    }

    @Override
    public int run(List<String> args, CliContext context) throws Exception {
        Options o = Options.parse(args, Set.of("model", "target", "schema", "task"), Set.of());
        Path csv = Path.of(o.positional("file.csv").get(0));
        if (!o.has("model")) {
            throw new UsageException("--model NAME is required");
        }
        String name = LocalVerbs.modelName(o.get("model"));
        UploadCommand.requireReadable(csv);
        Task task = null;
        if (o.has("task")) {
            try {
                task = Task.valueOf(o.get("task").toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UsageException("unknown task '" + o.get("task") + "'");
            }
        }
        Progress progress = new Progress(context.err());
        try (HandlerLogs logs = HandlerLogs.redirect(context.home(), "cli");
             LocalRuntime runtime = LocalVerbs.open(context, progress);
             ApprovalRelay relay = ApprovalRelay.start(runtime, LocalVerbs.RELAY_EVERY)) {
            if (!exists(runtime, name)) {
                if (!o.has("target")) {
                    throw new UsageException("model '" + name + "' does not exist: --target COL is needed to create it");
                }
                Model model = define(name, csv, o.get("target"), o.get("schema"), task);
                runtime.registry().createModel(model, Change.by(LocalVerbs.actor(), "created from " + csv.getFileName()));
                progress.say("created model '" + name + "': " + model.task() + ", target '" + model.target() + "', "
                        + model.schema().features().size() + " features " + describe(model.schema()));
            } else if (o.has("schema") || o.has("task") || o.has("target")) {
                progress.say("model '" + name + "' exists: --target, --schema and --task are ignored");
            }
            return UploadCommand.uploadAndFollow(runtime, progress, context, name, csv);
        }
    }

    private static boolean exists(LocalRuntime runtime, String name) {
        try {
            runtime.registry().model(name);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    static Model define(String name, Path csv, String target, String schemaFile, Task task) throws UsageException {
        try {
            CsvSchemas.Inferred inferred = CsvSchemas.infer(csv, target);
            FeatureSchema schema = schemaFile == null ? inferred.schema() : CsvSchemas.read(Path.of(schemaFile));
            return new Model(name, task == null ? inferred.task() : task, schema, target, LocalVerbs.actor(), Map.of(),
                    Policies.defaults(), null);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static String describe(FeatureSchema schema) {
        StringBuilder s = new StringBuilder("(");
        schema.features().forEach(f -> s.append(s.length() == 1 ? "" : ", ").append(f.name())
                .append(f.type() == io.modelcycle.core.model.FeatureType.NUMERIC ? "" : " " + f.allowedValues()));
        String text = s.append(")").toString();
        return text.length() > 200 ? text.substring(0, 197) + "…)" : text;
    }
}
