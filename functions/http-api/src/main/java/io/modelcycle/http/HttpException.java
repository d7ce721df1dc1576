package io.modelcycle.http;

import java.util.Map;

/**
 * A request the HTTP layer refuses before any service sees it: no such route, a method the route does not take,
 * a body that is too large or not JSON. Domain errors are not HttpExceptions; {@link ErrorMapper} maps those.
 */
public final class HttpException extends RuntimeException {

    private final int status;
    private final String code;
    private final Map<String, String> headers;

    public HttpException(int status, String code, String message, Map<String, String> headers) {
        super(message);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an HttpException is an error status, got " + status);
        }
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    public static HttpException routeNotFound(String method, String path) {
        return new HttpException(404, "ROUTE_NOT_FOUND", "no route matches " + method + " " + path, Map.of());
    }

    public static HttpException methodNotAllowed(String method, String path, java.util.Collection<String> allowed) {
        String allow = String.join(", ", allowed);
        return new HttpException(405, "METHOD_NOT_ALLOWED", method + " is not allowed on " + path + "; allowed: " + allow,
                Map.of("allow", allow));
    }

    public static HttpException payloadTooLarge(long size, long limit) {
        return new HttpException(413, "PAYLOAD_TOO_LARGE",
                "the request body is " + size + " bytes; at most " + limit + " bytes are accepted", Map.of());
    }

    public static HttpException unsupportedMediaType(String contentType) {
        return new HttpException(415, "UNSUPPORTED_MEDIA_TYPE", "the request body must be application/json (UTF-8), but "
                + (contentType == null ? "no content-type header was sent" : "content-type is '" + contentType + "'"),
                Map.of());
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Extra response headers, e.g. {@code allow} on a 405. */
    public Map<String, String> headers() {
        return headers;
    }
}
