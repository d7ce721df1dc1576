/**
 * Capture on one machine. There is no file-specific capture class: the one
 * {@link io.modelcycle.core.capture.BufferedCaptureSink} writes through
 * {@link io.modelcycle.embedded.artifact.FileArtifactStore}, which gives captures the same
 * {@code captures/{model}/yyyy/MM/dd/HH/…jsonl.gz} layout as S3 (as files under the store's root). The tests of this
 * package run the capture contract over that store.
 */
package io.modelcycle.embedded.capture;
