package io.modelcycle.core.feedback;

import io.modelcycle.core.ValidationException;
import java.time.Instant;

/**
 * One stored line of feedback: a validated {@link FeedbackItem} with its label in canonical form and the time it
 * was received. Serialised with {@link io.modelcycle.core.Json}, one object per line, gzip-compressed, under
 * {@code feedback/{model}/yyyy/MM/dd/HH/} (the UTC hour of {@code receivedAt}). Example line:
 *
 * <pre>{@code {"actual":"1","receivedAt":"2026-11-29T11:02:00Z","requestId":"7f3a…","row":0}}</pre>
 *
 * @param requestId  the served request's id
 * @param row        the row of that request, from 0
 * @param actual     a class label ({@link String}) or a value ({@link Double}) for regression
 * @param receivedAt when the feedback was stored
 */
public record FeedbackRecord(String requestId, int row, Object actual, Instant receivedAt) {

    public FeedbackRecord {
        if (requestId == null || requestId.isBlank()) {
            throw new ValidationException("feedback.requestId", "is required");
        }
        if (row < 0) {
            throw new ValidationException("feedback.row", "must be >= 0");
        }
        if (!(actual instanceof String) && !(actual instanceof Double)) {
            throw new ValidationException("feedback.actual", "must be a label or a number");
        }
        if (receivedAt == null) {
            throw new ValidationException("feedback.receivedAt", "is required");
        }
    }

    /** The key a capture row is matched on: request id and row. */
    public String joinKey() {
        return joinKey(requestId, row);
    }

    /** The join key of a request id and row, as {@link #joinKey()} and the capture side compute it. */
    public static String joinKey(String requestId, int row) {
        return row + ":" + requestId;
    }
}
