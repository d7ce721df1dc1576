/**
 * Artifact storage: the {@link io.modelcycle.core.artifact.ArtifactStore} port (S3 and filesystem adapters),
 * the key layout every stage shares, and the verifying stream that checks SHA-256 and length on every read.
 */
package io.modelcycle.core.artifact;
