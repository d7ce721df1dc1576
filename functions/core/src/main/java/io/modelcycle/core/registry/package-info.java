/**
 * The model registry: versions and their status machine, aliases with compare-and-set, lineage, metrics and
 * the hash-chained audit log. {@link io.modelcycle.core.registry.Registry} is the service every caller uses;
 * {@link io.modelcycle.core.registry.RegistryStore} is the port its adapters (SQLite, DynamoDB) implement.
 */
package io.modelcycle.core.registry;
