package io.modelcycle.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.HashMap;
import java.util.Map;

/** Builds payload 2.0 events the way API Gateway sends them, for tests that do not read a file under events/. */
final class TestEvents {

    private TestEvents() {
    }

    static APIGatewayV2HTTPEvent event(String method, String rawPath, String contentType, String body) {
        Map<String, String> headers = new HashMap<>();
        if (contentType != null) {
            headers.put("content-type", contentType);
        }
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(rawPath)
                .withHeaders(headers)
                .withBody(body)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId("apigw-req-1")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(rawPath).build())
                        .build())
                .build();
    }

    static ApiRequest request(String contentType, String body) {
        Map<String, String> headers = contentType == null ? Map.of() : Map.of("Content-Type", contentType);
        return new ApiRequest(new Route("POST", "/things"), "/things", Map.of(), Map.of(), headers,
                body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8), "anonymous", "req-1");
    }
}
