package io.modelcycle.core;

/**
 * A compare-and-set lost: the stored value was not the one the caller expected. Adapters throw it in place
 * of their store's own condition failure (DynamoDB {@code ConditionalCheckFailedException}, a SQLite row
 * count of zero) and keep that failure as the cause.
 */
public class ConcurrentUpdateException extends ConflictException {

    public ConcurrentUpdateException(String message) {
        super(message);
    }

    public ConcurrentUpdateException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "CONCURRENT_UPDATE";
    }
}
