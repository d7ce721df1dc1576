/**
 * Captured inference traffic: the {@link io.modelcycle.core.capture.CaptureRecord} every capture sink writes as one
 * gzip JSON line under {@code captures/{model}/yyyy/MM/dd/HH/}, and the
 * {@link io.modelcycle.core.capture.CaptureWindowReader} that streams a time window of those files into a
 * {@link io.modelcycle.core.profile.ProfileBuilder} for drift checks.
 */
package io.modelcycle.core.capture;
