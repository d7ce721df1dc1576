/**
 * A standalone Amazon States Language executor (JSONPath query language): {@link io.modelcycle.local.asl.StateMachine}
 * parses and validates definitions, {@link io.modelcycle.local.asl.AslExecutor} runs them continuation-style on a
 * {@link io.modelcycle.local.asl.Scheduler}, binds Task states to in-process
 * {@link io.modelcycle.local.asl.TaskHandler}s through {@link io.modelcycle.local.asl.TaskBindings}, and records
 * executions and their Step-Functions-shaped histories in SQLite ({@link io.modelcycle.local.asl.ExecutionStore}).
 * It depends on nothing of ModelCycle, so it can be used on its own.
 */
package io.modelcycle.local.asl;
