package io.modelcycle.core.metrics;

import io.modelcycle.core.ValidationException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Evaluates an {@link AlarmDefinition} the way CloudWatch does, so the local alarm evaluator and AWS agree on when
 * an alarm fires. The rules are those of the CloudWatch User Guide ("How alarm state is evaluated when data is
 * missing" and "Avoiding premature transitions to alarm state"); {@code AlarmEvaluatorTest} checks every row of its
 * example tables.
 *
 * <p>The evaluator reads the last {@link AlarmDefinition#evaluationRange()} whole periods (N + 2) and, with N the
 * evaluation periods and M the datapoints to alarm:
 * <ol>
 *   <li>if at least N periods have a real datapoint, the N most recent real datapoints are evaluated and the
 *       missing-data treatment is not consulted: {@code ALARM} if at least M breach, else {@code OK};</li>
 *   <li>if no period has data: {@code missing} → {@code INSUFFICIENT_DATA}, {@code ignore} → the current state,
 *       {@code breaching} → {@code ALARM}, {@code notBreaching} → {@code OK};</li>
 *   <li>otherwise every real datapoint is evaluated and only the shortfall (N minus the real ones) is filled in:
 *       <ul>
 *         <li>{@code breaching} / {@code notBreaching}: the fills count as breaching / not breaching, and the alarm is
 *             {@code ALARM} if at least M of the N breach, else {@code OK};</li>
 *         <li>{@code missing} / {@code ignore}: the fills are unknown. At least M real breaching datapoints →
 *             {@code ALARM}; else any real non-breaching datapoint → {@code OK}; else (every real datapoint breaches,
 *             but fewer than M) the premature-alarm rule: when the oldest breaching datapoint is at least M periods
 *             old, {@code missing} → {@code ALARM} ({@code ignore} keeps the current state); when it is more recent,
 *             the next period could still be good, so {@code missing} → {@code INSUFFICIENT_DATA} and {@code ignore}
 *             keeps the current state.</li>
 *       </ul>
 *   </li>
 * </ol>
 * Stateless and thread-safe.
 */
public final class AlarmEvaluator {

    private AlarmEvaluator() {
    }

    /**
     * Evaluates the alarm at {@code now}: reads the last {@link AlarmDefinition#evaluationRange()} whole periods
     * (the period containing {@code now} is still filling and is not read, as in CloudWatch) from {@code source}.
     *
     * @param current the alarm's state before this evaluation; null for a new alarm (INSUFFICIENT_DATA)
     */
    public static AlarmEvaluation evaluate(AlarmDefinition alarm, MetricsSource source, Instant now, AlarmState current) {
        MetricQuery query = evaluationQuery(alarm, now);
        return evaluate(alarm, slots(query, source.read(query)), current);
    }

    /** The query an evaluation at {@code now} reads: the evaluation range of whole periods that ends before now. */
    public static MetricQuery evaluationQuery(AlarmDefinition alarm, Instant now) {
        if (now == null) {
            throw new ValidationException("now", "is required");
        }
        Instant end = MetricQuery.floor(now, alarm.period());
        Instant start = end.minus(alarm.period().multipliedBy(alarm.evaluationRange()));
        return new MetricQuery(alarm.metric(), alarm.statistic(), alarm.period(), start, end);
    }

    /**
     * Lays datapoints out on the periods of {@code query}, oldest first: one entry per period, null where the period
     * has no datapoint. Datapoints outside the query's range are ignored.
     */
    public static List<Double> slots(MetricQuery query, List<Datapoint> datapoints) {
        int count = Math.toIntExact(query.periods());
        Double[] slots = new Double[count];
        long start = query.start().getEpochSecond();
        long period = query.period().getSeconds();
        for (Datapoint datapoint : datapoints) {
            long offset = datapoint.timestamp().getEpochSecond() - start;
            if (offset >= 0 && offset / period < count) {
                slots[(int) (offset / period)] = datapoint.value();
            }
        }
        return Arrays.asList(slots);
    }

    /**
     * Evaluates the alarm over the periods of its evaluation range.
     *
     * @param range   one entry per period, oldest first, null where the period has no datapoint; normally
     *                {@link AlarmDefinition#evaluationRange()} entries, at least one
     * @param current the alarm's state before this evaluation; null for a new alarm (INSUFFICIENT_DATA)
     */
    public static AlarmEvaluation evaluate(AlarmDefinition alarm, List<Double> range, AlarmState current) {
        if (range == null || range.isEmpty()) {
            throw new ValidationException("range", "an evaluation needs at least one period");
        }
        AlarmState previous = current == null ? AlarmState.INSUFFICIENT_DATA : current;
        int n = alarm.evaluationPeriods();
        int m = alarm.datapointsToAlarm();
        String comparison = symbol(alarm.comparison()) + " " + alarm.threshold();

        List<Integer> real = new ArrayList<>();
        for (int i = 0; i < range.size(); i++) {
            if (range.get(i) != null) {
                real.add(i);
            }
        }

        if (real.size() >= n) {
            int breaching = 0;
            for (int i = real.size() - n; i < real.size(); i++) {
                if (alarm.breaches(range.get(real.get(i)))) {
                    breaching++;
                }
            }
            AlarmState state = breaching >= m ? AlarmState.ALARM : AlarmState.OK;
            return new AlarmEvaluation(previous, state, breaching + " of the last " + n + " datapoints breached ("
                    + comparison + ")", n, 0, breaching);
        }

        int fills = n - real.size();
        int realBreaching = 0;
        int oldestBreaching = -1;
        for (int index : real) {
            if (alarm.breaches(range.get(index))) {
                realBreaching++;
                if (oldestBreaching < 0) {
                    oldestBreaching = index;
                }
            }
        }
        int realGood = real.size() - realBreaching;

        switch (alarm.treatMissingData()) {
            case BREACHING -> {
                int breaching = realBreaching + fills;
                AlarmState state = breaching >= m ? AlarmState.ALARM : AlarmState.OK;
                return new AlarmEvaluation(previous, state, breaching + " of " + n + " datapoints breached ("
                        + comparison + "), " + fills + " missing treated as breaching", real.size(), fills, breaching);
            }
            case NOT_BREACHING -> {
                AlarmState state = realBreaching >= m ? AlarmState.ALARM : AlarmState.OK;
                return new AlarmEvaluation(previous, state, realBreaching + " of " + n + " datapoints breached ("
                        + comparison + "), " + fills + " missing treated as not breaching", real.size(), fills,
                        realBreaching);
            }
            default -> {
                boolean ignore = alarm.treatMissingData() == TreatMissingData.IGNORE;
                if (real.isEmpty()) {
                    AlarmState state = ignore ? previous : AlarmState.INSUFFICIENT_DATA;
                    return new AlarmEvaluation(previous, state, "no datapoints in the last " + range.size()
                            + " periods" + (ignore ? "; missing data ignored, state kept" : ""), 0, 0, 0);
                }
                if (realBreaching >= m) {
                    return new AlarmEvaluation(previous, AlarmState.ALARM, realBreaching + " of " + real.size()
                            + " datapoints breached (" + comparison + ")", real.size(), 0, realBreaching);
                }
                if (realGood > 0) {
                    return new AlarmEvaluation(previous, AlarmState.OK, realBreaching + " of " + real.size()
                            + " datapoints breached (" + comparison + "), too few to alarm", real.size(), 0,
                            realBreaching);
                }
                int age = range.size() - oldestBreaching;
                if (age >= m) {
                    AlarmState state = ignore ? previous : AlarmState.ALARM;
                    return new AlarmEvaluation(previous, state, "every datapoint breached (" + comparison
                            + ") and the oldest is " + age + " periods old, the rest missing"
                            + (ignore ? "; missing data ignored, state kept" : ""), real.size(), 0, realBreaching);
                }
                AlarmState state = ignore ? previous : AlarmState.INSUFFICIENT_DATA;
                return new AlarmEvaluation(previous, state, realBreaching + " recent breaching datapoint(s) ("
                        + comparison + "), too recent to alarm on while the rest is missing"
                        + (ignore ? "; missing data ignored, state kept" : ""), real.size(), 0, realBreaching);
            }
        }
    }

    private static String symbol(ComparisonOperator operator) {
        return switch (operator) {
            case GREATER_THAN_OR_EQUAL_TO_THRESHOLD -> ">=";
            case GREATER_THAN_THRESHOLD -> ">";
            case LESS_THAN_THRESHOLD -> "<";
            case LESS_THAN_OR_EQUAL_TO_THRESHOLD -> "<=";
        };
    }
}
