package io.modelcycle.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.Json;
import io.modelcycle.core.dataset.CsvReader;
import io.modelcycle.core.drift.DriftDetector;
import io.modelcycle.core.drift.DriftReport;
import io.modelcycle.core.lifecycle.DriftCheckReport;
import io.modelcycle.core.lifecycle.DriftReportPage;
import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.model.FeatureType;
import io.modelcycle.core.model.Policies;
import io.modelcycle.core.profile.Profile;
import io.modelcycle.core.profile.ProfileBuilder;
import io.modelcycle.local.asl.ExecutionDescription;
import io.modelcycle.local.asl.ExecutionStatus;
import io.modelcycle.local.demo.Progress;
import io.modelcycle.local.runtime.LocalRuntime;
import io.modelcycle.local.runtime.Workflows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code modelcycle drift <model>} runs the drift-check workflow now; {@code modelcycle drift --reference a.csv
 * --current b.csv} compares two CSV files with no model at all.
 */
final class DriftCommand implements Command {

    @Override
    public List<String> words() {
        return List.of("drift");
    }

    @Override
    public String summary() {
        return "check a model's drift now, or compare two CSVs (--reference, --current): report JSON + HTML";
    }

    @Override
    public String help() {
        return """
                Usage: modelcycle [--home DIR] drift <model> [--window MINUTES] [--measure-only]
                       modelcycle drift --reference a.csv --current b.csv [--schema FILE] [--target COL]
                                        [--html FILE]

                With a model: runs the drift-check workflow now over the last --window minutes of captured traffic
                (default 60) against the production version's baseline profile: publishes the drift metrics and
                writes the report (JSON and HTML) under reports/<model>/drift/. When it finds drift it prepares a
                retraining dataset and starts training-pipeline (followed to the end) unless --measure-only.
                Prints the report JSON; the HTML's path goes to standard error.

                Standalone: profiles both CSV files (schema from --schema, or inferred from the two files; --target
                names a column to leave out), compares them with the same statistics (KS, Wasserstein, JS,
                chi-squared, PSI per feature type, default thresholds), prints the report JSON and writes the HTML
                report (default drift-report.html).

                Exit codes: 0 checked (drifted or not: see "drifted"); 1 the check failed (no production version,
                no baseline, ...); 2 bad arguments or unreadable CSV.""";
    }

    @Override
    public int run(List<String> args, CliContext context) throws Exception {
        Options o = Options.parse(args, Set.of("window", "reference", "current", "schema", "target", "html"),
                Set.of("measure-only"));
        if (o.has("reference") || o.has("current")) {
            o.positional();
            if (!o.has("reference") || !o.has("current")) {
                throw new UsageException("the standalone check needs both --reference and --current");
            }
            return standalone(context, Path.of(o.get("reference")), Path.of(o.get("current")), o.get("schema"),
                    o.get("target"), Path.of(o.get("html", "drift-report.html")));
        }
        String model = LocalVerbs.modelName(o.positional("model").get(0));
        int window = o.intValue("window", 60, 1, 31 * 24 * 60);
        Progress progress = new Progress(context.err());
        try (HandlerLogs logs = HandlerLogs.redirect(context.home(), "cli");
             LocalRuntime runtime = LocalVerbs.open(context, progress);
             ApprovalRelay relay = ApprovalRelay.start(runtime, LocalVerbs.RELAY_EVERY)) {
            runtime.registry().model(model);
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("model", model);
            // A scheduled check only measures; any other trigger retrains when it confirms drift.
            input.put("trigger", o.has("measure-only") ? "schedule" : "manual");
            input.put("windowMinutes", window);
            String arn = runtime.workflows().start(Workflows.DRIFT_CHECK, model + "-manual-" + System.currentTimeMillis(),
                    Json.write(input));
            ExecutionDescription d = LocalVerbs.follow(runtime, progress, arn);
            if (d.status() != ExecutionStatus.SUCCEEDED) {
                context.err().println("modelcycle drift: " + LocalVerbs.failure(d));
                return FAILED;
            }
            JsonNode report = Json.tree(d.output()).path("drift").path("report");
            LocalVerbs.printJson(context, report);
            if (report.hasNonNull("htmlKey")) {
                context.err().println("drift report: " + runtime.artifactRoot().resolve(report.get("htmlKey").asText()));
            }
            return OK;
        }
    }

    private static int standalone(CliContext context, Path reference, Path current, String schemaFile, String target,
                                  Path html) throws Exception {
        for (Path p : List.of(reference, current)) {
            if (!Files.isRegularFile(p)) {
                throw new UsageException("cannot read " + p + ": no such file");
            }
        }
        FeatureSchema schema;
        try {
            schema = schemaFile != null ? CsvSchemas.read(Path.of(schemaFile))
                    : CsvSchemas.merge(CsvSchemas.infer(reference, target).schema(),
                            CsvSchemas.infer(current, target).schema());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Profile baseline = profile(ProfileBuilder.baseline(schema, null), schema, reference);
        Profile currentProfile = profile(ProfileBuilder.against(baseline), schema, current);
        DriftReport drift = new DriftDetector(Policies.DriftPolicy.DEFAULT).detect(baseline, currentProfile);
        Instant now = Instant.now();
        String reason = drift.datasetDrift()
                ? String.format(Locale.ROOT, "dataset drift: %d of %d features drifted", drift.driftedFeatures(),
                        drift.features().size())
                : String.format(Locale.ROOT, "no dataset drift: %d of %d features drifted", drift.driftedFeatures(),
                        drift.features().size());
        DriftCheckReport report = new DriftCheckReport(reference.getFileName() + " vs " + current.getFileName(), 0,
                "manual", now, now, now, reference.toString(), drift.rowsChecked(), drift.datasetDrift(),
                drift.driftedShare(), reason, drift, null, null, html.toString());
        Path parent = html.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(html, DriftReportPage.render(report, baseline, currentProfile), StandardCharsets.UTF_8);
        LocalVerbs.printJson(context, report);
        context.err().println(reason + "; HTML report: " + html.toAbsolutePath());
        return OK;
    }

    /** Profiles a CSV file: numbers parsed for numeric features, empty cells missing, other columns ignored. */
    private static Profile profile(ProfileBuilder builder, FeatureSchema schema, Path csv) throws UsageException {
        try (CsvReader reader = CsvReader.open(csv)) {
            List<String> header = reader.header();
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                index.put(header.get(i), i);
            }
            for (Feature f : schema.features()) {
                if (!index.containsKey(f.name())) {
                    throw new UsageException(csv + " has no column '" + f.name() + "'");
                }
            }
            for (List<String> record = reader.next(); record != null; record = reader.next()) {
                Map<String, Object> row = new HashMap<>();
                for (Feature f : schema.features()) {
                    int i = index.get(f.name());
                    String v = i < record.size() ? record.get(i).strip() : "";
                    if (v.isEmpty()) {
                        row.put(f.name(), null);
                    } else if (f.type() == FeatureType.NUMERIC) {
                        try {
                            row.put(f.name(), Double.parseDouble(v));
                        } catch (NumberFormatException e) {
                            throw new UsageException(csv + " line " + reader.recordLine() + ": column '" + f.name()
                                    + "' is numeric, got '" + v + "'");
                        }
                    } else {
                        row.put(f.name(), v);
                    }
                }
                builder.add(row);
            }
        }
        if (builder.rows() == 0) {
            throw new UsageException(csv + " has no rows");
        }
        return builder.build();
    }
}
