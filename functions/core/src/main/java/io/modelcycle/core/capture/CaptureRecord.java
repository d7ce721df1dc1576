package io.modelcycle.core.capture;

import io.modelcycle.core.ValidationException;
import io.modelcycle.core.model.Model;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One captured inference request with its response: the unit a {@code CaptureSink} writes and the drift check
 * reads. Serialised with {@link io.modelcycle.core.Json} as exactly one JSON object per line, lines gzip-compressed,
 * in objects keyed {@code captures/{model}/yyyy/MM/dd/HH/{anything}.jsonl.gz}
 * ({@link io.modelcycle.core.artifact.ArtifactKeys#capturePrefix}), the hour being the UTC hour of
 * {@code timestamp}. Example line:
 *
 * <pre>{@code
 * {"alias":"production","model":"churn","predictions":[0.83],"requestId":"7f3a…","rows":[{"age":41,"plan":"pro"}],
 *  "timestamp":"2026-11-29T10:15:02.120Z","version":3}
 * }</pre>
 *
 * <p>A request may carry several rows (a batch); {@code predictions} then holds one output per row, in row order.
 * Feature values are JSON numbers for numeric features and strings for categorical ones; a missing value is
 * an absent key ({@code null} values are dropped on construction). A prediction is a number (regression value or
 * score) or a string (class label).
 * Field names and shape are the contract with {@link CaptureWindowReader}, which parses them with a streaming
 * parser: add fields only additively (the reader skips fields it does not know).
 *
 * @param timestamp   when the request was served (UTC); decides the hour folder
 * @param model       the model name
 * @param version     the version that produced the predictions, {@code >= 1}
 * @param alias       the alias the request resolved through ({@code production}, {@code canary}, …), or null
 *                    when the caller named a version directly
 * @param requestId   the request's id, the key that ground-truth feedback refers to
 * @param rows        the input rows, each a map from feature name to value; at least one
 * @param predictions one model output per row (same size as {@code rows}), or empty when the response failed
 */
public record CaptureRecord(Instant timestamp, String model, int version, String alias, String requestId,
                            List<Map<String, Object>> rows, List<Object> predictions) {

    public CaptureRecord {
        if (timestamp == null) {
            throw new ValidationException("capture.timestamp", "is required");
        }
        Model.requireName(model);
        if (version < 1) {
            throw new ValidationException("capture.version", "must be >= 1, got " + version);
        }
        if (requestId == null || requestId.isBlank()) {
            throw new ValidationException("capture.requestId", "is required");
        }
        if (rows == null || rows.isEmpty()) {
            throw new ValidationException("capture.rows", "a capture needs at least one row");
        }
        List<Map<String, Object>> copied = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = rows.get(i);
            if (row == null) {
                throw new ValidationException("capture.rows[" + i + "]", "is null");
            }
            // A null value and an absent key both mean "missing"; keeping only the absent form makes a record equal
            // to itself after a JSON round trip (core Json leaves nulls out).
            Map<String, Object> values = new LinkedHashMap<>();
            row.forEach((k, v) -> {
                if (k == null) {
                    throw new ValidationException("capture.rows", "a feature name is null");
                }
                if (v != null) {
                    values.put(k, v);
                }
            });
            copied.add(Collections.unmodifiableMap(values));
        }
        rows = Collections.unmodifiableList(copied);
        predictions = predictions == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(predictions));
        if (!predictions.isEmpty() && predictions.size() != rows.size()) {
            throw new ValidationException("capture.predictions",
                    "needs one prediction per row: " + rows.size() + " rows, " + predictions.size() + " predictions");
        }
    }

    /** A single-row request, the common case. */
    public static CaptureRecord single(Instant timestamp, String model, int version, String alias, String requestId,
                                       Map<String, Object> row, Object prediction) {
        List<Object> predictions = new ArrayList<>(1);
        predictions.add(prediction);
        return new CaptureRecord(timestamp, model, version, alias, requestId, List.of(row),
                prediction == null ? List.of() : predictions);
    }
}
