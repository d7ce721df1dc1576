package io.modelcycle.core.profile;

import io.modelcycle.core.ValidationException;
import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.model.FeatureType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link Profile} in one streaming pass. Memory depends on the schema and the settings only: per numeric
 * column the bins, at most {@code max(edgeSample, sampleLimit)} held-back values and a few distinct values; per
 * categorical column a counter per allowed value. Not thread-safe: give each thread its own builder (against the
 * same baseline) and {@linkplain Profile#merge merge} the profiles.
 *
 * <p><b>Bin edges.</b> A current profile is built {@link #against(Profile) against} its baseline and counts on the
 * baseline's edges. A baseline ({@link #baseline}) derives its edges from its own first {@code edgeSample} values
 * per column (default {@value #DEFAULT_EDGE_SAMPLE}): every distinct value when there are at most {@code bins}
 * (default {@value #DEFAULT_BINS}), otherwise the values at ranks {@code floor(i * n / bins)}, i.e. equal-mass bins.
 * Counts stay exact whatever the edges; if the data arrive sorted, the first values only make the bins uneven. When
 * several baseline builders must be merged, give them the same {@link #optEdges explicit edges}.
 *
 * <p><b>Rows.</b> {@link #add(Map)} takes a row by feature name ({@code null}, absent or NaN is missing; numbers for
 * numeric features, strings for categorical ones; other keys are ignored); {@link #addRow(Object[], Object)} takes
 * values in schema order. A streaming parser uses the allocation-free calls {@link #beginRow()},
 * {@link #numeric(int, double)}, {@link #categorical(int, String)}, {@link #predictionNumeric(double)},
 * {@link #predictionCategory(String)} and {@link #endRow()}, with {@link #column(String)} resolved once per field
 * name.
 */
public final class ProfileBuilder {

    public static final int DEFAULT_BINS = 200;
    public static final int DEFAULT_EDGE_SAMPLE = 10_000;
    public static final int DEFAULT_SAMPLE_LIMIT = 1_000;
    /** For {@link #addResolvedRow}: a categorical value that is not one of the column's allowed values. */
    public static final int OUT_OF_SET = -2;
    /** For {@link #addResolvedRow}: a missing categorical value. */
    public static final int MISSING = -1;

    private final List<Feature> features;
    private final Feature predictionFeature;
    private final Profile baseline;
    private final Map<String, double[]> explicitEdges = new HashMap<>();
    private int bins = DEFAULT_BINS;
    private int edgeSample = DEFAULT_EDGE_SAMPLE;
    private int sampleLimit = DEFAULT_SAMPLE_LIMIT;

    private Map<String, Integer> columnIndex;
    private NumericColumn[] numeric;
    private CategoricalColumn[] categorical;
    private NumericColumn predictionNumeric;
    private CategoricalColumn predictionCategorical;
    private int[] seen;
    private int generation;
    private boolean predictionSeen;
    private long rows;

    private ProfileBuilder(List<Feature> features, Feature predictionFeature, Profile baseline) {
        this.features = List.copyOf(features);
        this.predictionFeature = predictionFeature;
        this.baseline = baseline;
    }

    /**
     * A builder for a baseline profile that derives its bin edges from the data.
     *
     * @param prediction how the model's outputs are read: {@link Feature#numeric} for scores and regression values,
     *                   {@link Feature#categorical} with the class labels for classifiers; null when the rows carry
     *                   no predictions
     */
    public static ProfileBuilder baseline(FeatureSchema schema, Feature prediction) {
        if (schema == null) {
            throw new ValidationException("schema", "is required");
        }
        return new ProfileBuilder(schema.features(), prediction, null);
    }

    /**
     * A builder for a current profile: same columns, allowed values, bin edges and sample limit as {@code baseline},
     * so the two compare bin by bin. Predictions are profiled only when the baseline has a prediction profile.
     */
    public static ProfileBuilder against(Profile baseline) {
        if (baseline == null) {
            throw new ValidationException("baseline", "is required");
        }
        List<Feature> features = new ArrayList<>();
        for (FeatureProfile f : baseline.features()) {
            features.add(asFeature(f, f.name()));
        }
        Feature prediction = baseline.prediction() == null ? null : asFeature(baseline.prediction(), "prediction");
        ProfileBuilder builder = new ProfileBuilder(features, prediction, baseline);
        builder.sampleLimit = baseline.sampleLimit();
        return builder;
    }

    private static Feature asFeature(FeatureProfile f, String name) {
        return f.numericType() ? Feature.numeric(name)
                : Feature.categorical(name, new ArrayList<>(f.categorical().counts().keySet()));
    }

    /** Number of bins of derived edges, at least 2 (default {@value #DEFAULT_BINS}); baseline builders only. */
    public ProfileBuilder optBins(int bins) {
        requireConfigurable("bins");
        if (bins < 2 || bins > 100_000) {
            throw new ValidationException("bins", "must be in [2, 100000], got " + bins);
        }
        this.bins = bins;
        return this;
    }

    /** How many first values per column edges are derived from (default {@value #DEFAULT_EDGE_SAMPLE}). */
    public ProfileBuilder optEdgeSample(int edgeSample) {
        requireConfigurable("edgeSample");
        if (edgeSample < 10 || edgeSample > 10_000_000) {
            throw new ValidationException("edgeSample", "must be in [10, 10000000], got " + edgeSample);
        }
        this.edgeSample = edgeSample;
        return this;
    }

    /** Columns with at most this many values keep them all, exactly (default {@value #DEFAULT_SAMPLE_LIMIT}). */
    public ProfileBuilder optSampleLimit(int sampleLimit) {
        requireConfigurable("sampleLimit");
        if (sampleLimit < 0 || sampleLimit > 1_000_000) {
            throw new ValidationException("sampleLimit", "must be in [0, 1000000], got " + sampleLimit);
        }
        this.sampleLimit = sampleLimit;
        return this;
    }

    /**
     * Fixed interior edges for one numeric column (use {@link Profile#PREDICTION} for the predictions), so that
     * baselines built in parts share bins and merge.
     */
    public ProfileBuilder optEdges(String column, double[] edges) {
        requireConfigurable("edges");
        boolean known = features.stream().anyMatch(f -> f.name().equals(column) && f.isNumeric())
                || (Profile.PREDICTION.equals(column) && predictionFeature != null && predictionFeature.isNumeric());
        if (!known) {
            throw new ValidationException("edges." + column, "is not a numeric column of this schema");
        }
        new Histogram(Arrays2.boxed(edges), Arrays2.boxed(new long[edges.length + 1]), Arrays2.boxed(new double[edges.length + 1]));
        explicitEdges.put(column, edges.clone());
        return this;
    }

    private void requireConfigurable(String what) {
        if (baseline != null) {
            throw new ValidationException(what, "a profile built against a baseline uses the baseline's settings");
        }
        if (columnIndex != null) {
            throw new IllegalStateException("set " + what + " before the first row");
        }
    }

    private void init() {
        int n = features.size();
        columnIndex = new HashMap<>(n * 2);
        numeric = new NumericColumn[n];
        categorical = new CategoricalColumn[n];
        seen = new int[n];
        for (int i = 0; i < n; i++) {
            Feature f = features.get(i);
            columnIndex.put(f.name(), i);
            if (f.isNumeric()) {
                numeric[i] = new NumericColumn(f.name(), edgesFor(f.name(), baseline == null ? null
                        : baseline.features().get(i)), bins, edgeSample, sampleLimit);
            } else {
                categorical[i] = new CategoricalColumn(f.name(), f.allowedValues());
            }
        }
        if (predictionFeature != null) {
            if (predictionFeature.isNumeric()) {
                predictionNumeric = new NumericColumn(Profile.PREDICTION, edgesFor(Profile.PREDICTION,
                        baseline == null ? null : baseline.prediction()), bins, edgeSample, sampleLimit);
            } else {
                predictionCategorical = new CategoricalColumn(Profile.PREDICTION, predictionFeature.allowedValues());
            }
        }
    }

    private double[] edgesFor(String column, FeatureProfile fromBaseline) {
        if (fromBaseline != null) {
            return fromBaseline.numeric().histogram().edgeArray();
        }
        return explicitEdges.get(column);
    }

    /** The column index of a feature for the streaming calls, or -1 if the schema has no such feature. */
    public int column(String feature) {
        if (columnIndex == null) {
            init();
        }
        Integer i = columnIndex.get(feature);
        return i == null ? -1 : i;
    }

    /** Whether the column at {@code column} is numeric. */
    public boolean isNumeric(int column) {
        return features.get(column).isNumeric();
    }

    /**
     * The position of {@code value} among the allowed values of the categorical column at {@code column}, for
     * {@link #addResolvedRow}, or {@link #OUT_OF_SET}.
     */
    public int categoryIndex(int column, String value) {
        if (columnIndex == null) {
            init();
        }
        CategoricalColumn c = categorical[column];
        if (c == null) {
            throw new ValidationException("row." + features.get(column).name(), "is numeric, it has no categories");
        }
        int i = c.indexOf(value);
        return i < 0 ? OUT_OF_SET : i;
    }

    /**
     * Adds one whole row already resolved by a parser, with exactly the counts of {@link #beginRow()}, one call per
     * column and {@link #endRow()}, but without the per-call checks: the hot path of a drift check.
     *
     * @param values          per column in schema order, the value of a numeric column (NaN is missing); entries of
     *                        categorical columns are ignored
     * @param categories      per column, for a categorical column the value's {@link #categoryIndex}, or
     *                        {@link #OUT_OF_SET} or {@link #MISSING}; entries of numeric columns are ignored
     * @param prediction      the numeric prediction, NaN when missing (ignored when {@code predictionLabel} is set)
     * @param predictionLabel the prediction as a class label, or null
     */
    public void addResolvedRow(double[] values, int[] categories, double prediction, String predictionLabel) {
        if (columnIndex == null) {
            init();
        }
        if (values.length < numeric.length || categories.length < numeric.length) {
            throw new ValidationException("row", "needs " + numeric.length + " values in schema order");
        }
        NumericColumn[] n = numeric;
        CategoricalColumn[] c = categorical;
        for (int i = 0; i < n.length; i++) {
            NumericColumn column = n[i];
            if (column != null) {
                column.add(values[i]);
            } else {
                c[i].addIndex(categories[i]);
            }
        }
        if (predictionLabel != null) {
            predictionCategory(predictionLabel);
        } else if (predictionNumeric != null) {
            predictionNumeric.add(prediction);
        } else if (predictionCategorical != null) {
            predictionCategorical.addMissing();
        }
        rows++;
    }

    /** Whether the model's predictions are profiled, and numerically. */
    public FeatureType predictionType() {
        return predictionFeature == null ? null : predictionFeature.type();
    }

    public void beginRow() {
        if (columnIndex == null) {
            init();
        }
        generation++;
        predictionSeen = false;
    }

    private void mark(int column) {
        if (seen[column] == generation) {
            throw new ValidationException("row." + features.get(column).name(), "the feature appears twice in one row");
        }
        seen[column] = generation;
    }

    /** A numeric value for the numeric feature at {@code column}; NaN counts as missing. */
    public void numeric(int column, double value) {
        mark(column);
        NumericColumn c = numeric[column];
        if (c == null) {
            throw new ValidationException("row." + features.get(column).name(), "is categorical, got the number " + value);
        }
        c.add(value);
    }

    /** A value for the categorical feature at {@code column}; null counts as missing. */
    public void categorical(int column, String value) {
        mark(column);
        CategoricalColumn c = categorical[column];
        if (c == null) {
            throw new ValidationException("row." + features.get(column).name(), "is numeric, got the string '" + value + "'");
        }
        c.add(value);
    }

    /** A value of any JSON-like type for the feature at {@code column} (see the class comment). */
    public void value(int column, Object value) {
        if (numeric[column] != null) {
            numeric(column, toDouble(features.get(column).name(), value));
        } else {
            categorical(column, value == null ? null : value.toString());
        }
    }

    /** A missing value for the feature at {@code column}. */
    public void missing(int column) {
        mark(column);
        if (numeric[column] != null) {
            numeric[column].addMissing();
        } else {
            categorical[column].addMissing();
        }
    }

    public void predictionNumeric(double value) {
        predictionSeen = true;
        if (predictionNumeric != null) {
            predictionNumeric.add(value);
        } else if (predictionCategorical != null) {
            throw new ValidationException("prediction", "the model's outputs are class labels, got the number " + value);
        }
    }

    public void predictionCategory(String value) {
        predictionSeen = true;
        if (predictionCategorical != null) {
            predictionCategorical.add(value);
        } else if (predictionNumeric != null) {
            throw new ValidationException("prediction", "the model's outputs are numbers, got '" + value + "'");
        }
    }

    /** A prediction of any JSON-like type; null is a missing prediction. */
    public void prediction(Object value) {
        if (predictionNumeric != null) {
            predictionNumeric(toDouble("prediction", value));
        } else if (predictionCategorical != null) {
            predictionCategory(value == null ? null : value.toString());
        }
    }

    /** Ends the row: every feature (and the prediction) it did not mention counts as missing. */
    public void endRow() {
        for (int i = 0; i < seen.length; i++) {
            if (seen[i] != generation) {
                if (numeric[i] != null) {
                    numeric[i].addMissing();
                } else {
                    categorical[i].addMissing();
                }
            }
        }
        if (!predictionSeen) {
            if (predictionNumeric != null) {
                predictionNumeric.addMissing();
            } else if (predictionCategorical != null) {
                predictionCategorical.addMissing();
            }
        }
        rows++;
    }

    /** Adds one row without a prediction. */
    public ProfileBuilder add(Map<String, ?> row) {
        return add(row, null);
    }

    /** Adds one row, by feature name, with the model's prediction for it (null when there is none). */
    public ProfileBuilder add(Map<String, ?> row, Object prediction) {
        if (row == null) {
            throw new ValidationException("row", "is null");
        }
        beginRow();
        for (int i = 0; i < features.size(); i++) {
            Object v = row.get(features.get(i).name());
            if (v == null) {
                missing(i);
            } else {
                value(i, v);
            }
        }
        if (prediction != null) {
            prediction(prediction);
        }
        endRow();
        return this;
    }

    /** Adds one row given as values in schema order (null is missing), with its prediction or null. */
    public ProfileBuilder addRow(Object[] values, Object prediction) {
        if (values == null || values.length != features.size()) {
            throw new ValidationException("row", "needs " + features.size() + " values in schema order, got "
                    + (values == null ? "null" : values.length));
        }
        beginRow();
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                missing(i);
            } else {
                value(i, values[i]);
            }
        }
        if (prediction != null) {
            prediction(prediction);
        }
        endRow();
        return this;
    }

    /** Adds one row of an all-numeric schema in schema order (NaN is missing), with a numeric prediction or NaN. */
    public ProfileBuilder addRow(double[] values, double prediction) {
        if (values == null || values.length != features.size()) {
            throw new ValidationException("row", "needs " + features.size() + " values in schema order");
        }
        beginRow();
        for (int i = 0; i < values.length; i++) {
            numeric(i, values[i]);
        }
        if (prediction == prediction && predictionType() != null) {
            predictionNumeric(prediction);
        }
        endRow();
        return this;
    }

    private static double toDouble(String feature, Object value) {
        if (value == null) {
            return Double.NaN;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new ValidationException("row." + feature, "is numeric, got '" + s + "'");
            }
        }
        throw new ValidationException("row." + feature, "is numeric, got a " + value.getClass().getSimpleName());
    }

    /** Rows added so far. */
    public long rows() {
        return rows;
    }

    /** The profile of the rows added so far; the builder can keep going afterwards. */
    public Profile build() {
        if (columnIndex == null) {
            init();
        }
        List<FeatureProfile> profiles = new ArrayList<>(features.size());
        for (int i = 0; i < features.size(); i++) {
            Feature f = features.get(i);
            profiles.add(numeric[i] != null
                    ? new FeatureProfile(f.name(), FeatureType.NUMERIC, numeric[i].snapshot(), null)
                    : new FeatureProfile(f.name(), FeatureType.CATEGORICAL, null, categorical[i].snapshot()));
        }
        FeatureProfile prediction = null;
        if (predictionNumeric != null) {
            prediction = new FeatureProfile(Profile.PREDICTION, FeatureType.NUMERIC, predictionNumeric.snapshot(), null);
        } else if (predictionCategorical != null) {
            prediction = new FeatureProfile(Profile.PREDICTION, FeatureType.CATEGORICAL, null, predictionCategorical.snapshot());
        }
        return new Profile(rows, sampleLimit, profiles, prediction);
    }
}
