package io.modelcycle.local.gateway;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.modelcycle.http.Route;
import java.util.List;
import java.util.Objects;

/**
 * One Lambda behind the gateway: its function name (what the Lambda context carries), the handler, and the routes it
 * owns, as its {@code routes()} method lists them.
 *
 * @param function the function name, e.g. {@code registry-api}
 * @param handler  the handler, called in-process
 * @param routes   the routes it serves; two targets may not claim the same method and template
 */
public record GatewayTarget(String function, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler,
                            List<Route> routes) {

    public GatewayTarget {
        if (function == null || function.isBlank()) {
            throw new IllegalArgumentException("function name is required");
        }
        Objects.requireNonNull(handler, "handler");
        routes = List.copyOf(Objects.requireNonNull(routes, "routes"));
        if (routes.isEmpty()) {
            throw new IllegalArgumentException("target '" + function + "' serves no routes");
        }
    }
}
