package io.modelcycle.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

/** What a route leads to: reads the request, calls one service method, returns the response. May throw domain exceptions. */
@FunctionalInterface
public interface Endpoint {
    APIGatewayV2HTTPResponse handle(ApiRequest request);
}
