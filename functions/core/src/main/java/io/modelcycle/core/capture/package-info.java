/**
 * Captured inference traffic: the {@link io.modelcycle.core.capture.CaptureRecord} every capture sink writes as one
 * gzip JSON line under {@code captures/{model}/yyyy/MM/dd/HH/}, and the
 * {@link io.modelcycle.core.capture.CaptureWindowReader} that streams a time window of those files into a
 * {@link io.modelcycle.core.profile.ProfileBuilder} for drift checks.
 *
 * <p>Writing: the {@link io.modelcycle.core.capture.CaptureSink} port and its one implementation,
 * {@link io.modelcycle.core.capture.BufferedCaptureSink}, a bounded buffer flushed by size and time by a background
 * thread into any {@link io.modelcycle.core.artifact.ArtifactStore} (S3 on AWS, files on one machine); it never
 * throws to the request path and counts what it drops ({@link io.modelcycle.core.capture.CaptureStats}).
 */
package io.modelcycle.core.capture;
