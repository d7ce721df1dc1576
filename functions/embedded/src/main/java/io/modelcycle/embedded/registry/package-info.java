/**
 * The embedded registry store: models, versions, aliases and the hash-chained audit log in one SQLite file
 * ({@link io.modelcycle.embedded.registry.SqliteRegistryStore}), for the one-machine runtime and for tests that
 * need a real, durable registry without AWS.
 */
package io.modelcycle.embedded.registry;
