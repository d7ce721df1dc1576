package io.modelcycle.djl.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.modelcycle.core.Json;
import io.modelcycle.core.dataset.Dataset;
import io.modelcycle.core.dataset.Row;
import io.modelcycle.core.dataset.SchemaMismatchException;
import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.Task;
import io.modelcycle.core.profile.Profile;
import io.modelcycle.core.profile.ProfileBuilder;
import io.modelcycle.djl.FeatureEncoder;
import io.modelcycle.djl.ModelSpec;
import io.modelcycle.djl.Prediction;
import io.modelcycle.djl.TabularModel;
import io.modelcycle.djl.TabularNetwork;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Fits the tabular network on a {@link TrainingInput} and writes the model directory: parameters, {@code model.json},
 * {@code metrics.json}, {@code profile.json} and {@code card.md}. One progress line per epoch goes to the given
 * stream (format on {@link TrainerMain}).
 *
 * <p>Deterministic on the CPU for a given seed: the engine's generator is seeded before the parameters are
 * initialised, and the epoch shuffles come from {@code java.util.Random(seed)}. Early stopping keeps the epoch with
 * the lowest validation loss (log loss, or mean squared error for regression); its parameters are what is saved.
 */
public final class Trainer {

    /** What a finished run reports. */
    public record Result(ModelSpec spec, Map<String, Double> metrics, int bestEpoch, int epochsRun, Path modelDir) {
    }

    private static final int EVAL_BATCH = 8192;

    private final Hyperparameters hp;
    private final PrintStream progress;

    public Trainer(Hyperparameters hp, PrintStream progress) {
        this.hp = hp;
        this.progress = progress;
    }

    public Result train(TrainingInput input, Path modelDir) throws IOException {
        Task task = input.model().task();
        Dataset train = input.train();
        Dataset validation = input.validation();
        if (train.size() == 0) {
            throw new TrainingInputException(TrainingInputException.NO_TRAINING_DATA, "the training data has no rows", null);
        }
        if (validation.size() == 0) {
            throw new TrainingInputException(TrainingInputException.NO_TRAINING_DATA, "the validation data has no rows", null);
        }
        List<String> classes = task.isClassification() ? classes(task, train) : List.of();
        Map<String, Integer> classIndex = new HashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            classIndex.put(classes.get(c), c);
        }
        FeatureEncoder encoder = FeatureEncoder.fit(train);
        int width = encoder.width();
        int n = train.size();
        float[] x = new float[n * width];
        long missingTrain = 0;
        for (int i = 0; i < n; i++) {
            missingTrain += encoder.encode(train.rows().get(i).features(), x, i * width);
        }
        Double targetMean = null;
        Double targetStd = null;
        float[] y = new float[n];
        if (task == Task.REGRESSION) {
            double mean = 0;
            for (Row r : train.rows()) {
                mean += (Double) r.target();
            }
            mean /= n;
            double var = 0;
            for (Row r : train.rows()) {
                double d = (Double) r.target() - mean;
                var += d * d;
            }
            double std = n > 1 ? Math.sqrt(var / (n - 1)) : 1;
            targetMean = mean;
            targetStd = std > 1e-12 ? std : 1.0;
            for (int i = 0; i < n; i++) {
                y[i] = (float) (((Double) train.rows().get(i).target() - targetMean) / targetStd);
            }
        } else {
            for (int i = 0; i < n; i++) {
                y[i] = classIndex.get((String) train.rows().get(i).target());
            }
        }
        int[] valClass = null;
        double[] valValue = null;
        float[] xv = new float[validation.size() * width];
        for (int i = 0; i < validation.size(); i++) {
            encoder.encode(validation.rows().get(i).features(), xv, i * width);
        }
        if (task.isClassification()) {
            valClass = new int[validation.size()];
            for (int i = 0; i < validation.size(); i++) {
                Integer c = classIndex.get((String) validation.rows().get(i).target());
                if (c == null) {
                    throw new SchemaMismatchException("the validation data has class '" + validation.rows().get(i).target()
                            + "', which the training data does not; classes are " + classes);
                }
                valClass[i] = c;
            }
        } else {
            valValue = new double[validation.size()];
            for (int i = 0; i < validation.size(); i++) {
                valValue[i] = (Double) validation.rows().get(i).target();
            }
        }

