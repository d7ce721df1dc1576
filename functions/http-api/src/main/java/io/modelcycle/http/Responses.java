package io.modelcycle.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.modelcycle.core.Json;
import java.util.HashMap;
import java.util.Map;

/** Builds API Gateway responses with JSON bodies written by the one {@link Json} configuration. */
public final class Responses {

    public static final String JSON = "application/json";

    private Responses() {
    }

    public static APIGatewayV2HTTPResponse json(int status, Object body) {
        return json(status, body, Map.of());
    }

    public static APIGatewayV2HTTPResponse json(int status, Object body, Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("content-type", JSON);
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(all).withBody(Json.write(body))
                .withIsBase64Encoded(false).build();
    }

    public static APIGatewayV2HTTPResponse ok(Object body) {
        return json(200, body);
    }

    /** 201 with a {@code location} header naming the new resource. */
    public static APIGatewayV2HTTPResponse created(String location, Object body) {
        return json(201, body, Map.of("location", location));
    }

    public static APIGatewayV2HTTPResponse noContent() {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(204).withHeaders(Map.of()).withIsBase64Encoded(false).build();
    }
}
