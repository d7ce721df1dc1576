/**
 * The DynamoDB adapter of {@link io.modelcycle.core.registry.RegistryStore}:
 * {@link io.modelcycle.aws.dynamodb.DynamoDbRegistryStore}, one table for models, versions, aliases and audit events.
 */
package io.modelcycle.aws.dynamodb;
