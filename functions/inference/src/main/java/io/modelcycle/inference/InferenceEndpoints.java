package io.modelcycle.inference;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.modelcycle.core.Json;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.registry.Alias;
import io.modelcycle.http.ApiRequest;
import io.modelcycle.http.Endpoint;
import io.modelcycle.http.JsonBodies;
import io.modelcycle.http.Responses;
import io.modelcycle.http.Route;
import io.modelcycle.http.Router;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two prediction routes. The order of checks is what a caller would expect: the model, alias or version must
 * exist (404) before the body is read (413, 415, 400 for JSON), and the version's model must be loadable (503) before
 * the rows are checked against its schema (400).
 */
final class InferenceEndpoints {

    static final String PREDICT = "/models/{name}/predict";
    static final String PREDICT_VERSION = "/models/{name}/versions/{version}/predict";
    static final Route PREDICT_VERSION_ROUTE = new Route("POST", PREDICT_VERSION);

    private static final com.fasterxml.jackson.databind.ObjectWriter WRITER = Json.mapper().writer()
            .without(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final Map<String, String> JSON_HEADERS = Map.of("content-type", Responses.JSON);

    private final InferenceService service;
    private final JsonBodies bodies;

    InferenceEndpoints(InferenceService service, JsonBodies bodies) {
        this.service = service;
        this.bodies = bodies;
    }

    Router<Endpoint> router() {
        return new Router<Endpoint>()
                .add("POST", PREDICT, this::predict)
                .add("POST", PREDICT_VERSION, this::predict);
    }

    APIGatewayV2HTTPResponse predict(ApiRequest request) {
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
        return ok(service.predict(target, body.instances(), request.requestId()));
    }

    /**
     * 200 with the response as JSON. Written without the shared mapper's key sorting: the probabilities are already in
     * the model's class order, and sorting a map per row is the largest cost of writing a 100-row response.
     */
    private static APIGatewayV2HTTPResponse ok(PredictResponse response) {
        try {
            return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withHeaders(new java.util.HashMap<>(JSON_HEADERS))
                    .withBody(WRITER.writeValueAsString(response)).withIsBase64Encoded(false).build();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a prediction response", e);
        }
    }

    /**
     * A request for priming: one row built from the schema of {@code model} (numbers 0, each categorical feature's
     * first value) for its {@code production} alias, as an API Gateway event in JSON.
     */
    String primingEvent(String model) {
        InferenceService.Target target = service.resolveExact(model, Alias.PRODUCTION);
        Map<String, Object> row = new LinkedHashMap<>();
        for (Feature f : target.model().schema().features()) {
            row.put(f.name(), f.isNumeric() ? (Object) 0.0 : f.allowedValues().get(0));
        }
        String path = "/models/" + model + "/predict";
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", path);
        event.put("headers", Map.of("content-type", "application/json"));
        event.put("requestContext", Map.of("requestId", "snapstart-priming", "stage", "$default",
                "http", Map.of("method", "POST", "path", path)));
        event.put("body", Json.write(new PredictRequest(List.of(row))));
        event.put("isBase64Encoded", false);
        return Json.write(event);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
