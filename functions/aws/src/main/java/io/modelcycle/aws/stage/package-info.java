/**
 * What every stage Lambda needs, wired once from its environment: {@link io.modelcycle.aws.stage.AwsStage}
 * builds the registry, artifact store and workflow launcher on the AWS adapters in the INIT phase.
 */
package io.modelcycle.aws.stage;
