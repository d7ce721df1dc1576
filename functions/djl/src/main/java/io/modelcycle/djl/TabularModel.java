package io.modelcycle.djl;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.modelcycle.core.Json;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.model.Task;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained model loaded from its directory ({@code model.json} + {@code tabular-0000.params}), ready to predict.
 *
 * <p><b>Thread-safe.</b> After loading, the parameters are only read; every {@code predict} call creates its own
 * {@link NDManager} and {@link ParameterStore} and closes them, which is what DJL's (not thread-safe)
 * {@code Predictor} does internally, without sharing one between threads. Rows of one call are encoded into one
 * array and go through the network in one forward pass, so 100 rows cost about as much as one.
 */
public final class TabularModel implements AutoCloseable {

    public static final String MODEL_JSON = "model.json";

    private final ModelSpec spec;
    private final FeatureEncoder encoder;
    private final Model model;

    private TabularModel(ModelSpec spec, Model model) {
        this.spec = spec;
        this.encoder = new FeatureEncoder(spec.encoding());
        this.model = model;
    }

    /** Loads a model directory on the CPU. */
    public static TabularModel load(Path dir) {
        return load(dir, Device.cpu());
    }

    /**
     * Loads a model directory onto {@code device}.
     *
     * @throws ModelUnavailableException when {@code model.json} or the parameters are missing or damaged
     */
    public static TabularModel load(Path dir, Device device) {
        ModelSpec spec;
        try {
            spec = Json.mapper().readValue(Files.readString(dir.resolve(MODEL_JSON), StandardCharsets.UTF_8), ModelSpec.class);
        } catch (IOException | RuntimeException e) {
            throw new ModelUnavailableException("cannot read " + dir.resolve(MODEL_JSON) + ": " + e.getMessage(), e);
        }
        if (spec.formatVersion() != ModelSpec.FORMAT_VERSION) {
            throw new ModelUnavailableException(dir + ": model format " + spec.formatVersion() + " is not "
                    + ModelSpec.FORMAT_VERSION, null);
        }
        Model model = Model.newInstance(ModelSpec.NETWORK_NAME, device, "PyTorch");
        try {
            model.setBlock(TabularNetwork.build(spec.hiddenUnits(), spec.dropout(), spec.outputs()));
            model.load(dir, ModelSpec.NETWORK_NAME);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new ModelUnavailableException("cannot load the parameters in " + dir + ": " + e.getMessage(), e);
        }
        return new TabularModel(spec, model);
    }

    public ModelSpec spec() {
        return spec;
    }

    public FeatureEncoder encoder() {
        return encoder;
    }

    /** Predicts one row keyed by feature name; see {@link FeatureEncoder#fromMap} for what is accepted. */
    public Prediction predict(Map<String, ?> row) {
        return predict(List.of(row)).get(0);
    }

    /**
     * Predicts many rows in one forward pass.
     *
     * @throws ValidationException naming the row and feature of the first bad value
     */
    public List<Prediction> predict(List<? extends Map<String, ?>> rows) {
        List<List<Object>> values = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            try {
                values.add(encoder.fromMap(rows.get(i)));
            } catch (ValidationException e) {
                if (rows.size() == 1) {
                    throw e;
                }
                int row = i;
                throw new ValidationException(e.errors().stream()
                        .map(f -> new ValidationException.FieldError("rows[" + row + "]." + f.field(), f.message())).toList());
            }
        }
        return predictValues(values);
    }

    /** Predicts rows whose values are already in schema order (null = missing), as a {@code Dataset} holds them. */
    public List<Prediction> predictValues(List<List<Object>> rows) {
        int width = encoder.width();
        float[] x = new float[rows.size() * width];
        for (int i = 0; i < rows.size(); i++) {
            encoder.encode(rows.get(i), x, i * width);
        }
        float[] out = forward(x, rows.size());
        List<Prediction> predictions = new ArrayList<>(rows.size());
        int k = spec.outputs();
        for (int i = 0; i < rows.size(); i++) {
            predictions.add(toPrediction(spec, out, i * k));
        }
        return predictions;
    }

    /** Raw network outputs for {@code n} encoded rows: {@code n × outputs} floats. */
    public float[] forward(float[] encoded, int n) {
        if (n == 0) {
            return new float[0];
        }
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDArray x = manager.create(encoded, new Shape(n, encoder.width()));
            Block block = model.getBlock();
            NDList out = block.forward(new ParameterStore(manager, false), new NDList(x), false);
            return out.singletonOrThrow().toFloatArray();
        }
    }

    /** Turns raw outputs (at {@code offset}) into a prediction: sigmoid, softmax or de-standardised value. */
    public static Prediction toPrediction(ModelSpec spec, float[] out, int offset) {
        if (spec.task() == Task.REGRESSION) {
            return new Prediction(null, null, out[offset] * spec.targetStd() + spec.targetMean());
        }
        double[] p = probabilities(spec, out, offset);
        Map<String, Double> byClass = new LinkedHashMap<>();
        int best = 0;
        for (int c = 0; c < p.length; c++) {
            byClass.put(spec.classes().get(c), p[c]);
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return new Prediction(spec.classes().get(best), byClass, null);
    }

    /** Class probabilities in the spec's class order from raw outputs at {@code offset}. */
    public static double[] probabilities(ModelSpec spec, float[] out, int offset) {
        if (spec.task() == Task.BINARY_CLASSIFICATION) {
            double p1 = 1.0 / (1.0 + Math.exp(-out[offset]));
            return new double[] {1.0 - p1, p1};
        }
        int k = spec.outputs();
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            max = Math.max(max, out[offset + c]);
        }
        double[] p = new double[k];
        double sum = 0;
        for (int c = 0; c < k; c++) {
            p[c] = Math.exp(out[offset + c] - max);
            sum += p[c];
        }
        for (int c = 0; c < k; c++) {
            p[c] /= sum;
        }
        return p;
    }

    @Override
    public void close() {
        model.close();
    }
}
