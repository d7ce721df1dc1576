package io.modelcycle.inference;

import io.modelcycle.core.ValidationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The body of a prediction request: {@code {"instances":[{feature: value, ...}, ...]}}, 1 to {@value #MAX_ROWS}
 * rows. Each row is checked against the model's schema later, by {@link RowValidator}, once the model is known.
 *
 * @param instances the rows, keyed by feature name; a JSON {@code null} value is a missing value
 */
public record PredictRequest(List<Map<String, Object>> instances) {

    /** Most rows in one request: beyond that a caller should batch, and one request should stay well under a second. */
    public static final int MAX_ROWS = 1000;

    public PredictRequest {
        if (instances == null) {
            throw new ValidationException("instances", "is required: a JSON array of 1 to " + MAX_ROWS
                    + " rows, each an object of feature name to value");
        }
        if (instances.isEmpty() || instances.size() > MAX_ROWS) {
            throw new ValidationException("instances", "needs 1 to " + MAX_ROWS + " rows, got " + instances.size());
        }
        // Not List.copyOf: rows may be null (reported per row by the validator) and the copy would refuse them.
        instances = Collections.unmodifiableList(new ArrayList<>(instances));
    }
}
