/**
 * Starting workflows and answering their task tokens: the {@link io.modelcycle.core.workflow.WorkflowLauncher}
 * port, with a Step Functions adapter on AWS and the local ASL executor on one machine.
 */
package io.modelcycle.core.workflow;
