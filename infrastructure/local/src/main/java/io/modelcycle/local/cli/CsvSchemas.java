package io.modelcycle.local.cli;

import io.modelcycle.core.Json;
import io.modelcycle.core.dataset.CsvReader;
import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.model.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A schema and task for any CSV, inferred from its values: a column whose every non-empty value is a number is
 * numeric, any other is categorical with the values seen as its allowed values; the task follows the target
 * column: two distinct values → binary, up to {@value #MAX_CLASSES} → multiclass, more (numbers) → regression.
 */
final class CsvSchemas {

    /** More distinct target values than this make a numeric target a regression. */
    static final int MAX_CLASSES = 20;
    /** A categorical feature with more distinct values than this is refused: give a schema instead. */
    static final int MAX_LEVELS = 200;

    /** What was inferred (or read). */
    record Inferred(FeatureSchema schema, Task task, String target, long rows) {
    }

    private CsvSchemas() {
    }

    /** Reads a schema file: {@code {"features": [{"name", "type", "allowedValues"}]}}, as the registry API takes it. */
    static FeatureSchema read(Path file) {
        try {
            return Json.mapper().readValue(Files.readAllBytes(file), FeatureSchema.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the schema " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Infers the schema of every column but {@code target}, and the task from {@code target}; with a null target,
     * every column is a feature and the task is null.
     */
    static Inferred infer(Path csv, String target) {
        try (CsvReader reader = CsvReader.open(csv)) {
            List<String> header = reader.header();
            int targetIndex = target == null ? -1 : header.indexOf(target);
            if (target != null && targetIndex < 0) {
                throw new IllegalArgumentException("target column '" + target + "' is not in " + csv + " (columns: "
                        + String.join(", ", header) + ")");
            }
            int n = header.size();
            boolean[] numeric = new boolean[n];
            java.util.Arrays.fill(numeric, true);
            List<Set<String>> values = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                values.add(new TreeSet<>());
            }
            long rows = 0;
            for (List<String> record = reader.next(); record != null; record = reader.next()) {
                rows++;
                for (int i = 0; i < n && i < record.size(); i++) {
                    String v = record.get(i).strip();
                    if (v.isEmpty()) {
                        continue;
                    }
                    if (numeric[i] && !isNumber(v)) {
                        numeric[i] = false;
                    }
                    if (values.get(i).size() <= Math.max(MAX_LEVELS, MAX_CLASSES)) {
                        values.get(i).add(v);
                    }
                }
            }
            if (rows == 0) {
                throw new IllegalArgumentException(csv + " has a header but no rows");
            }
            List<Feature> features = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (i == targetIndex) {
                    continue;
                }
                String name = header.get(i);
                if (numeric[i]) {
                    features.add(Feature.numeric(name));
                } else if (values.get(i).size() > MAX_LEVELS) {
                    throw new IllegalArgumentException("column '" + name + "' has more than " + MAX_LEVELS
                            + " distinct non-numeric values; give a schema with --schema");
                } else {
                    features.add(Feature.categorical(name, List.copyOf(values.get(i))));
                }
            }
            if (target == null) {
                return new Inferred(new FeatureSchema(features), null, null, rows);
            }
            int classes = values.get(targetIndex).size();
            Task task;
            if (classes < 2) {
                throw new IllegalArgumentException("target column '" + target + "' has " + classes
                        + " distinct value(s); a model needs at least two");
            } else if (classes == 2) {
                task = Task.BINARY_CLASSIFICATION;
            } else if (classes <= MAX_CLASSES || !numeric[targetIndex]) {
                if (classes > MAX_CLASSES) {
                    throw new IllegalArgumentException("target column '" + target + "' has more than " + MAX_CLASSES
                            + " distinct non-numeric values: too many classes");
                }
                task = Task.MULTICLASS_CLASSIFICATION;
            } else {
                task = Task.REGRESSION;
            }
            return new Inferred(new FeatureSchema(features), task, target, rows);
        }
    }

    /**
     * One schema for two files: a feature is numeric when it is numeric in both, and a categorical feature allows
     * the values seen in either.
     */
    static FeatureSchema merge(FeatureSchema a, FeatureSchema b) {
        List<Feature> merged = new ArrayList<>();
        for (Feature f : a.features()) {
            Feature other = b.feature(f.name()).orElseThrow(() -> new IllegalArgumentException(
                    "column '" + f.name() + "' is in one file but not the other"));
            if (f.type() == io.modelcycle.core.model.FeatureType.NUMERIC
                    && other.type() == io.modelcycle.core.model.FeatureType.NUMERIC) {
                merged.add(f);
            } else {
                Set<String> levels = new TreeSet<>();
                if (f.allowedValues() != null) {
                    levels.addAll(f.allowedValues());
                }
                if (other.allowedValues() != null) {
                    levels.addAll(other.allowedValues());
                }
                if (f.type() == io.modelcycle.core.model.FeatureType.NUMERIC
                        || other.type() == io.modelcycle.core.model.FeatureType.NUMERIC) {
                    throw new IllegalArgumentException("column '" + f.name()
                            + "' is numeric in one file and not in the other; give a schema with --schema");
                }
                merged.add(Feature.categorical(f.name(), List.copyOf(levels)));
            }
        }
        return new FeatureSchema(merged);
    }

    private static boolean isNumber(String v) {
        try {
            double d = Double.parseDouble(v);
            return Double.isFinite(d);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
