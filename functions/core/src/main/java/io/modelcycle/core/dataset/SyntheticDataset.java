package io.modelcycle.core.dataset;

import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.model.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A deterministic synthetic dataset with a known signal, for tests, drift checks and the demo.
 *
 * <p>Features: {@code x1..xN} numeric, each with its own offset and scale (so standardisation matters), and
 * {@code c1..cM} categorical with 3 to 5 levels {@code a, b, c, …}. The <em>concept</em> (which features matter and
 * how much) depends only on the spec's shape (feature counts, classes, task), never on {@code seed}: datasets drawn
 * with different seeds, or with drift, share it, so a model trained on one applies to the other. About 60 % of the
 * numeric features carry signal, the rest are noise; every categorical level has an effect.
 *
 * <p>Targets: binary labels {@code "0"}/{@code "1"} from {@code score + noise > 0}; multiclass labels
 * {@code class0..classK-1} from the arg-max of per-class scores plus noise; regression {@code 10·score + 3 + noise}.
 * {@code noise} is the standard deviation of the added noise relative to the signal's, so 0 is noise-free.
 *
 * <p>Drift: {@code shifts} maps a feature name to an amount. A numeric feature moves by that many of its standard
 * deviations; a categorical feature takes its first level with probability {@code min(1, |amount|)} instead of its
 * usual value. Labels follow the shifted inputs (covariate shift: P(y|x) is unchanged). Missing values are drawn
 * per feature value with probability {@code missingRate}, after the label, so they hide signal as real gaps do.
 *
 * @param task                what the target is
 * @param rows                number of rows, {@code >= 1}
 * @param numericFeatures     number of numeric features
 * @param categoricalFeatures number of categorical features
 * @param classes             2 for binary, {@code >= 3} for multiclass, ignored for regression
 * @param noise               noise standard deviation relative to the signal, {@code >= 0}
 * @param missingRate         probability that a feature value is missing, in [0, 1)
 * @param shifts              feature name → drift amount; names must be features
 * @param seed                draws rows, noise and gaps
 */
