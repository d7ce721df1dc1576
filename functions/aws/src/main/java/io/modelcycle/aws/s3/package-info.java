/**
 * The S3 adapter of {@link io.modelcycle.core.artifact.ArtifactStore}: {@link io.modelcycle.aws.s3.S3ArtifactStore}.
 */
package io.modelcycle.aws.s3;
