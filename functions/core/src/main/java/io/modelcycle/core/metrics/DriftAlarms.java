package io.modelcycle.core.metrics;

import io.modelcycle.core.ValidationException;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.model.Policies.DriftPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The drift metrics and the drift alarm ModelCycle ships, shared by the drift-check handler (which publishes),
 * the CDK app (which deploys one CloudWatch alarm per model) and the local runtime (which evaluates the same alarm).
 *
 * <p>Metrics, all in namespace {@value #NAMESPACE}:
 * <ul>
 *   <li>{@value #DRIFTED_SHARE} — share of drifted features, 0 to 1, published twice per check: with dimensions
 *       {@code model} and {@code version} (for dashboards) and with {@code model} alone, which is the series the
 *       alarm watches, so the alarm keeps working across versions without being redeployed (a CloudWatch alarm
 *       sees only points published with exactly its dimensions);</li>
 *   <li>{@value #DRIFT_SCORE} — the statistic of one feature, dimensions {@code model}, {@code version},
 *       {@code feature};</li>
 *   <li>{@value #ROWS_CHECKED} — rows in the checked window, dimensions {@code model}, {@code version}.</li>
 * </ul>
 *
 * <p>The alarm {@code modelcycle-drift-{model}}: {@code Maximum} of {@code DriftedShare{model}} per period
 * (default one hour) {@code >=} the model's {@link DriftPolicy#driftShare()} (default 0.5) in 1 of 1 periods; missing
 * data is {@code notBreaching}, because no drift check in a period means no evidence of drift, not an outage.
 */
public final class DriftAlarms {

    public static final String NAMESPACE = "modelcycle/drift";
    public static final String DRIFTED_SHARE = "DriftedShare";
    public static final String DRIFT_SCORE = "DriftScore";
    public static final String ROWS_CHECKED = "RowsChecked";
    public static final String MODEL = "model";
    public static final String VERSION = "version";
    public static final String FEATURE = "feature";
    public static final String ALARM_PREFIX = "modelcycle-drift-";
    public static final Duration DEFAULT_PERIOD = Duration.ofHours(1);

    private DriftAlarms() {
    }

    /** The series the drift alarm watches: {@code DriftedShare} with the single dimension {@code model}. */
    public static MetricId driftedShare(String model) {
        return new MetricId(NAMESPACE, DRIFTED_SHARE, Map.of(MODEL, Model.requireName(model)));
    }

    /** {@code DriftedShare} of one version, for dashboards. */
    public static MetricId driftedShare(String model, int version) {
        return driftedShare(model).with(VERSION, Integer.toString(requireVersion(version)));
    }

    public static MetricId driftScore(String model, int version, String feature) {
        return new MetricId(NAMESPACE, DRIFT_SCORE, Map.of(MODEL, Model.requireName(model),
                VERSION, Integer.toString(requireVersion(version)), FEATURE, feature));
    }

    public static MetricId rowsChecked(String model, int version) {
        return new MetricId(NAMESPACE, ROWS_CHECKED, Map.of(MODEL, Model.requireName(model),
                VERSION, Integer.toString(requireVersion(version))));
    }

    /** The alarm's name for a model: {@code modelcycle-drift-{model}}. */
    public static String alarmName(String model) {
        return ALARM_PREFIX + Model.requireName(model);
    }

    /**
     * The model an alarm name belongs to, for the handler that receives the alarm's state-change event; empty when
     * the name is not a drift alarm's.
     */
    public static Optional<String> modelOf(String alarmName) {
        if (alarmName == null || !alarmName.startsWith(ALARM_PREFIX)) {
            return Optional.empty();
        }
        String model = alarmName.substring(ALARM_PREFIX.length());
        try {
            return Optional.of(Model.requireName(model));
        } catch (ValidationException e) {
            return Optional.empty();
        }
    }

    /** The drift alarm of {@code model}, with its drift policy's threshold and the default period. */
    public static AlarmDefinition driftAlarm(Model model) {
        return driftAlarm(model.name(), model.policies().drift(), DEFAULT_PERIOD);
    }

    /**
     * The drift alarm of a model: fires when one period's largest {@code DriftedShare} reaches the policy's
     * {@code driftShare}.
     *
     * @param policy null means the default drift policy (threshold 0.5)
     * @param period how often drift is checked; the local runtime uses shorter periods than AWS
     */
    public static AlarmDefinition driftAlarm(String model, DriftPolicy policy, Duration period) {
        DriftPolicy drift = policy == null ? DriftPolicy.DEFAULT : policy;
        return new AlarmDefinition(alarmName(model), driftedShare(model), Statistic.MAXIMUM, period,
                drift.driftShare(), ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 1, 1,
                TreatMissingData.NOT_BREACHING);
    }

    private static int requireVersion(int version) {
        if (version < 1) {
            throw new ValidationException("version", "must be >= 1, got " + version);
        }
        return version;
    }
}
