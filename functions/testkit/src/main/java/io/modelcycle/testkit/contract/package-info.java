/**
 * Abstract contract tests, one per core port. Every adapter of a port extends its contract once in its own
 * module's tests and supplies a fresh, empty store; the contract then proves that the adapter behaves exactly as
 * the port's Javadoc promises, so the AWS and the embedded adapters are interchangeable.
 *
 * <p>{@link io.modelcycle.testkit.contract.RegistryStoreContract} covers
 * {@link io.modelcycle.core.registry.RegistryStore} through {@link io.modelcycle.core.registry.Registry};
 * {@link io.modelcycle.testkit.contract.ArtifactStoreContract} and
 * {@link io.modelcycle.testkit.contract.LargeArtifactContract} cover {@link io.modelcycle.core.artifact.ArtifactStore}.
 */
package io.modelcycle.testkit.contract;
