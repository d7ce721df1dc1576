package io.modelcycle.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.modelcycle.core.ConflictException;
import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.ValidationException;
import java.util.List;
import java.util.Map;

/**
 * The one mapping from exceptions to HTTP responses (STYLE.md §8). Every error body has the shape
 * {@code {"error":{"code","message","details","requestId"}}}:
 * <ul>
 *   <li>{@link ValidationException} → 400, {@code details} lists each field and what is wrong with it;</li>
 *   <li>{@link NotFoundException} → 404;</li>
 *   <li>{@link ConflictException} and its subclasses (already exists, concurrent update, illegal transition) → 409,
 *       with the subclass's code;</li>
 *   <li>{@link HttpException} → its own status (404 unknown route, 405, 413, 415);</li>
 *   <li>anything else → 500 with a generic message and the request id. The exception's own message may name
 *       tables, files or hosts, so it goes to the log only ({@link #isFault}).</li>
 * </ul>
 */
public final class ErrorMapper {

    /** The error body; {@code details} is empty except for validation errors. */
    public record ErrorBody(Error error) {
    }

    /** The inside of an error body. */
    public record Error(String code, String message, List<ValidationException.FieldError> details, String requestId) {
        public Error {
            details = details == null ? List.of() : List.copyOf(details);
        }
    }

    private ErrorMapper() {
    }

    public static APIGatewayV2HTTPResponse toResponse(Throwable error, String requestId) {
        if (error instanceof HttpException h) {
            return body(h.status(), h.code(), h.getMessage(), List.of(), requestId, h.headers());
        }
        if (error instanceof ValidationException v) {
            return body(400, v.code(), "the request is invalid: " + v.getMessage(), v.errors(), requestId, Map.of());
        }
        if (error instanceof NotFoundException n) {
            return body(404, n.code(), n.getMessage(), List.of(), requestId, Map.of());
        }
        if (error instanceof ConflictException c) {
            return body(409, c.code(), c.getMessage(), List.of(), requestId, Map.of());
        }
        return body(500, "INTERNAL_ERROR", "the request failed on our side; quote request id " + requestId
                + " when reporting it", List.of(), requestId, Map.of());
    }

    /** Whether {@code error} is our fault (a 500) rather than the caller's, so it is logged with its stack trace. */
    public static boolean isFault(Throwable error) {
        return !(error instanceof HttpException || error instanceof ValidationException
                || error instanceof NotFoundException || error instanceof ConflictException);
    }

    private static APIGatewayV2HTTPResponse body(int status, String code, String message,
                                                 List<ValidationException.FieldError> details, String requestId,
                                                 Map<String, String> headers) {
        return Responses.json(status, new ErrorBody(new Error(code, message, details, requestId)), headers);
    }
}
