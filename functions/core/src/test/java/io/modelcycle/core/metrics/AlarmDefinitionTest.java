package io.modelcycle.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcycle.core.ValidationException;
import io.modelcycle.core.model.Policies.DriftPolicy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlarmDefinitionTest {

    private static final MetricId METRIC = new MetricId("modelcycle/test", "Errors", Map.of());

    private static AlarmDefinition alarm(Duration period, int n, int m, double threshold) {
        return new AlarmDefinition("a", METRIC, Statistic.SUM, period, threshold,
                ComparisonOperator.GREATER_THAN_THRESHOLD, n, m, null);
    }

    @Test
    void defaults_missing_data_to_missing_and_reads_n_plus_two_periods() {
        AlarmDefinition alarm = alarm(Duration.ofMinutes(5), 3, 2, 1);

        assertThat(alarm.treatMissingData()).isEqualTo(TreatMissingData.MISSING);
        assertThat(alarm.evaluationRange()).isEqualTo(5);
    }

    @Test
    void refuses_more_datapoints_to_alarm_than_evaluation_periods() {
        assertThatThrownBy(() -> alarm(Duration.ofMinutes(5), 3, 4, 1))
                .isInstanceOf(ValidationException.class).hasMessageContaining("alarm.datapointsToAlarm")
                .hasMessageContaining("between 1 and evaluationPeriods (3), got 4");
    }

    @Test
    void refuses_an_evaluation_longer_than_a_day() {
        assertThatThrownBy(() -> alarm(Duration.ofHours(1), 25, 1, 1))
                .isInstanceOf(ValidationException.class).hasMessageContaining("may not exceed one day");
    }

    @Test
    void refuses_periods_cloudwatch_refuses() {
        assertThatThrownBy(() -> alarm(Duration.ofSeconds(90), 1, 1, 1))
                .isInstanceOf(ValidationException.class).hasMessageContaining("alarm.period");
        assertThat(alarm(Duration.ofSeconds(10), 1, 1, 1).period()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void refuses_a_threshold_that_is_not_a_number() {
        assertThatThrownBy(() -> alarm(Duration.ofMinutes(1), 1, 1, Double.NaN))
                .isInstanceOf(ValidationException.class).hasMessageContaining("alarm.threshold");
    }

    @Test
    void maps_names_to_cloudwatch_spelling_both_ways() {
        for (ComparisonOperator operator : ComparisonOperator.values()) {
            assertThat(ComparisonOperator.fromCloudWatchName(operator.cloudWatchName())).isEqualTo(operator);
        }
        for (TreatMissingData treatment : TreatMissingData.values()) {
            assertThat(TreatMissingData.fromCloudWatchName(treatment.cloudWatchName())).isEqualTo(treatment);
        }
        assertThat(TreatMissingData.NOT_BREACHING.cloudWatchName()).isEqualTo("notBreaching");
        assertThat(Statistic.fromCloudWatchName("SampleCount")).isEqualTo(Statistic.SAMPLE_COUNT);
        assertThatThrownBy(() -> Statistic.fromCloudWatchName("p99")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("Average, Sum, Minimum, Maximum, SampleCount");
    }

    @Test
    void the_drift_alarm_watches_drifted_share_per_model_at_the_policy_threshold() {
        // GIVEN the default drift policy and one with a stricter share
        AlarmDefinition standard = DriftAlarms.driftAlarm("churn", null, DriftAlarms.DEFAULT_PERIOD);
        AlarmDefinition strict = DriftAlarms.driftAlarm("churn", new DriftPolicy(0.3, null, null, null),
                Duration.ofMinutes(5));

        // THEN the alarm is DriftedShare{model} >= 0.5 in 1 of 1 hourly periods, missing data not breaching
        assertThat(standard.name()).isEqualTo("modelcycle-drift-churn");
        assertThat(standard.metric()).isEqualTo(new MetricId("modelcycle/drift", "DriftedShare", Map.of("model", "churn")));
        assertThat(standard.statistic()).isEqualTo(Statistic.MAXIMUM);
        assertThat(standard.threshold()).isEqualTo(0.5);
        assertThat(standard.comparison()).isEqualTo(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD);
        assertThat(standard.evaluationPeriods()).isEqualTo(1);
        assertThat(standard.datapointsToAlarm()).isEqualTo(1);
        assertThat(standard.treatMissingData()).isEqualTo(TreatMissingData.NOT_BREACHING);
        assertThat(standard.period()).isEqualTo(Duration.ofHours(1));
        assertThat(strict.threshold()).isEqualTo(0.3);
        assertThat(DriftAlarms.modelOf(standard.name())).contains("churn");
        assertThat(DriftAlarms.modelOf("some-other-alarm")).isEmpty();
    }

    @Test
    void a_drifted_share_of_one_half_fires_the_drift_alarm_and_none_leaves_it_ok() {
        AlarmDefinition alarm = DriftAlarms.driftAlarm("churn", null, DriftAlarms.DEFAULT_PERIOD);

        assertThat(AlarmEvaluator.evaluate(alarm, java.util.Arrays.asList(null, 0.1, 0.5), AlarmState.OK).state())
                .isEqualTo(AlarmState.ALARM);
        assertThat(AlarmEvaluator.evaluate(alarm, java.util.Arrays.asList(0.9, 0.2, 0.49), AlarmState.ALARM).state())
                .isEqualTo(AlarmState.OK);
        assertThat(AlarmEvaluator.evaluate(alarm, java.util.Arrays.asList(null, null, null), null).state())
                .isEqualTo(AlarmState.OK);
    }
}