public record SyntheticDataset(Task task, int rows, int numericFeatures, int categoricalFeatures, int classes,
                               double noise, double missingRate, Map<String, Double> shifts, long seed) {

    /** The target column's name in every synthetic dataset. */
    public static final String TARGET = "target";

    public SyntheticDataset {
        if (task == null) {
            throw new IllegalArgumentException("task is required");
        }
        if (rows < 1 || numericFeatures < 0 || categoricalFeatures < 0 || numericFeatures + categoricalFeatures < 1) {
            throw new IllegalArgumentException("need rows >= 1 and at least one feature");
        }
        if (task == Task.BINARY_CLASSIFICATION) {
            classes = 2;
        } else if (task == Task.MULTICLASS_CLASSIFICATION && classes < 3) {
            throw new IllegalArgumentException("multiclass needs classes >= 3, got " + classes);
        }
        if (!(noise >= 0) || !(missingRate >= 0 && missingRate < 1)) {
            throw new IllegalArgumentException("noise must be >= 0 and missingRate in [0, 1)");
        }
        shifts = shifts == null ? Map.of() : Map.copyOf(shifts);
    }

    /** A binary dataset: {@code features} features of which a quarter categorical, 30 % relative noise, 2 % missing. */
    public static SyntheticDataset binary(int rows, int features, long seed) {
        int categorical = features / 4;
        return new SyntheticDataset(Task.BINARY_CLASSIFICATION, rows, features - categorical, categorical, 2, 0.3, 0.02, Map.of(), seed);
    }

    /** A multiclass dataset shaped like {@link #binary}. */
    public static SyntheticDataset multiclass(int rows, int features, int classes, long seed) {
        int categorical = features / 4;
        return new SyntheticDataset(Task.MULTICLASS_CLASSIFICATION, rows, features - categorical, categorical, classes, 0.3, 0.02, Map.of(), seed);
    }

    /** A regression dataset shaped like {@link #binary}. */
    public static SyntheticDataset regression(int rows, int features, long seed) {
        int categorical = features / 4;
        return new SyntheticDataset(Task.REGRESSION, rows, features - categorical, categorical, 0, 0.3, 0.02, Map.of(), seed);
    }

    public SyntheticDataset withRows(int n) {
        return new SyntheticDataset(task, n, numericFeatures, categoricalFeatures, classes, noise, missingRate, shifts, seed);
    }

    public SyntheticDataset withSeed(long s) {
        return new SyntheticDataset(task, rows, numericFeatures, categoricalFeatures, classes, noise, missingRate, shifts, s);
    }

    public SyntheticDataset withNoise(double n) {
        return new SyntheticDataset(task, rows, numericFeatures, categoricalFeatures, classes, n, missingRate, shifts, seed);
    }

    public SyntheticDataset withMissingRate(double rate) {
        return new SyntheticDataset(task, rows, numericFeatures, categoricalFeatures, classes, noise, rate, shifts, seed);
    }

    /** The same data source with the named features drifted (see the class comment). */
    public SyntheticDataset withShifts(Map<String, Double> drift) {
        return new SyntheticDataset(task, rows, numericFeatures, categoricalFeatures, classes, noise, missingRate, drift, seed);
    }

    /** The schema: {@code x1..xN} numeric, then {@code c1..cM} categorical. */
    public FeatureSchema schema() {
        List<Feature> features = new ArrayList<>();
        for (int i = 0; i < numericFeatures; i++) {
            features.add(Feature.numeric("x" + (i + 1)));
        }
        for (int j = 0; j < categoricalFeatures; j++) {
            features.add(Feature.categorical("c" + (j + 1), levels(j)));
        }
        return new FeatureSchema(features);
    }

    /** A model definition for this data, with default policies. */
    public Model model(String name, String owner) {
        return new Model(name, task, schema(), TARGET, owner, Map.of(), null, null);
    }

    /** Draws the rows. The same spec always gives the same rows. */
    public Dataset generate() {
        FeatureSchema schema = schema();
        for (String name : shifts.keySet()) {
            if (schema.feature(name).isEmpty()) {
                throw new IllegalArgumentException("cannot shift '" + name + "': not a feature of " + schema.names());
            }
        }
        int outputs = task == Task.MULTICLASS_CLASSIFICATION ? classes : 1;
        // The concept: fixed by the shape alone (see class comment).
        Random concept = new Random(1_000_003L * numericFeatures + 7_919L * categoricalFeatures + 31L * outputs + task.ordinal());
        double[] offset = new double[numericFeatures];
        double[] scale = new double[numericFeatures];
        double[][] weight = new double[outputs][numericFeatures];
        double[][][] effect = new double[outputs][categoricalFeatures][];
        int informative = (int) Math.ceil(numericFeatures * 0.6);
        for (int i = 0; i < numericFeatures; i++) {
            offset[i] = Math.round(concept.nextGaussian() * 50) / 10.0;
            scale[i] = 0.5 + (i % 5) * 2.0;
        }
        double variance = 0;
        for (int k = 0; k < outputs; k++) {
            for (int i = 0; i < numericFeatures; i++) {
                weight[k][i] = i < informative ? concept.nextGaussian() : 0.0;
                variance += weight[k][i] * weight[k][i];
            }
            for (int j = 0; j < categoricalFeatures; j++) {
                effect[k][j] = new double[levels(j).size()];
                for (int l = 0; l < effect[k][j].length; l++) {
                    effect[k][j][l] = concept.nextGaussian() * 0.7;
                    variance += effect[k][j][l] * effect[k][j][l] / effect[k][j].length;
                }
            }
        }
        double signalSd = Math.sqrt(Math.max(variance / outputs, 1e-9));

        Random random = new Random(seed);
        List<Row> out = new ArrayList<>(rows);
        double[] z = new double[numericFeatures];
        int[] level = new int[categoricalFeatures];
        for (int r = 0; r < rows; r++) {
            Object[] values = new Object[numericFeatures + categoricalFeatures];
            for (int i = 0; i < numericFeatures; i++) {
                z[i] = random.nextGaussian() + shifts.getOrDefault("x" + (i + 1), 0.0);
                values[i] = Math.round((offset[i] + scale[i] * z[i]) * 1e6) / 1e6;
            }
            for (int j = 0; j < categoricalFeatures; j++) {
                List<String> lv = levels(j);
                level[j] = random.nextInt(lv.size());
                double shift = Math.min(1.0, Math.abs(shifts.getOrDefault("c" + (j + 1), 0.0)));
                if (shift > 0 && random.nextDouble() < shift) {
                    level[j] = 0;
                }
                values[numericFeatures + j] = lv.get(level[j]);
            }
            double best = Double.NEGATIVE_INFINITY;
            int argmax = 0;
            double score0 = 0;
            for (int k = 0; k < outputs; k++) {
                double s = 0;
                for (int i = 0; i < numericFeatures; i++) {
                    s += weight[k][i] * z[i];
                }
                for (int j = 0; j < categoricalFeatures; j++) {
                    s += effect[k][j][level[j]];
                }
                s += noise * signalSd * random.nextGaussian();
                if (k == 0) {
                    score0 = s;
                }
                if (s > best) {
                    best = s;
                    argmax = k;
                }
            }
            Object target = switch (task) {
                case BINARY_CLASSIFICATION -> score0 > 0 ? "1" : "0";
                case MULTICLASS_CLASSIFICATION -> "class" + argmax;
                case REGRESSION -> Math.round((10 * score0 / signalSd + 3) * 1e6) / 1e6;
            };
            if (missingRate > 0) {
                for (int f = 0; f < values.length; f++) {
                    if (random.nextDouble() < missingRate) {
                        values[f] = null;
                    }
                }
            }
            out.add(new Row(java.util.Arrays.asList(values), target));
        }
        return new Dataset(schema, TARGET, task, out);
    }

    private static List<String> levels(int categorical) {
        List<String> levels = new ArrayList<>();
        for (int l = 0; l < 3 + categorical % 3; l++) {
            levels.add(String.valueOf((char) ('a' + l)));
        }
        return levels;
    }
}
