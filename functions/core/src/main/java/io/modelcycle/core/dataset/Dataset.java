package io.modelcycle.core.dataset;

import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.model.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Rows typed against a schema, in memory.
 *
 * @param schema the ordered features; each row's values follow this order
 * @param target the target column's name
 * @param task   decides the target's type: class label ({@link String}) or value ({@link Double})
 * @param rows   the examples
 */
public record Dataset(FeatureSchema schema, String target, Task task, List<Row> rows) {

    public Dataset {
        if (schema == null || target == null || task == null || rows == null) {
            throw new IllegalArgumentException("schema, target, task and rows are required");
        }
        rows = List.copyOf(rows);
        for (Row row : rows) {
            if (row.features().size() != schema.size()) {
                throw new IllegalArgumentException("a row has " + row.features().size() + " values for " + schema.size() + " features");
            }
        }
    }

    public int size() {
        return rows.size();
    }

    /** Missing feature values over all rows. */
    public long missingCount() {
        long n = 0;
        for (Row row : rows) {
            n += row.missingCount();
        }
        return n;
    }

    /** The same schema with other rows. */
    public Dataset withRows(List<Row> other) {
        return new Dataset(schema, target, task, other);
    }

    /**
     * A seeded random split: {@code holdoutFraction} of the rows (at least one, and at least one left to train)
     * go to the holdout; both keep the original row order, so the split is the same whatever the JVM.
     */
    public Split split(double holdoutFraction, long seed) {
        if (!(holdoutFraction > 0 && holdoutFraction < 1)) {
            throw new IllegalArgumentException("holdout fraction must be in (0, 1), got " + holdoutFraction);
        }
        if (rows.size() < 2) {
            throw new IllegalArgumentException("need at least 2 rows to split, got " + rows.size());
        }
        int holdout = (int) Math.max(1, Math.min(rows.size() - 1, Math.round(rows.size() * holdoutFraction)));
        int[] order = new int[rows.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        boolean[] isHoldout = new boolean[rows.size()];
        for (int i = 0; i < holdout; i++) {
            isHoldout[order[i]] = true;
        }
        List<Row> train = new ArrayList<>(rows.size() - holdout);
        List<Row> held = new ArrayList<>(holdout);
        for (int i = 0; i < rows.size(); i++) {
            (isHoldout[i] ? held : train).add(rows.get(i));
        }
        return new Split(withRows(train), withRows(held));
    }

    /** A training part and a held-out part of one dataset. */
    public record Split(Dataset train, Dataset holdout) {
    }

    /** Writes a CSV with a header (the features in schema order, then the target); missing values are empty fields. */
    public void writeCsv(Path file) {
        try (CsvWriter out = new CsvWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            List<String> header = new ArrayList<>(schema.names());
            header.add(target);
            out.writeRecord(header);
            List<Object> record = new ArrayList<>(schema.size() + 1);
            for (Row row : rows) {
                record.clear();
                record.addAll(row.features());
                record.add(row.target());
                out.writeRecord(record);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The feature at {@code index} in the schema. */
    public Feature feature(int index) {
        return schema.features().get(index);
    }
}
