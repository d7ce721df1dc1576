/** The Step Functions adapter of {@link io.modelcycle.core.workflow.WorkflowLauncher}. */
package io.modelcycle.aws.stepfunctions;
