package io.modelcycle.core.model;

import io.modelcycle.core.ValidationException;
import java.util.List;
import java.util.Map;

/**
 * The rules that govern a model's life. Every part has a default, so a model created with no policies at all
 * behaves sensibly: automatic approval after a quality gate, drift checked by the default methods, a 10 %
 * canary baked for five minutes, artifacts archived on retirement, 10 % of requests captured.
 */
public record Policies(QualityGate qualityGate, ApprovalPolicy approval, DriftPolicy drift, CanaryPolicy canary,
                       RetentionPolicy retention, CapturePolicy capture) {

    public Policies {
        qualityGate = qualityGate == null ? QualityGate.DEFAULT : qualityGate;
        approval = approval == null ? ApprovalPolicy.DEFAULT : approval;
        drift = drift == null ? DriftPolicy.DEFAULT : drift;
        canary = canary == null ? CanaryPolicy.DEFAULT : canary;
        retention = retention == null ? RetentionPolicy.DEFAULT : retention;
        capture = capture == null ? CapturePolicy.DEFAULT : capture;
    }

    public static Policies defaults() {
        return new Policies(null, null, null, null, null, null);
    }

    /**
     * A candidate passes when its {@code metric} on the held-out split is at least {@code minimum} (at most, for
     * error metrics such as RMSE) and trails the champion by no more than {@code tolerance}.
     *
     * @param metric    a metric the trainer reports, e.g. {@code roc_auc}, {@code accuracy}, {@code rmse}; null
     *                  means "the task's default" ({@code roc_auc} or {@code accuracy} for classification,
     *                  {@code rmse} for regression)
     * @param minimum   absolute bound, null for none
     * @param tolerance how far the candidate may trail the champion, {@code >= 0}
     */
    public record QualityGate(String metric, Double minimum, Double tolerance) {
        public static final QualityGate DEFAULT = new QualityGate(null, null, 0.0);

        public QualityGate {
            tolerance = tolerance == null ? 0.0 : tolerance;
            if (tolerance < 0 || tolerance.isNaN()) {
                throw new ValidationException("policies.qualityGate.tolerance", "must be >= 0, got " + tolerance);
            }
            if (minimum != null && (minimum.isNaN() || minimum.isInfinite())) {
                throw new ValidationException("policies.qualityGate.minimum", "must be a finite number");
            }
        }
    }

    /** Whether an approved-by-gate version needs a person's approval before deployment. */
    public record ApprovalPolicy(Mode mode) {
        public static final ApprovalPolicy DEFAULT = new ApprovalPolicy(Mode.AUTO);

        /** AUTO: approved as soon as the quality gate passes; MANUAL: waits for a person (task token). */
        public enum Mode { AUTO, MANUAL }

        public ApprovalPolicy {
            mode = mode == null ? Mode.AUTO : mode;
        }
    }

    /**
     * How drift is judged. Features not named in {@code features} get the default method for their type and the
     * sample size; {@code driftShare} is the share of drifted features that makes the dataset drifted.
     *
     * @param driftShare          share of drifted features, in (0, 1], that means dataset drift (default 0.5)
     * @param missingShareIncrease a feature also drifts when its share of missing values rises by this much
     *                            over the baseline (default 0.1)
     * @param features            per-feature overrides of method and threshold
     * @param predictionThreshold threshold for drift of the model's own outputs, or null for the default
     */
    public record DriftPolicy(Double driftShare, Double missingShareIncrease, Map<String, DriftRule> features,
                              Double predictionThreshold) {
        public static final DriftPolicy DEFAULT = new DriftPolicy(null, null, null, null);

        public DriftPolicy {
            driftShare = driftShare == null ? 0.5 : driftShare;
            missingShareIncrease = missingShareIncrease == null ? 0.1 : missingShareIncrease;
            features = features == null ? Map.of() : Map.copyOf(features);
            if (!(driftShare > 0 && driftShare <= 1)) {
                throw new ValidationException("policies.drift.driftShare", "must be in (0, 1], got " + driftShare);
            }
            if (!(missingShareIncrease > 0 && missingShareIncrease <= 1)) {
                throw new ValidationException("policies.drift.missingShareIncrease", "must be in (0, 1], got " + missingShareIncrease);
            }
        }
    }

    /** One feature's drift method and threshold. */
    public record DriftRule(DriftMethod method, Double threshold) {
        public DriftRule {
            if (method == null) {
                throw new ValidationException("policies.drift.features.method", "is required: one of PSI, KS, WASSERSTEIN, JENSEN_SHANNON, CHI_SQUARED");
            }
            if (threshold != null && (threshold.isNaN() || threshold <= 0)) {
                throw new ValidationException("policies.drift.features.threshold", "must be > 0, got " + threshold);
            }
        }
    }

    /**
     * Canary deployment: the new version takes {@code weight} of traffic for {@code bakeSeconds}; it is rolled
     * back if any of {@code rollbackAlarms} fires or its error rate exceeds production's by more than
     * {@code maxErrorRateIncrease}.
     */
    public record CanaryPolicy(Double weight, Integer bakeSeconds, List<String> rollbackAlarms, Double maxErrorRateIncrease) {
        public static final CanaryPolicy DEFAULT = new CanaryPolicy(null, null, null, null);

        public CanaryPolicy {
            weight = weight == null ? 0.1 : weight;
            bakeSeconds = bakeSeconds == null ? 300 : bakeSeconds;
            rollbackAlarms = rollbackAlarms == null ? List.of() : List.copyOf(rollbackAlarms);
            maxErrorRateIncrease = maxErrorRateIncrease == null ? 0.01 : maxErrorRateIncrease;
            if (!(weight > 0 && weight < 1)) {
                throw new ValidationException("policies.canary.weight", "must be in (0, 1), got " + weight);
            }
            if (bakeSeconds < 0 || bakeSeconds > 86_400) {
                throw new ValidationException("policies.canary.bakeSeconds", "must be in [0, 86400], got " + bakeSeconds);
            }
            if (!(maxErrorRateIncrease >= 0 && maxErrorRateIncrease <= 1)) {
                throw new ValidationException("policies.canary.maxErrorRateIncrease", "must be in [0, 1], got " + maxErrorRateIncrease);
            }
        }
    }

    /** What happens to a retired version's artifacts. Metadata and audit events are always kept. */
    public record RetentionPolicy(Action action) {
        public static final RetentionPolicy DEFAULT = new RetentionPolicy(Action.ARCHIVE);

        /** ARCHIVE: copied under {@code archive/} (verified), then removed; DELETE: removed. */
        public enum Action { ARCHIVE, DELETE }

        public RetentionPolicy {
            action = action == null ? Action.ARCHIVE : action;
        }
    }

    /** The fraction of inference requests (with their responses) written to the capture sink. */
    public record CapturePolicy(Double sampleRate) {
        public static final CapturePolicy DEFAULT = new CapturePolicy(null);

        public CapturePolicy {
            sampleRate = sampleRate == null ? 0.1 : sampleRate;
            if (!(sampleRate >= 0 && sampleRate <= 1)) {
                throw new ValidationException("policies.capture.sampleRate", "must be in [0, 1], got " + sampleRate);
            }
        }
    }
}
