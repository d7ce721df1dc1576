/**
 * Step Functions task plumbing without Lambda types: a {@link io.modelcycle.core.task.TaskRouter} reads the JSON
 * payload a state machine sends ({@code {"action": "...", ...}}), calls the named task and writes its result.
 * Stage handlers wrap it in a {@code RequestStreamHandler}; the local runtime calls it directly.
 */
package io.modelcycle.core.task;
