package io.modelcycle.local.asl;

/** The status of an execution, as Step Functions names them. */
public enum ExecutionStatus {
    RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED;

    /** True once the execution can no longer change. */
    public boolean isTerminal() {
        return this != RUNNING;
    }
}
