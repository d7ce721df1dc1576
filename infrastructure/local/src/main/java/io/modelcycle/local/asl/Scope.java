package io.modelcycle.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.random.RandomGenerator;

/**
 * What a path, a payload template or an intrinsic function is evaluated against: the effective input ({@code $}),
 * the context object ({@code $$}) and the random source {@code States.UUID} and {@code States.MathRandom} draw from.
 */
record Scope(JsonNode input, JsonNode context, RandomGenerator random) {
}
