package io.modelcycle.djl;

import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.model.Task;
import java.util.List;
import java.util.Map;

/**
 * {@code model.json}: everything needed to rebuild and use the trained network, and to say how it was made.
 *
 * @param formatVersion   {@value #FORMAT_VERSION}; a loader refuses other versions
 * @param modelName       the registered model's name
 * @param task            what it predicts
 * @param schema          the ordered input features
 * @param target          the target column
 * @param classes         class labels in output order (classification); for binary the second is the positive class;
 *                        empty for regression
 * @param encoding        per feature, how it becomes input columns (training-split statistics)
 * @param targetMean      regression: the network predicts {@code (y - targetMean) / targetStd}; null otherwise
 * @param targetStd       see {@code targetMean}
 * @param hiddenUnits     hidden layer widths
 * @param dropout         dropout rate used in training
 * @param seed            the training seed
 * @param engine          DJL engine name, {@code PyTorch}
 * @param engineVersion   engine version, e.g. {@code 2.7.1}
 * @param djlVersion      DJL version, e.g. {@code 0.36.0}
 * @param parametersFile  the parameter file's name in the model directory
 * @param hyperparameters the resolved hyperparameters (defaults filled in), as strings
 * @param trainingFiles   lineage: each training (and validation) file's name and SHA-256
 */
public record ModelSpec(int formatVersion, String modelName, Task task, FeatureSchema schema, String target,
                        List<String> classes, List<FeatureEncoding> encoding, Double targetMean, Double targetStd,
                        List<Integer> hiddenUnits, double dropout, long seed, String engine, String engineVersion,
                        String djlVersion, String parametersFile, Map<String, String> hyperparameters,
                        Map<String, String> trainingFiles) {

    public static final int FORMAT_VERSION = 1;
    /** DJL's name prefix for the parameter file, {@code tabular-0000.params}. */
    public static final String NETWORK_NAME = "tabular";

    public ModelSpec {
        if (task == null || schema == null || encoding == null || hiddenUnits == null) {
            throw new IllegalArgumentException("task, schema, encoding and hiddenUnits are required");
        }
        classes = classes == null ? List.of() : List.copyOf(classes);
        encoding = List.copyOf(encoding);
        hiddenUnits = List.copyOf(hiddenUnits);
        hyperparameters = hyperparameters == null ? Map.of() : Map.copyOf(hyperparameters);
        trainingFiles = trainingFiles == null ? Map.of() : Map.copyOf(trainingFiles);
        if (encoding.size() != schema.size()) {
            throw new IllegalArgumentException("encoding has " + encoding.size() + " features, schema " + schema.size());
        }
        if (task.isClassification() && classes.size() < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classes);
        }
        if (task == Task.REGRESSION && (targetMean == null || targetStd == null)) {
            throw new IllegalArgumentException("a regressor needs targetMean and targetStd");
        }
    }

    /** Number of network outputs: 1 logit (binary), one per class (multiclass), 1 value (regression). */
    public int outputs() {
        return task == Task.MULTICLASS_CLASSIFICATION ? classes.size() : 1;
    }
}
