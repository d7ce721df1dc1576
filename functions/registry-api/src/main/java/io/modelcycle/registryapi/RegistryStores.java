package io.modelcycle.registryapi;

import io.modelcycle.aws.AwsClients;
import io.modelcycle.aws.dynamodb.DynamoDbRegistryStore;
import io.modelcycle.aws.s3.S3ArtifactStore;
import io.modelcycle.aws.stepfunctions.StepFunctionsWorkflowLauncher;
import io.modelcycle.core.artifact.ArtifactStore;
import io.modelcycle.core.registry.RegistryStore;
import io.modelcycle.core.workflow.WorkflowLauncher;
import io.modelcycle.embedded.artifact.FileArtifactStore;
import io.modelcycle.embedded.registry.SqliteRegistryStore;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Opens the stores the configuration names. Runs once per Lambda instance, in the INIT phase.
 *
 * @param registry  the registry store
 * @param artifacts the artifact store (feedback, approval task tokens)
 * @param workflows the workflow engine whose paused executions approvals answer; null when none is configured
 */
record RegistryStores(RegistryStore registry, ArtifactStore artifacts, WorkflowLauncher workflows) {

    static RegistryStores open(Config config) {
        return switch (config.store()) {
            case SQLITE -> new RegistryStores(new SqliteRegistryStore(config.sqlitePath()),
                    new FileArtifactStore(config.artifactsRoot()), null);
            case DYNAMODB -> {
                // The clients live as long as the Lambda instance; there is no shutdown hook to close them in.
                AwsClients clients = new AwsClients(config.aws());
                WorkflowLauncher workflows = config.stateMachineArns().isEmpty() ? null
                        : new StepFunctionsWorkflowLauncher(clients.configure(SfnClient.builder()).build(),
                                config.stateMachineArns());
                yield new RegistryStores(new DynamoDbRegistryStore(clients.dynamoDb(), config.table()),
                        new S3ArtifactStore(clients.s3(), config.artifactBucket()), workflows);
            }
        };
    }
}
