package io.modelcycle.core.registry;

import io.modelcycle.core.ValidationException;

/**
 * Which page to read.
 *
 * @param token the previous page's {@code nextToken}, or null for the first page
 * @param limit at most this many items, 1 to {@value #MAX_LIMIT}
 */
public record PageRequest(String token, int limit) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 100;

    public PageRequest {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ValidationException("limit", "must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        if (token != null && (token.isEmpty() || token.length() > 1024)) {
            throw new ValidationException("nextToken", "is not a token this API issued");
        }
    }

    public static PageRequest first(int limit) {
        return new PageRequest(null, limit);
    }

    public static PageRequest first() {
        return first(DEFAULT_LIMIT);
    }
}
