package io.modelcycle.core.feedback;

/**
 * What {@link FeedbackStore#submit} stored.
 *
 * @param model    the model
 * @param accepted feedback items stored
 * @param key      the artifact key of the object that holds them
 */
public record FeedbackReceipt(String model, int accepted, String key) {
}
