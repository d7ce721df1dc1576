package io.modelcycle.registryapi;

import io.modelcycle.aws.AwsClients;
import io.modelcycle.aws.dynamodb.DynamoDbRegistryStore;
import io.modelcycle.core.registry.RegistryStore;
import io.modelcycle.embedded.registry.SqliteRegistryStore;

/** Opens the registry store the configuration names. Runs once per Lambda instance, in the INIT phase. */
final class RegistryStores {

    private RegistryStores() {
    }

    static RegistryStore open(Config config) {
        return switch (config.store()) {
            case SQLITE -> new SqliteRegistryStore(config.sqlitePath());
            // The clients live as long as the Lambda instance; there is no shutdown hook to close them in.
            case DYNAMODB -> new DynamoDbRegistryStore(new AwsClients(config.aws()).dynamoDb(), config.table());
        };
    }
}
