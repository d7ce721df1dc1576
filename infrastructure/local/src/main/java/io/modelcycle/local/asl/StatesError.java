package io.modelcycle.local.asl;

/**
 * An error raised while a state runs, named as the Amazon States Language names it ({@code States.Runtime},
 * {@code States.TaskFailed}, or a task's own error name), with its cause text. Retriers and catchers match
 * {@link #error()}.
 */
public final class StatesError extends RuntimeException {

    /** Standard error names from the States Language specification, appendix A. */
    public static final String ALL = "States.ALL";
    public static final String RUNTIME = "States.Runtime";
    public static final String TASK_FAILED = "States.TaskFailed";
    public static final String TIMEOUT = "States.Timeout";
    public static final String HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout";
    public static final String NO_CHOICE_MATCHED = "States.NoChoiceMatched";
    public static final String INTRINSIC_FAILURE = "States.IntrinsicFailure";
    public static final String RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure";
    public static final String PARAMETER_PATH_FAILURE = "States.ParameterPathFailure";
    public static final String BRANCH_FAILED = "States.BranchFailed";
    public static final String PERMISSIONS = "States.Permissions";
    public static final String DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded";
    public static final String EXCEED_TOLERATED_FAILURE_THRESHOLD = "States.ExceedToleratedFailureThreshold";
    public static final String ITEM_READER_FAILED = "States.ItemReaderFailed";

    private final String error;
    private final String causeText;

    public StatesError(String error, String cause) {
        super(error + ": " + cause, null, false, false);
        this.error = error;
        this.causeText = cause;
    }

    public static StatesError runtime(String cause) {
        return new StatesError(RUNTIME, cause);
    }

    public static StatesError intrinsic(String cause) {
        return new StatesError(INTRINSIC_FAILURE, cause);
    }

    /** The error name, for example {@code States.Timeout}. */
    public String error() {
        return error;
    }

    /** The human-readable cause; may be empty, never null. */
    public String cause() {
        return causeText == null ? "" : causeText;
    }
}
