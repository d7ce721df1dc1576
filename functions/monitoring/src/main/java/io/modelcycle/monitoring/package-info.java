/**
 * The monitoring stage: {@link io.modelcycle.monitoring.MonitoringTaskHandler}, the Lambda behind the tasks of the
 * {@code drift-check} workflow. The work is in {@link io.modelcycle.core.lifecycle.MonitoringTasks}.
 */
package io.modelcycle.monitoring;