        Engine engine = Engine.getEngine("PyTorch");
        ModelSpec spec = new ModelSpec(ModelSpec.FORMAT_VERSION, input.model().name(), task, input.model().schema(),
                input.model().target(), classes, encoder.features(), targetMean, targetStd, hp.hiddenUnits(), hp.dropout(),
                hp.seed(), engine.getEngineName(), engine.getVersion(), Engine.getDjlVersion(),
                ModelSpec.NETWORK_NAME + "-0000.params", hp.asStrings(), input.files());
        Files.createDirectories(modelDir);

        int outputs = spec.outputs();
        Device device = engine.defaultDevice();
        // Seeds torch's generator (and DJL's), which initialises the parameters and draws dropout masks.
        engine.setRandomSeed((int) (hp.seed() ^ (hp.seed() >>> 32)));
        int bestEpoch = 0;
        int epochsRun = 0;
        try (Model model = Model.newInstance(ModelSpec.NETWORK_NAME, device, "PyTorch")) {
            model.setBlock(TabularNetwork.build(hp.hiddenUnits(), hp.dropout(), outputs));
            model.setProperty("Epoch", "0"); // always tabular-0000.params: the directory holds one model
            Loss loss = switch (task) {
                case BINARY_CLASSIFICATION -> Loss.sigmoidBinaryCrossEntropyLoss();
                case MULTICLASS_CLASSIFICATION -> Loss.softmaxCrossEntropyLoss();
                case REGRESSION -> Loss.l2Loss();
            };
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) hp.learningRate())).build())
                    .optInitializer(new XavierInitializer(), Parameter.Type.WEIGHT)
                    .optDevices(new Device[] {device});
            try (ai.djl.training.Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, width));
                Random shuffle = new Random(hp.seed());
                int[] order = new int[n];
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                float[] xb = new float[Math.min(hp.batchSize(), n) * width];
                float[] yb = new float[Math.min(hp.batchSize(), n)];
                double bestLoss = Double.POSITIVE_INFINITY;
                int sinceBest = 0;
                for (int epoch = 1; epoch <= hp.epochs(); epoch++) {
                    long start = System.nanoTime();
                    for (int i = n - 1; i > 0; i--) {
                        int j = shuffle.nextInt(i + 1);
                        int t = order[i];
                        order[i] = order[j];
                        order[j] = t;
                    }
                    double lossSum = 0;
                    for (int from = 0; from < n; from += hp.batchSize()) {
                        int bs = Math.min(hp.batchSize(), n - from);
                        for (int b = 0; b < bs; b++) {
                            int row = order[from + b];
                            System.arraycopy(x, row * width, xb, b * width, width);
                            yb[b] = y[row];
                        }
                        try (NDManager batch = trainer.getManager().newSubManager()) {
                            NDArray features = batch.create(java.util.Arrays.copyOf(xb, bs * width), new Shape(bs, width));
                            NDArray labels = task == Task.MULTICLASS_CLASSIFICATION
                                    ? batch.create(java.util.Arrays.copyOf(yb, bs), new Shape(bs, 1)).toType(ai.djl.ndarray.types.DataType.INT64, false)
                                    : batch.create(java.util.Arrays.copyOf(yb, bs), new Shape(bs, 1));
                            try (GradientCollector collector = trainer.newGradientCollector()) {
                                NDList predictions = trainer.forward(new NDList(features));
                                NDArray l = loss.evaluate(new NDList(labels), predictions);
                                collector.backward(l);
                                lossSum += l.getFloat() * bs;
                            }
                            trainer.step();
                        }
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    float[] out = forward(model, trainer.getManager(), xv, validation.size(), width);
                    double valLoss;
                    double valMetric;
                    if (task.isClassification()) {
                        double[][] probs = probabilities(spec, out, validation.size());
                        valLoss = Evaluation.logLoss(valClass, probs);
                        Map<String, Double> m = Evaluation.classification(valClass, probs, classes.size());
                        valMetric = task == Task.BINARY_CLASSIFICATION ? m.get("roc_auc") : m.get("accuracy");
                    } else {
                        double[] pred = values(spec, out, validation.size());
                        double rmse = Evaluation.regression(valValue, pred).get("rmse");
                        valLoss = rmse * rmse;
                        valMetric = rmse;
                    }
                    epochsRun = epoch;
                    progress.printf(Locale.ROOT, "epoch=%d/%d train_loss=%.6f val_loss=%.6f val_metric=%.6f rows_per_s=%.1f%n",
                            epoch, hp.epochs(), lossSum / n, valLoss, valMetric, n / seconds);
                    progress.flush();
                    if (valLoss < bestLoss - 1e-7 || bestEpoch == 0) {
                        bestLoss = valLoss;
                        bestEpoch = epoch;
                        sinceBest = 0;
                        model.save(modelDir, ModelSpec.NETWORK_NAME);
                    } else if (++sinceBest >= hp.patience()) {
                        break;
                    }
                }
            }
        }
        Files.writeString(modelDir.resolve(TabularModel.MODEL_JSON), Json.write(spec), StandardCharsets.UTF_8);

        // Everything below uses the saved model, so the metrics describe exactly what was written.
        Map<String, Double> metrics = new TreeMap<>();
        try (TabularModel saved = TabularModel.load(modelDir)) {
            float[] out = saved.forward(xv, validation.size());
            if (task.isClassification()) {
                metrics.putAll(Evaluation.classification(valClass, probabilities(spec, out, validation.size()), classes.size()));
            } else {
                metrics.putAll(Evaluation.regression(valValue, values(spec, out, validation.size())));
            }
            if (input.champion() != null) {
                metrics.putAll(scoreChampion(input.champion(), validation, classIndex, valClass, valValue, task));
            }
            Profile profile = profile(saved, train, x);
            Files.writeString(modelDir.resolve("profile.json"), Json.write(profile), StandardCharsets.UTF_8);
        }
        metrics.put("rows_train", (double) n);
        metrics.put("rows_validation", (double) validation.size());
        metrics.put("missing_values_train", (double) missingTrain);
        metrics.put("epochs_run", (double) epochsRun);
        metrics.put("best_epoch", (double) bestEpoch);
        Files.writeString(modelDir.resolve("metrics.json"), Json.write(metrics), StandardCharsets.UTF_8);
        Files.writeString(modelDir.resolve("card.md"), ModelCard.render(input, spec, metrics, bestEpoch, epochsRun), StandardCharsets.UTF_8);
        return new Result(spec, metrics, bestEpoch, epochsRun, modelDir);
    }

    /**
     * The baseline profile: the training rows' features and the model's predictions on them (binary: probability of
     * the positive class, numeric; multiclass: predicted label, categorical; regression: predicted value, numeric).
     */
    static Profile profile(TabularModel model, Dataset train, float[] encoded) {
        ModelSpec spec = model.spec();
        Feature prediction = spec.task() == Task.MULTICLASS_CLASSIFICATION
                ? Feature.categorical(Profile.PREDICTION, spec.classes())
                : Feature.numeric(Profile.PREDICTION);
        ProfileBuilder builder = ProfileBuilder.baseline(train.schema(), prediction);
        int width = model.encoder().width();
        int k = spec.outputs();
        for (int from = 0; from < train.size(); from += EVAL_BATCH) {
            int bs = Math.min(EVAL_BATCH, train.size() - from);
            float[] out = model.forward(java.util.Arrays.copyOfRange(encoded, from * width, (from + bs) * width), bs);
            for (int b = 0; b < bs; b++) {
                Row row = train.rows().get(from + b);
                Object predicted = switch (spec.task()) {
                    case BINARY_CLASSIFICATION -> TabularModel.probabilities(spec, out, b)[1];
                    case MULTICLASS_CLASSIFICATION -> TabularModel.toPrediction(spec, out, b * k).label();
                    case REGRESSION -> TabularModel.toPrediction(spec, out, b).value();
                };
                builder.addRow(row.features().toArray(), predicted);
            }
        }
        return builder.build();
    }

    private static Map<String, Double> scoreChampion(Path dir, Dataset validation, Map<String, Integer> classIndex,
                                                     int[] valClass, double[] valValue, Task task) {
        try (TabularModel champion = TabularModel.load(dir)) {
            if (champion.spec().task() != task) {
                throw new TrainingInputException(TrainingInputException.BAD_CHAMPION, "the champion predicts "
                        + champion.spec().task() + ", the candidate " + task, null);
            }
            List<String> needed = champion.spec().schema().names();
            List<List<Object>> rows = new ArrayList<>(validation.size());
            for (Row row : validation.rows()) {
                Map<String, Object> byName = row.toMap(validation.schema());
                List<Object> values = new ArrayList<>(needed.size());
                for (String name : needed) {
                    if (!byName.containsKey(name)) {
                        throw new TrainingInputException(TrainingInputException.BAD_CHAMPION, "the champion needs feature '"
                                + name + "', which the candidate's schema does not have", null);
                    }
                    values.add(byName.get(name));
                }
                rows.add(values);
            }
            List<Prediction> predictions = new ArrayList<>(rows.size());
            for (int from = 0; from < rows.size(); from += EVAL_BATCH) {
                predictions.addAll(champion.predictValues(rows.subList(from, Math.min(rows.size(), from + EVAL_BATCH))));
            }
            Map<String, Double> raw;
            if (task.isClassification()) {
                double[][] probs = new double[predictions.size()][classIndex.size()];
                for (int i = 0; i < predictions.size(); i++) {
                    for (Map.Entry<String, Double> e : predictions.get(i).probabilities().entrySet()) {
                        Integer c = classIndex.get(e.getKey());
                        if (c != null) { // a class only the champion knows cannot be right on these rows
                            probs[i][c] = e.getValue();
                        }
                    }
                }
                raw = Evaluation.classification(valClass, probs, classIndex.size());
            } else {
                raw = Evaluation.regression(valValue, predictions.stream().mapToDouble(Prediction::value).toArray());
            }
            Map<String, Double> prefixed = new LinkedHashMap<>();
            raw.forEach((k, v) -> prefixed.put("champion_" + k, v));
            return prefixed;
        } catch (io.modelcycle.djl.ModelUnavailableException e) {
            throw new TrainingInputException(TrainingInputException.BAD_CHAMPION, "the champion cannot be loaded: " + e.getMessage(), e);
        }
    }

    private static List<String> classes(Task task, Dataset train) {
        TreeSet<String> labels = new TreeSet<>();
        for (Row r : train.rows()) {
            labels.add((String) r.target());
        }
        if (task == Task.BINARY_CLASSIFICATION && labels.size() != 2) {
            throw new SchemaMismatchException("binary classification needs exactly 2 classes in target '" + train.target()
                    + "', the training data has " + (labels.size() > 10 ? labels.size() + "" : labels.toString()));
        }
        if (task == Task.MULTICLASS_CLASSIFICATION && labels.size() < 2) {
            throw new SchemaMismatchException("multiclass classification needs at least 2 classes in target '"
                    + train.target() + "', the training data has " + labels);
        }
        return List.copyOf(labels);
    }

    private static float[] forward(Model model, NDManager parent, float[] x, int n, int width) {
        float[] out = null;
        int k = -1;
        for (int from = 0; from < n; from += EVAL_BATCH) {
            int bs = Math.min(EVAL_BATCH, n - from);
            try (NDManager m = parent.newSubManager()) {
                NDArray in = m.create(java.util.Arrays.copyOfRange(x, from * width, (from + bs) * width), new Shape(bs, width));
                float[] part = model.getBlock().forward(new ParameterStore(m, false), new NDList(in), false)
                        .singletonOrThrow().toFloatArray();
                if (out == null) {
                    k = part.length / bs;
                    out = new float[n * k];
                }
                System.arraycopy(part, 0, out, from * k, part.length);
            }
        }
        return out;
    }

    private static double[][] probabilities(ModelSpec spec, float[] out, int n) {
        int k = spec.outputs();
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) {
            p[i] = TabularModel.probabilities(spec, out, i * k);
        }
        return p;
    }

    private static double[] values(ModelSpec spec, float[] out, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = out[i] * spec.targetStd() + spec.targetMean();
        }
        return v;
    }
}
