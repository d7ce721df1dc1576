/**
 * Capture on AWS. There is no S3-specific capture class: the one {@link io.modelcycle.core.capture.BufferedCaptureSink}
 * writes through {@link io.modelcycle.aws.s3.S3ArtifactStore} (one {@code PutObject} per gzip JSON-lines object, with
 * the store's SHA-256 metadata, so the drift check reads captures back verified like any artifact). The tests of this
 * package run the capture contract over S3 on the AWS emulator. Firehose was not used: it would add a delivery stream
 * per environment and its own buffering (and its own file naming) for what a sampled, bounded buffer already does.
 */
package io.modelcycle.aws.capture;
