/**
 * CloudWatch adapter of the metrics ports: {@link io.modelcycle.aws.cloudwatch.CloudWatchMetricsStore} publishes with
 * {@code PutMetricData}, split by {@link io.modelcycle.aws.cloudwatch.PutMetricDataBatches} within the API's limits,
 * and reads with {@code GetMetricData}.
 */
package io.modelcycle.aws.cloudwatch;
