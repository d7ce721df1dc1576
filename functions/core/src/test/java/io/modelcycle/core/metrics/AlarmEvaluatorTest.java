package io.modelcycle.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcycle.core.ValidationException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The example tables of the CloudWatch User Guide, "How alarm state is evaluated when data is missing" (evaluation
 * range 5, N = 3; first table M = 3, second M = 2; 0 = not breaching, X = breaching, - = missing, most recent on the
 * right), plus the premature-alarm examples of "Avoiding premature transitions to alarm state" and the rows of the
 * guide's earlier edition that the current one dropped.
 */
class AlarmEvaluatorTest {

    private static final MetricId METRIC = new MetricId("modelcycle/test", "Errors", Map.of("model", "churn"));

    private static AlarmDefinition alarm(int m, int n, TreatMissingData treatment) {
        return new AlarmDefinition("test-alarm", METRIC, Statistic.MAXIMUM, Duration.ofMinutes(5), 1.0,
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, n, m, treatment);
    }

    /** "0 - X - X" → [0.0, null, 5.0, null, 5.0]: X breaches the threshold 1.0, 0 does not. */
    private static List<Double> range(String pattern) {
        List<Double> range = new ArrayList<>();
        for (String cell : pattern.trim().split("\\s+")) {
            range.add(switch (cell) {
                case "0" -> 0.0;
                case "X" -> 5.0;
                case "-" -> null;
                default -> throw new IllegalArgumentException(cell);
            });
        }
        return range;
    }

