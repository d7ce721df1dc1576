/**
 * The embedded artifact store: objects as plain files under a root folder, each with a sidecar recording its
 * SHA-256 and size, written by atomic rename ({@link io.modelcycle.embedded.artifact.FileArtifactStore}).
 */
package io.modelcycle.embedded.artifact;
