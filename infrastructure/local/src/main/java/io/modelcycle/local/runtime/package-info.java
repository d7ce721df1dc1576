/**
 * The local runtime: {@link io.modelcycle.local.runtime.LocalRuntime} wires the embedded stores under a home
 * directory, the stage handlers and the embedded training backend into the ASL executor that runs the workflows of
 * {@code statemachines/}, and mirrors AWS's triggers (S3 notifications, CloudWatch drift alarms, schedules) on the
 * local event bus. The CLI and the HTTP gateway build on it.
 */
package io.modelcycle.local.runtime;
