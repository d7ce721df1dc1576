/**
 * Metrics: the {@link io.modelcycle.core.metrics.MetricsSink} and {@link io.modelcycle.core.metrics.MetricsSource}
 * ports (CloudWatch and SQLite adapters), the records they exchange, and alarms.
 *
 * <p>An {@link io.modelcycle.core.metrics.AlarmDefinition} is the one description of an alarm: the CDK app turns it
 * into a CloudWatch alarm, and the local alarm evaluator feeds it with datapoints from the embedded store through
 * {@link io.modelcycle.core.metrics.AlarmEvaluator}, which applies CloudWatch's documented rules (evaluation range,
 * M out of N, missing-data treatment, premature-alarm avoidance), so an alarm fires locally when and only when it
 * would fire on AWS. {@link io.modelcycle.core.metrics.DriftAlarms} names the drift metrics and the alarms
 * ModelCycle ships.
 */
package io.modelcycle.core.metrics;