    @ParameterizedTest(name = "M={1} of N=3, {0}: missing {2}, ignore {3}, breaching {4}, notBreaching {5}")
    @CsvSource(delimiter = '|', textBlock = """
            # first table: Datapoints to Alarm 3, Evaluation Periods 3
            0 - X - X | 3 | OK                | OK     | OK    | OK
            0 - - - - | 3 | OK                | OK     | OK    | OK
            - - - - - | 3 | INSUFFICIENT_DATA | RETAIN | ALARM | OK
            0 X X - X | 3 | ALARM             | ALARM  | ALARM | ALARM
            - - X - - | 3 | ALARM             | RETAIN | ALARM | OK
            # second table: 2 out of 3
            0 - X - X | 2 | ALARM             | ALARM  | ALARM | ALARM
            0 0 X 0 X | 2 | ALARM             | ALARM  | ALARM | ALARM
            0 - X - - | 2 | OK                | OK     | ALARM | OK
            - - - - 0 | 2 | OK                | OK     | ALARM | OK
            - - - X - | 2 | ALARM             | RETAIN | ALARM | OK
            # the earlier edition's rows that the current one no longer shows
            - - - - X | 3 | INSUFFICIENT_DATA | RETAIN | ALARM | OK
            X - - - - | 3 | ALARM             | RETAIN | ALARM | OK
            - - - - X | 2 | INSUFFICIENT_DATA | RETAIN | ALARM | OK
            """)
    void matches_the_cloudwatch_documentation(String datapoints, int m, String missing, String ignore,
                                              String breaching, String notBreaching) {
        // GIVEN one alarm per missing-data treatment, and for "ignore" two different current states
        List<Double> range = range(datapoints);

        // WHEN each is evaluated over the same five periods
        // THEN each lands in the state the CloudWatch User Guide gives
        assertThat(AlarmEvaluator.evaluate(alarm(m, 3, TreatMissingData.MISSING), range, AlarmState.OK).state())
                .as("missing").isEqualTo(AlarmState.valueOf(missing));
        assertThat(AlarmEvaluator.evaluate(alarm(m, 3, TreatMissingData.BREACHING), range, AlarmState.OK).state())
                .as("breaching").isEqualTo(AlarmState.valueOf(breaching));
        assertThat(AlarmEvaluator.evaluate(alarm(m, 3, TreatMissingData.NOT_BREACHING), range, AlarmState.ALARM).state())
                .as("notBreaching").isEqualTo(AlarmState.valueOf(notBreaching));
        for (AlarmState current : AlarmState.values()) {
            AlarmState expected = ignore.equals("RETAIN") ? current : AlarmState.valueOf(ignore);
            assertThat(AlarmEvaluator.evaluate(alarm(m, 3, TreatMissingData.IGNORE), range, current).state())
                    .as("ignore, from %s", current).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0} does not alarm yet")
    @CsvSource({"- - - - X", "- - - X -"})
    void a_lone_recent_breach_is_not_a_premature_alarm(String datapoints) {
        // GIVEN a 3 of 3 alarm whose only datapoint is a recent breach ("Avoiding premature transitions")
        AlarmEvaluation evaluation = AlarmEvaluator.evaluate(alarm(3, 3, TreatMissingData.MISSING), range(datapoints),
                AlarmState.OK);

        // THEN it does not go to ALARM: the next period may well be good
        assertThat(evaluation.state()).isNotEqualTo(AlarmState.ALARM);
    }

    @Test
    void only_the_most_recent_real_datapoints_count_when_there_are_enough() {
        // GIVEN 3 of 3, with an old breach and three recent good datapoints around a gap
        AlarmEvaluation evaluation = AlarmEvaluator.evaluate(alarm(3, 3, TreatMissingData.BREACHING),
                range("X 0 - 0 0"), AlarmState.ALARM);

        // THEN the treatment of missing data is not consulted and the alarm recovers
        assertThat(evaluation.state()).isEqualTo(AlarmState.OK);
        assertThat(evaluation.filledDatapoints()).isZero();
        assertThat(evaluation.realDatapoints()).isEqualTo(3);
        assertThat(evaluation.changed()).isTrue();
    }

    @Test
    void missing_data_fills_only_the_shortfall() {
        // GIVEN 3 of 3 treating missing data as breaching, with two real datapoints of which one breaches
        AlarmEvaluation evaluation = AlarmEvaluator.evaluate(alarm(3, 3, TreatMissingData.BREACHING),
                range("0 - X - -"), AlarmState.OK);

        // THEN exactly one missing period is filled in, two breach, and that is not enough
        assertThat(evaluation.filledDatapoints()).isEqualTo(1);
        assertThat(evaluation.breachingDatapoints()).isEqualTo(2);
        assertThat(evaluation.state()).isEqualTo(AlarmState.OK);
        assertThat(evaluation.changed()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(ComparisonOperator.class)
    void each_operator_decides_at_the_threshold_as_its_name_says(ComparisonOperator operator) {
        // GIVEN a 1 of 1 alarm at threshold 1.0 and a datapoint exactly at the threshold
        AlarmDefinition alarm = new AlarmDefinition("edge", METRIC, Statistic.AVERAGE, Duration.ofMinutes(1), 1.0,
                operator, 1, 1, TreatMissingData.MISSING);

        AlarmState state = AlarmEvaluator.evaluate(alarm, java.util.Arrays.asList(null, null, 1.0), null).state();

        // THEN only the "or equal" operators alarm
        boolean inclusive = operator.cloudWatchName().contains("OrEqual");
        assertThat(state).isEqualTo(inclusive ? AlarmState.ALARM : AlarmState.OK);
    }

    @Test
    void evaluates_whole_periods_read_from_a_metrics_source() {
        // GIVEN datapoints at 10:00, 10:05 and 10:10 (period 5 min) in a source, and a 2 of 3 alarm
        AlarmDefinition alarm = alarm(2, 3, TreatMissingData.MISSING);
        Instant t = Instant.parse("2026-11-29T10:00:00Z");
        List<MetricQuery> asked = new ArrayList<>();
        MetricsSource source = query -> {
            asked.add(query);
            return List.of(new Datapoint(t, 0.0), new Datapoint(t.plusSeconds(300), 5.0),
                    new Datapoint(t.plusSeconds(600), 5.0));
        };

        // WHEN it is evaluated at 10:17:30, while the 10:15 period is still filling
        AlarmEvaluation evaluation = AlarmEvaluator.evaluate(alarm, source, t.plusSeconds(1050), AlarmState.OK);

        // THEN it read the five whole periods 09:50 to 10:15 of the alarm's metric and statistic, and alarmed
        assertThat(asked).containsExactly(new MetricQuery(METRIC, Statistic.MAXIMUM, Duration.ofMinutes(5),
                Instant.parse("2026-11-29T09:50:00Z"), Instant.parse("2026-11-29T10:15:00Z")));
        assertThat(evaluation.state()).isEqualTo(AlarmState.ALARM);
        assertThat(evaluation.reason()).contains("2 of the last 3");
    }

    @Test
    void slots_lay_datapoints_on_their_periods_and_leave_gaps_empty() {
        MetricQuery query = new MetricQuery(METRIC, Statistic.SUM, Duration.ofMinutes(1),
                Instant.parse("2026-11-29T10:00:00Z"), Instant.parse("2026-11-29T10:04:00Z"));

        List<Double> slots = AlarmEvaluator.slots(query, List.of(
                new Datapoint(Instant.parse("2026-11-29T10:01:00Z"), 7.0),
                new Datapoint(Instant.parse("2026-11-29T10:03:00Z"), 9.0),
                new Datapoint(Instant.parse("2026-11-29T10:04:00Z"), 1.0)));

        assertThat(slots).containsExactly(null, 7.0, null, 9.0);
    }

    @Test
    void refuses_an_empty_range() {
        assertThatThrownBy(() -> AlarmEvaluator.evaluate(alarm(1, 1, null), List.of(), null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("range");
    }
}
