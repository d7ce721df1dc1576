package io.modelcycle.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;

/**
 * Reads API Gateway payload 2.0 event JSON (the files under {@code events/}, or what a local gateway builds)
 * into the Lambda event type, ignoring fields the event class lacks, as the Lambda runtime does.
 */
public final class HttpEvents {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private HttpEvents() {
    }

    public static APIGatewayV2HTTPEvent read(String json) {
        try {
            return MAPPER.readValue(json, APIGatewayV2HTTPEvent.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("not an API Gateway HTTP API (payload 2.0) event", e);
        }
    }
}
