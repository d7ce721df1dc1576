package io.modelcycle.djl;

import io.modelcycle.core.ValidationException;
import io.modelcycle.core.dataset.Dataset;
import io.modelcycle.core.dataset.Row;
import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.model.FeatureType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Encodes rows into the network's input vector. Immutable and thread-safe.
 *
 * <p>A missing value is imputed (the training mean for numeric, no level for categorical) and flagged in its own
 * column, so the network can learn what a gap means instead of guessing from an imputed value.
 */
public final class FeatureEncoder {

    private final List<FeatureEncoding> features;
    private final List<Map<String, Integer>> levelIndex = new ArrayList<>();
    private final Map<String, Integer> position = new HashMap<>();
    private final int width;

    public FeatureEncoder(List<FeatureEncoding> features) {
        this.features = List.copyOf(features);
        int w = 0;
        for (int i = 0; i < this.features.size(); i++) {
            FeatureEncoding f = this.features.get(i);
            Map<String, Integer> index = new HashMap<>();
            for (int l = 0; l < f.levels().size(); l++) {
                index.put(f.levels().get(l), l);
            }
            levelIndex.add(index);
            position.put(f.name(), i);
            w += f.width();
        }
        this.width = w;
    }

    /** Learns means and standard deviations of the numeric features from {@code train}, ignoring missing values. */
    public static FeatureEncoder fit(Dataset train) {
        FeatureSchema schema = train.schema();
        List<FeatureEncoding> out = new ArrayList<>();
        for (int i = 0; i < schema.size(); i++) {
            Feature f = schema.features().get(i);
            if (f.type() == FeatureType.CATEGORICAL) {
                out.add(new FeatureEncoding(f.name(), f.type(), 0, 1, f.allowedValues()));
                continue;
            }
            // Welford: stable for large offsets, one pass.
            long n = 0;
            double mean = 0;
            double m2 = 0;
            for (Row row : train.rows()) {
                Object v = row.features().get(i);
                if (v != null) {
                    double x = (Double) v;
                    n++;
                    double d = x - mean;
                    mean += d / n;
                    m2 += d * (x - mean);
                }
            }
            double std = n > 1 ? Math.sqrt(m2 / (n - 1)) : 1.0;
            out.add(new FeatureEncoding(f.name(), f.type(), n > 0 ? mean : 0.0, std > 1e-12 ? std : 1.0, List.of()));
        }
        return new FeatureEncoder(out);
    }

    public List<FeatureEncoding> features() {
        return features;
    }

    /** Length of one encoded row. */
    public int width() {
        return width;
    }

    /**
     * Writes one row (values in schema order, null when missing) at {@code out[offset..offset+width)}.
     *
     * @return how many values were missing
     */
    public int encode(List<Object> values, float[] out, int offset) {
        int missing = 0;
        int p = offset;
        for (int i = 0; i < features.size(); i++) {
            FeatureEncoding f = features.get(i);
            Object v = values.get(i);
            if (f.type() == FeatureType.NUMERIC) {
                if (v == null) {
                    out[p] = 0f;
                    out[p + 1] = 1f;
                    missing++;
                } else {
                    out[p] = (float) ((((Number) v).doubleValue() - f.mean()) / f.std());
                    out[p + 1] = 0f;
                }
            } else {
                int levels = f.levels().size();
                for (int l = 0; l <= levels; l++) {
                    out[p + l] = 0f;
                }
                if (v == null) {
                    out[p + levels] = 1f;
                    missing++;
                } else {
                    Integer l = levelIndex.get(i).get(v.toString());
                    if (l == null) {
                        throw new ValidationException(f.name(), "'" + v + "' is not one of the allowed values " + f.levels());
                    }
                    out[p + l] = 1f;
                }
            }
            p += f.width();
        }
        return missing;
    }

    /**
     * Turns a request row keyed by feature name into values in schema order. Absent keys and nulls are missing
     * values; a number may arrive as a JSON number or a numeric string; an unknown key or a wrong value is refused
     * with every problem named, so a caller's typo is not silently a missing value.
     */
    public List<Object> fromMap(Map<String, ?> row) {
        List<ValidationException.FieldError> errors = new ArrayList<>();
        Set<String> unknown = new HashSet<>(row.keySet());
        List<Object> values = new ArrayList<>(features.size());
        for (int i = 0; i < features.size(); i++) {
            FeatureEncoding f = features.get(i);
            unknown.remove(f.name());
            Object v = row.get(f.name());
            if (v == null || (v instanceof String s && s.isBlank())) {
                values.add(null);
            } else if (f.type() == FeatureType.NUMERIC) {
                Double d = null;
                if (v instanceof Number n) {
                    d = n.doubleValue();
                } else if (v instanceof String s) {
                    try {
                        d = Double.parseDouble(s.strip());
                    } catch (NumberFormatException e) {
                        d = null;
                    }
                }
                if (d == null || !Double.isFinite(d)) {
                    errors.add(new ValidationException.FieldError(f.name(), "'" + v + "' is not a finite number"));
                }
                values.add(d);
            } else {
                String s = v.toString();
                if (!levelIndex.get(i).containsKey(s)) {
                    errors.add(new ValidationException.FieldError(f.name(), "'" + s + "' is not one of the allowed values " + f.levels()));
                }
                values.add(s);
            }
        }
        for (String name : unknown.stream().sorted().toList()) {
            errors.add(new ValidationException.FieldError(name, "is not a feature of this model; features are " + position.keySet().stream().sorted().toList()));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return values;
    }
}
