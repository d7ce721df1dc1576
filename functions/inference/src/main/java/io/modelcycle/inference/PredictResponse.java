package io.modelcycle.inference;

import io.modelcycle.djl.Prediction;
import java.util.List;
import java.util.Objects;

/**
 * What a prediction request gets back: which model and version answered (always, so a caller behind a canary can
 * tell), through which alias (absent when the caller pinned a version), the request id to quote, and one prediction
 * per row in row order: {@code label} and {@code probabilities} per class for a classifier, {@code value} for a
 * regressor.
 *
 * @param model       the model name
 * @param version     the version that produced the predictions
 * @param alias       the alias the request was served through ({@code production}, {@code canary}, …), or null
 * @param requestId   the request id (Lambda's), also in the logs and the capture record
 * @param predictions one per row
 */
public record PredictResponse(String model, int version, String alias, String requestId, List<Prediction> predictions) {

    public PredictResponse {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(requestId, "requestId");
        predictions = List.copyOf(predictions);
    }
}
