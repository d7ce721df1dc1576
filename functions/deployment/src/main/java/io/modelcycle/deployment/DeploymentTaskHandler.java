package io.modelcycle.deployment;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.modelcycle.aws.cloudwatch.CloudWatchMetricsStore;
import io.modelcycle.aws.stage.AwsStage;
import io.modelcycle.core.lifecycle.DeploymentTasks.HealthRequest;
import io.modelcycle.core.lifecycle.DeploymentTasks;
import io.modelcycle.core.lifecycle.DeploymentTasks.Removal;
import io.modelcycle.core.lifecycle.DeploymentTasks.VersionRef;
import io.modelcycle.core.task.TaskRouter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * The tasks of the {@code deployment} state machine ({@code statemachines/deployment.asl.json}), invoked through
 * {@code arn:aws:states:::lambda:invoke} with {@code {"action": ..., "model": ..., "version": ...}}.
 * Actions: {@code startCanary}, {@code compareHealth}, {@code promote}, {@code rollback}, {@code abort}.
 * Environment: see {@link AwsStage}. Sample events: {@code events/deployment/}.
 */
public final class DeploymentTaskHandler implements RequestStreamHandler {

    static final String ACTOR = "workflow:deployment";

    private final TaskRouter router;

    /** Lambda's constructor: DynamoDB registry, S3 artifacts and CloudWatch metrics from the environment. */
    public DeploymentTaskHandler() {
        this(tasks(AwsStage.fromEnv()));
    }

    private static DeploymentTasks tasks(AwsStage stage) {
        return new DeploymentTasks(stage.registry(), CloudWatchMetricsStore.create(stage.clients()), Clock.systemUTC(), ACTOR);
    }

    /** On any adapters: tests and the local runtime build it here. */
    public DeploymentTaskHandler(DeploymentTasks tasks) {
        this.router = routes(tasks);
    }

    static TaskRouter routes(DeploymentTasks tasks) {
        return new TaskRouter()
                .on("startCanary", VersionRef.class, tasks::startCanary)
                .on("compareHealth", HealthRequest.class, tasks::compareHealth)
                .on("promote", VersionRef.class, tasks::promote)
                .on("rollback", Removal.class, tasks::rollback)
                .on("abort", Removal.class, tasks::abort);
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
