package io.modelcycle.core.feedback;

import io.modelcycle.core.model.Task;
import java.time.Instant;

/**
 * Model quality over recent labelled traffic.
 *
 * @param model           the model
 * @param version         the version whose predictions were judged
 * @param task            decides which of {@code accuracy} and {@code rmse} is set
 * @param from            start of the feedback window (inclusive)
 * @param to              end of the feedback window (exclusive)
 * @param labelledRows    captured rows that had feedback: the sample the figures are computed on
 * @param unmatched       feedback items whose request and row were not found among the captures (capture is
 *                        sampled, or the request was served by another version)
 * @param accuracy        share of labelled rows predicted right (classification), null otherwise or with no rows
 * @param rmse            root mean squared error (regression), null otherwise or with no rows
 */
public record QualityReport(String model, int version, Task task, Instant from, Instant to, long labelledRows,
                            long unmatched, Double accuracy, Double rmse) {
}
