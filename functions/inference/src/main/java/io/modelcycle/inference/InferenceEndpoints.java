package io.modelcycle.inference;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.registry.Alias;
import io.modelcycle.http.ApiRequest;
import io.modelcycle.http.Endpoint;
import io.modelcycle.http.JsonBodies;
import io.modelcycle.http.Responses;
import io.modelcycle.http.Route;
import io.modelcycle.http.Router;

/**
 * The two prediction routes. The order of checks is what a caller would expect: the model, alias or version must
 * exist (404) before the body is read (413, 415, 400 for JSON), and the version's model must be loadable (503) before
 * the rows are checked against its schema (400).
 */
final class InferenceEndpoints {

    static final String PREDICT = "/models/{name}/predict";
    static final String PREDICT_VERSION = "/models/{name}/versions/{version}/predict";
    static final Route PREDICT_VERSION_ROUTE = new Route("POST", PREDICT_VERSION);

    private final InferenceService service;
    private final JsonBodies bodies;

    InferenceEndpoints(InferenceService service, JsonBodies bodies) {
        this.service = service;
        this.bodies = bodies;
    }

    Router<Endpoint> router() {
        return new Router<Endpoint>()
                .add("POST", PREDICT, request -> predict(request, true))
                .add("POST", PREDICT_VERSION, request -> predict(request, true));
    }

    /** @param observe false when priming: nothing is counted or captured */
    APIGatewayV2HTTPResponse predict(ApiRequest request, boolean observe) {
        String model = Model.requireName(request.path("name"));
        InferenceService.Target target;
        if (request.pathParameters().containsKey("version")) {
            target = service.pinned(model, request.pathInt("version"));
        } else {
            String alias = request.query("alias").orElse(Alias.PRODUCTION);
            if (!Alias.NAME.matcher(alias).matches()) {
                throw new ValidationException("alias", "alias name '" + abbreviate(alias) + "' must match "
                        + Alias.NAME.pattern());
            }
            target = service.resolve(model, alias);
        }
        PredictRequest body = bodies.read(request, PredictRequest.class);
        return Responses.ok(service.predict(target, body.instances(), request.requestId(), observe));
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
