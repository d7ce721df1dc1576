package io.modelcycle.core.dataset;

import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.model.Task;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads CSV files against a schema: columns are found by header name (any order, extra columns ignored), numeric
 * values must be finite numbers, categorical values must be among the feature's allowed values, an empty field is
 * a missing feature value. The target must be present in every row: a number for regression, a label otherwise.
 * Stateless and thread-safe.
 */
public final class DatasetReader {

    private final FeatureSchema schema;
    private final String target;
    private final Task task;
    private final List<Set<String>> allowed = new ArrayList<>();

    /**
     * @param target the target column; null to read unlabeled rows (scoring data), whose {@link Row#target()} is null
     */
    public DatasetReader(FeatureSchema schema, String target, Task task) {
        if (schema == null || task == null) {
            throw new IllegalArgumentException("schema and task are required");
        }
        this.schema = schema;
        this.target = target;
        this.task = task;
        for (Feature f : schema.features()) {
            allowed.add(new HashSet<>(f.allowedValues()));
        }
    }

    /** Reads every row of the files, in the order given, into memory. */
    public Dataset read(List<Path> files) {
        List<Row> rows = new ArrayList<>();
        for (Path file : files) {
            try (CsvReader csv = CsvReader.open(file)) {
                forEach(csv, rows::add);
            }
        }
        return new Dataset(schema, target == null ? "target" : target, task, rows);
    }

    /** Reads one stream into memory. */
    public Dataset read(Reader reader, String source) {
        List<Row> rows = new ArrayList<>();
        try (CsvReader csv = new CsvReader(reader, source)) {
            forEach(csv, rows::add);
        }
        return new Dataset(schema, target == null ? "target" : target, task, rows);
    }

    /** Streams the rows of an open reader to {@code sink} without keeping them. */
    public void forEach(CsvReader csv, Consumer<Row> sink) {
        int[] columns = new int[schema.size()];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < columns.length; i++) {
            columns[i] = csv.columnIndex(schema.features().get(i).name());
            if (columns[i] < 0) {
                missing.add(schema.features().get(i).name());
            }
        }
        int targetColumn = target == null ? -1 : csv.columnIndex(target);
        if (target != null && targetColumn < 0) {
            missing.add(target + " (target)");
        }
        if (!missing.isEmpty()) {
            throw new SchemaMismatchException(csv.source() + ": the header lacks column(s) " + missing
                    + " required by the schema; it has " + csv.header());
        }
        List<String> fields;
        Object[] values = new Object[columns.length];
        while ((fields = csv.next()) != null) {
            for (int i = 0; i < columns.length; i++) {
                values[i] = parse(csv, i, fields.get(columns[i]));
            }
            Object label = null;
            if (targetColumn >= 0) {
                String raw = fields.get(targetColumn).strip();
                if (raw.isEmpty()) {
                    throw new DatasetFormatException(csv.source(), csv.recordLine(), target, "the target is missing");
                }
                label = task.isClassification() ? raw : number(csv, target, raw);
            }
            sink.accept(new Row(Arrays.asList(values.clone()), label));
        }
    }

    private Object parse(CsvReader csv, int feature, String raw) {
        String value = raw.strip();
        if (value.isEmpty()) {
            return null;
        }
        Feature f = schema.features().get(feature);
        if (f.isNumeric()) {
            return number(csv, f.name(), value);
        }
        if (!allowed.get(feature).contains(value)) {
            throw new DatasetFormatException(csv.source(), csv.recordLine(), f.name(),
                    "'" + value + "' is not one of the allowed values " + f.allowedValues());
        }
        return value;
    }

    private static Double number(CsvReader csv, String column, String value) {
        double d;
        try {
            d = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new DatasetFormatException(csv.source(), csv.recordLine(), column, "'" + value + "' is not a number");
        }
        if (!Double.isFinite(d)) {
            throw new DatasetFormatException(csv.source(), csv.recordLine(), column, "'" + value + "' is not a finite number");
        }
        return d;
    }
}
