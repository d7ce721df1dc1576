package io.modelcycle.retirement;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.modelcycle.aws.stage.AwsStage;
import io.modelcycle.core.lifecycle.RetirementTasks;
import io.modelcycle.core.lifecycle.RetirementTasks.VersionRef;
import io.modelcycle.core.task.TaskRouter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * The tasks of the {@code retirement} state machine ({@code statemachines/retirement.asl.json}), invoked through
 * {@code arn:aws:states:::lambda:invoke} with {@code {"action": ..., "model": ..., "version": ...}}.
 * Actions: {@code checkRetirable}, {@code markRetired}, {@code applyRetention}.
 * Environment: see {@link AwsStage}. Sample events: {@code events/retirement/}.
 */
public final class RetirementTaskHandler implements RequestStreamHandler {

    static final String ACTOR = "workflow:retirement";

    private final TaskRouter router;

    /** Lambda's constructor: DynamoDB registry and S3 artifacts from the environment. */
    public RetirementTaskHandler() {
        this(tasks(AwsStage.fromEnv()));
    }

    private static RetirementTasks tasks(AwsStage stage) {
        return new RetirementTasks(stage.registry(), stage.artifacts(), ACTOR);
    }

    /** On any adapters: tests and the local runtime build it here. */
    public RetirementTaskHandler(RetirementTasks tasks) {
        this.router = new TaskRouter()
                .on("checkRetirable", VersionRef.class, tasks::checkRetirable)
                .on("markRetired", VersionRef.class, tasks::markRetired)
                .on("applyRetention", VersionRef.class, tasks::applyRetention);
    }

    public TaskRouter router() {
        return router;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
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
