package io.modelcycle.core.lifecycle;

import io.modelcycle.core.drift.DriftReport;
import io.modelcycle.core.feedback.QualityReport;
import java.time.Instant;

/**
 * What one drift check found, as stored in {@code reports/{model}/drift/{key}.json} beside its HTML page. The
 * statistics are in {@code drift}; the rest says what was checked, against what, and why the verdict is what it is.
 *
 * @param model        the model
 * @param version      the production version whose baseline was the reference
 * @param trigger      who asked: {@code alarm}, {@code schedule}, {@code manual}, …
 * @param windowStart  start of the capture window (inclusive)
 * @param windowEnd    end of the capture window (exclusive)
 * @param checkedAt    when the check ran
 * @param baselineKey  the artifact key of the baseline profile
 * @param rowsChecked  captured rows of the version in the window
 * @param drifted      the decision: dataset drift found
 * @param driftedShare share of drifted features (0 when not computed)
 * @param reason       the decision in one sentence
 * @param drift        per-feature statistics and the dataset verdict; null when too few rows were captured
 * @param quality      accuracy or RMSE over the window's labelled traffic
 * @param reportKey    this report's key
 * @param htmlKey      the HTML page's key
 */
public record DriftCheckReport(String model, int version, String trigger, Instant windowStart, Instant windowEnd,
                               Instant checkedAt, String baselineKey, long rowsChecked, boolean drifted,
                               double driftedShare, String reason, DriftReport drift, QualityReport quality,
                               String reportKey, String htmlKey) {
}
