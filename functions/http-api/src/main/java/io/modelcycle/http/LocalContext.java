package io.modelcycle.http;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;

/**
 * The Lambda {@link Context} a handler gets when it runs outside Lambda (the local runtime, tests): a request
 * id and a function name, and a logger that writes to standard error. Handlers should log through Powertools
 * (SLF4J), not {@link #getLogger()}.
 *
 * @param awsRequestId  the id logged as {@code function_request_id} and quoted in error responses
 * @param functionName  the handler's name, e.g. {@code registry-api}
 * @param memoryLimitMb the memory the handler pretends to have
 */
public record LocalContext(String awsRequestId, String functionName, int memoryLimitMb) implements Context {

    public LocalContext {
        if (awsRequestId == null || awsRequestId.isBlank()) {
            throw new IllegalArgumentException("awsRequestId is required");
        }
        if (functionName == null || functionName.isBlank()) {
            throw new IllegalArgumentException("functionName is required");
        }
    }

    public static LocalContext of(String awsRequestId, String functionName) {
        return new LocalContext(awsRequestId, functionName, 1024);
    }

    @Override
    public String getAwsRequestId() {
        return awsRequestId;
    }

    @Override
    public String getLogGroupName() {
        return "/local/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:local:000000000000:function:" + functionName;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return 30_000;
    }

    @Override
    public int getMemoryLimitInMB() {
        return memoryLimitMb;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                System.err.println(message);
            }

            @Override
            public void log(byte[] message) {
                System.err.println(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
