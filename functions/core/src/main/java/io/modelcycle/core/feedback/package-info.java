/**
 * Ground truth: the labels (or values) people and systems report after a prediction was served, and the
 * model-quality metrics computed from them.
 *
 * <ul>
 *   <li>{@link io.modelcycle.core.feedback.FeedbackStore} validates feedback against the model's task and classes and
 *       stores it as gzip JSON lines under {@code feedback/{model}/yyyy/MM/dd/HH/} through the
 *       {@link io.modelcycle.core.artifact.ArtifactStore};</li>
 *   <li>{@link io.modelcycle.core.feedback.CaptureLog} streams the captured requests of a time window;</li>
 *   <li>{@link io.modelcycle.core.feedback.FeedbackQuality} joins the two by request id and computes accuracy
 *       (classification) or RMSE (regression); {@link io.modelcycle.core.feedback.QualityMetrics} names the metrics
 *       the drift check publishes from it.</li>
 * </ul>
 *
 * <p>Feedback for a request id that was never captured (capture is sampled) is accepted and stored; it is counted
 * as {@code unmatched} when quality is computed, never as an error, because the caller cannot know which requests
 * were sampled.
 */
package io.modelcycle.core.feedback;
