package io.modelcycle.aws;

import io.modelcycle.core.ModelCycleException;
import io.modelcycle.core.StoreException;
import io.modelcycle.core.TransientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The one translation of AWS SDK failures that every adapter shares: throttling, 5xx and network trouble are
 * {@link TransientException} (a workflow may retry them), everything else is a {@link StoreException}. Adapters
 * first handle the errors that mean something in their domain (a missing key, a failed condition) and pass the
 * rest here. The SDK exception is kept as the cause.
 */
public final class AwsErrors {

    private AwsErrors() {
    }

    /** True for a failure that the same call may not meet again a little later. */
    public static boolean isTransient(Throwable e) {
        if (e instanceof AwsServiceException service) {
            int status = service.statusCode();
            return service.isThrottlingException() || status == 429 || status >= 500;
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return true;
        }
        if (e instanceof SdkClientException) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof IOException || cause instanceof UncheckedIOException) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code what} says what was being done, e.g. {@code "reading s3://bucket/key"}. */
    public static ModelCycleException translate(String what, RuntimeException e) {
        if (e instanceof ModelCycleException domain) {
            return domain;
        }
        String detail = e instanceof AwsServiceException service && service.awsErrorDetails() != null
                ? service.awsErrorDetails().errorCode() + " (HTTP " + service.statusCode() + "): "
                        + service.awsErrorDetails().errorMessage()
                : e.getMessage();
        if (isTransient(e)) {
            return new TransientException(what + " failed, briefly: " + detail, e);
        }
        return new StoreException(what + " failed: " + detail, e);
    }
}
