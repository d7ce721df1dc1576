package io.modelcycle.djl;

import java.util.Map;

/**
 * One prediction: for classification the most probable {@code label} and every class's probability (in the
 * model's class order); for regression the {@code value} (label and probabilities null).
 */
public record Prediction(String label, Map<String, Double> probabilities, Double value) {

    public Prediction {
        probabilities = probabilities == null ? null : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(probabilities));
    }
}
