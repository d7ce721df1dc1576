/**
 * The registry HTTP API: one Lambda handler, {@link io.modelcycle.registryapi.RegistryApiHandler}, behind the API
 * Gateway HTTP API (payload 2.0), serving models, versions, status decisions, aliases and the audit log over the
 * core {@link io.modelcycle.core.registry.Registry}. Routes live in
 * {@link io.modelcycle.registryapi.RegistryEndpoints}; request bodies are the records in
 * {@link io.modelcycle.registryapi.RegistryRequests}; the contract is {@code openapi.yaml} next to the classes, and
 * sample events for every route are under {@code events/registry-api/}.
 */
package io.modelcycle.registryapi;
