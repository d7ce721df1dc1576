package io.modelcycle.deployment;

import io.modelcycle.aws.cloudwatch.CloudWatchMetricsStore;
import io.modelcycle.aws.stage.AwsStage;
import io.modelcycle.core.lifecycle.DeploymentTasks.HealthRequest;
import io.modelcycle.core.lifecycle.DeploymentTasks;
import io.modelcycle.core.lifecycle.DeploymentTasks.Removal;
import io.modelcycle.core.lifecycle.VersionRef;
import io.modelcycle.core.task.TaskRouter;
import io.modelcycle.http.TaskRouterHandler;
import java.time.Clock;

/**
 * The tasks of the {@code deployment} state machine ({@code statemachines/deployment.asl.json}), invoked through
 * {@code arn:aws:states:::lambda:invoke} with {@code {"action": ..., "model": ..., "version": ...}}.
 * Actions: {@code startCanary}, {@code compareHealth}, {@code promote}, {@code rollback}, {@code abort}.
 * Environment: see {@link AwsStage}. Sample events: {@code events/deployment/}.
 */
public final class DeploymentTaskHandler extends TaskRouterHandler {

    static final String ACTOR = "workflow:deployment";

    /** Lambda's constructor: DynamoDB registry, S3 artifacts and CloudWatch metrics from the environment. */
    public DeploymentTaskHandler() {
        this(tasks(AwsStage.fromEnv()));
    }

    private static DeploymentTasks tasks(AwsStage stage) {
        return new DeploymentTasks(stage.registry(), CloudWatchMetricsStore.create(stage.clients()), Clock.systemUTC(), ACTOR);
    }

    /** On any adapters: tests and the local runtime build it here. */
    public DeploymentTaskHandler(DeploymentTasks tasks) {
        super(routes(tasks));
    }

    static TaskRouter routes(DeploymentTasks tasks) {
        return new TaskRouter()
                .on("startCanary", VersionRef.class, tasks::startCanary)
                .on("compareHealth", HealthRequest.class, tasks::compareHealth)
                .on("promote", VersionRef.class, tasks::promote)
                .on("rollback", Removal.class, tasks::rollback)
                .on("abort", Removal.class, tasks::abort);
    }
}
