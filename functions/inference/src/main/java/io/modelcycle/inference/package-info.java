/**
 * The inference stage: {@link io.modelcycle.inference.InferenceHandler}, a SnapStart Lambda behind API Gateway (HTTP API,
 * payload 2.0) that resolves an alias (with the canary's traffic weight) through the registry, loads the version's DJL
 * model after checking its SHA-256, validates each request against the model's schema, predicts, and samples requests
 * into the capture sink.
 */
package io.modelcycle.inference;
