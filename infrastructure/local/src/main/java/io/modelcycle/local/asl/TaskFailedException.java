package io.modelcycle.local.asl;

/**
 * Thrown (or completed exceptionally) by a {@link TaskHandler} to fail its task with a chosen error name and
 * cause, as a Lambda function's {@code errorType}/{@code errorMessage} would.
 */
public final class TaskFailedException extends RuntimeException {

    private final String error;

    public TaskFailedException(String error, String cause) {
        super(cause);
        if (error == null || error.isBlank()) {
            throw new IllegalArgumentException("a task error needs a name");
        }
        this.error = error;
    }

    /** The error name Retry and Catch match. */
    public String error() {
        return error;
    }
}
