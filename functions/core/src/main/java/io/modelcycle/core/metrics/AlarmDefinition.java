package io.modelcycle.core.metrics;

import io.modelcycle.core.ValidationException;
import java.time.Duration;

/**
 * One alarm, described once: the CDK app deploys it as a CloudWatch alarm (every field maps one to one to
 * {@code AWS::CloudWatch::Alarm}), and the local alarm evaluator evaluates it with {@link AlarmEvaluator} over the
 * embedded metrics store.
 *
 * <p>The alarm reduces {@code metric} to one datapoint per {@code period} with {@code statistic}, and goes to
 * {@code ALARM} when at least {@code datapointsToAlarm} of the last {@code evaluationPeriods} datapoints breach
 * {@code threshold} under {@code comparison} ("M out of N"); missing periods are handled by
 * {@code treatMissingData}.
 *
 * @param name              1 to 255 ASCII characters, unique in the account and region
 * @param metric            the series, with all of its dimensions
 * @param statistic         how each period is reduced
 * @param period            length of one period (1, 5, 10, 20, 30 s or whole minutes)
 * @param threshold         a finite number
 * @param comparison        how a datapoint is compared with the threshold
 * @param evaluationPeriods N, {@code >= 1}; {@code N × period} may not exceed one day (CloudWatch's limit)
 * @param datapointsToAlarm M, {@code 1 <= M <= N}
 * @param treatMissingData  null means {@link TreatMissingData#MISSING}, CloudWatch's default
 */
public record AlarmDefinition(String name, MetricId metric, Statistic statistic, Duration period, double threshold,
                              ComparisonOperator comparison, int evaluationPeriods, int datapointsToAlarm,
                              TreatMissingData treatMissingData) {

    /** CloudWatch's bound on {@code evaluationPeriods × period}. */
    public static final Duration MAX_EVALUATION_INTERVAL = Duration.ofDays(1);

    public AlarmDefinition {
        if (name == null || name.isEmpty() || name.length() > 255) {
            throw new ValidationException("alarm.name", "must be 1 to 255 characters, got "
                    + (name == null ? "null" : name.length() + " characters"));
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new ValidationException("alarm.name", "must contain only printable ASCII characters: '" + name + "'");
            }
        }
        if (metric == null) {
            throw new ValidationException("alarm.metric", "is required");
        }
        if (statistic == null) {
            throw new ValidationException("alarm.statistic", "is required: Average, Sum, Minimum, Maximum or SampleCount");
        }
        MetricQuery.requirePeriod("alarm.period", period);
        if (!Double.isFinite(threshold)) {
            throw new ValidationException("alarm.threshold", "must be a finite number, got " + threshold);
        }
        if (comparison == null) {
            throw new ValidationException("alarm.comparison", "is required: GreaterThanOrEqualToThreshold, "
                    + "GreaterThanThreshold, LessThanThreshold or LessThanOrEqualToThreshold");
        }
        if (evaluationPeriods < 1) {
            throw new ValidationException("alarm.evaluationPeriods", "must be >= 1, got " + evaluationPeriods);
        }
        if (datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods) {
            throw new ValidationException("alarm.datapointsToAlarm", "must be between 1 and evaluationPeriods ("
                    + evaluationPeriods + "), got " + datapointsToAlarm);
        }
        if (period.multipliedBy(evaluationPeriods).compareTo(MAX_EVALUATION_INTERVAL) > 0) {
            throw new ValidationException("alarm.evaluationPeriods", "evaluationPeriods × period may not exceed one day, got "
                    + evaluationPeriods + " × " + period);
        }
        treatMissingData = treatMissingData == null ? TreatMissingData.MISSING : treatMissingData;
    }

    /**
     * How many of the most recent periods an evaluation reads: {@code evaluationPeriods + 2}. CloudWatch reads "a
     * higher number of data points than specified by Evaluation Periods" (depending on period and resolution, not
     * published); N + 2 is the evaluation range of its documented examples (5 for N = 3), so a gap of up to two
     * periods is bridged by older real data before missing data is filled in.
     */
    public int evaluationRange() {
        return evaluationPeriods + 2;
    }

    /** Whether one datapoint breaches the threshold. */
    public boolean breaches(double value) {
        return comparison.breaches(value, threshold);
    }
}
