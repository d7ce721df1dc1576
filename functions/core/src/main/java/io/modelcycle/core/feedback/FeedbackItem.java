package io.modelcycle.core.feedback;

import io.modelcycle.core.ValidationException;

/**
 * One piece of ground truth as a caller sends it: the request it is about, which row of that request (a request may
 * carry a batch of rows) and the actual outcome.
 *
 * @param requestId the id of the served request, as the inference response and its capture record carry it
 * @param actual    the true class label (a string, or an integral number read as its decimal text) for
 *                  classifiers; the true value (a finite number) for regression. Checked against the model by
 *                  {@link FeedbackStore}, not here, because only the model knows its task and classes
 * @param row       the row of a batch request, from 0; null means 0
 */
public record FeedbackItem(String requestId, Object actual, Integer row) {

    /** Longest request id accepted; API Gateway's and our own ids are far shorter. */
    public static final int MAX_REQUEST_ID = 256;

    public FeedbackItem {
        if (requestId == null || requestId.isBlank()) {
            throw new ValidationException("requestId", "is required: the id of the request the feedback is about");
        }
        if (requestId.length() > MAX_REQUEST_ID) {
            throw new ValidationException("requestId", "must be at most " + MAX_REQUEST_ID + " characters");
        }
        if (actual == null) {
            throw new ValidationException("actual", "is required: the true label or value");
        }
        row = row == null ? 0 : row;
        if (row < 0) {
            throw new ValidationException("row", "must be >= 0, got " + row);
        }
    }
}
