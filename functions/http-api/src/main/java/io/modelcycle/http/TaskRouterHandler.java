package io.modelcycle.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.modelcycle.core.task.TaskRouter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * The one Lambda entry point of every Step Functions task handler: reads the payload a state machine sends through
 * {@code arn:aws:states:::lambda:invoke}, runs the {@link TaskRouter} action it names, writes the result, all inside
 * Powertools logging (request id and cold start on every line). A task's domain exception propagates, so Lambda
 * reports its class name as the error type that the state machine's {@code Retry}/{@code Catch} match.
 *
 * <p>Subclasses only build their router: {@code super(new TaskRouter().on(...))}.
 */
public abstract class TaskRouterHandler implements RequestStreamHandler {

    private final TaskRouter router;

    protected TaskRouterHandler(TaskRouter router) {
        this.router = Objects.requireNonNull(router, "router");
    }

    /** The actions this handler serves; the local runtime calls them in-process. */
    public final TaskRouter router() {
        return router;
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) {
        PowertoolsLogging.withLogging(context, () -> {
            try {
                router.handle(input, output);
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
