/**
 * The CDK app that deploys ModelCycle to AWS: {@link io.modelcycle.cdk.ModelCycleApp} (the entry point),
 * {@link io.modelcycle.cdk.ModelCycleStack} (every resource), {@link io.modelcycle.cdk.StackConfig} (what a user
 * sets), {@link io.modelcycle.cdk.FunctionSpec} (the one table of Lambda functions and their packages),
 * {@link io.modelcycle.cdk.JavaFunction} (the helper every function goes through),
 * {@link io.modelcycle.cdk.Workflow} (the state machines loaded from {@code statemachines/}),
 * {@link io.modelcycle.cdk.AlarmMapping} (core's alarm definitions as CloudWatch alarms) and
 * {@link io.modelcycle.cdk.WildcardResources} (the only IAM actions allowed a {@code *} resource, with why).
 *
 * <p>Synthesis runs offline with no AWS credentials and no Docker engine: Lambda packages are files built by Maven,
 * and the training image is only fingerprinted at synthesis (CDK builds and pushes it at deploy time).
 */
package io.modelcycle.cdk;
