package io.modelcycle.http;

import io.modelcycle.core.ValidationException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as a handler sees it after routing: decoded path parameters, query parameters, headers with
 * lower-case names, the raw body bytes, the caller and the request id that error responses quote.
 *
 * @param route           the matched route
 * @param rawPath         the path as received
 * @param pathParameters  decoded path parameters by template name
 * @param queryParameters query parameters (API Gateway joins repeated ones with commas)
 * @param headers         headers, names lower-cased
 * @param body            the body bytes (base64 already decoded), empty when there is none
 * @param actor           who is calling, see {@link Actors}
 * @param requestId       the id quoted in error responses and logged with every line
 */
public record ApiRequest(Route route, String rawPath, Map<String, String> pathParameters,
                         Map<String, String> queryParameters, Map<String, String> headers, byte[] body, String actor,
                         String requestId) {

    public ApiRequest {
        pathParameters = Map.copyOf(pathParameters);
        queryParameters = queryParameters == null ? Map.of() : Map.copyOf(queryParameters);
        headers = lowerCase(headers);
        body = body == null ? new byte[0] : body;
    }

    private static Map<String, String> lowerCase(Map<String, String> headers) {
        if (headers == null) {
            return Map.of();
        }
        java.util.Map<String, String> out = new java.util.HashMap<>();
        headers.forEach((k, v) -> {
            if (k != null && v != null) {
                out.put(k.toLowerCase(Locale.ROOT), v);
            }
        });
        return Map.copyOf(out);
    }

    /** A path parameter the route declares; asking for one it does not declare is a programming error. */
    public String path(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw new IllegalArgumentException(route + " has no path parameter '" + name + "'");
        }
        return value;
    }

    /** A path parameter that must be a positive integer, such as a version number. */
    public int pathInt(String name) {
        return parsePositive(name, path(name));
    }

    public Optional<String> query(String name) {
        return Optional.ofNullable(queryParameters.get(name));
    }

    /** An optional positive-integer query parameter. */
    public Optional<Integer> queryInt(String name) {
        return query(name).map(value -> parsePositive(name, value));
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    private static int parsePositive(String name, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the value that was sent
        }
        throw new ValidationException(name, "must be a positive integer, got '" + abbreviate(value) + "'");
    }

    static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 80) + "…";
    }
}
