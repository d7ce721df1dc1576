package io.modelcycle.monitoring;

import io.modelcycle.aws.cloudwatch.CloudWatchMetricsStore;
import io.modelcycle.aws.stage.AwsStage;
import io.modelcycle.core.lifecycle.MonitoringTasks;
import io.modelcycle.core.lifecycle.MonitoringTasks.DriftCheckRequest;
import io.modelcycle.core.lifecycle.MonitoringTasks.RetrainingRequest;
import io.modelcycle.core.task.TaskRouter;
import io.modelcycle.http.TaskRouterHandler;
import java.time.Clock;

/**
 * The tasks of the {@code drift-check} state machine ({@code statemachines/drift-check.asl.json}), invoked through
 * {@code arn:aws:states:::lambda:invoke}. Actions:
 * <ul>
 *   <li>{@code driftCheck} {@code {"model", "windowMinutes", "trigger", "windowEnd"?, "windowStart"?}} → the decision
 *       {@code {"drifted", "driftedShare", "rowsChecked", "version", "reportKey", "htmlKey", …}};</li>
 *   <li>{@code prepareRetraining} {@code {"model", "reportKey"}} → {@code {"datasetKey", "rows", …}}.</li>
 * </ul>
 * Environment: see {@link AwsStage} ({@code REGISTRY_TABLE}, {@code ARTIFACT_BUCKET}, {@code AWS_REGION}).
 * Sample events: {@code events/monitoring/}.
 */
public final class MonitoringTaskHandler extends TaskRouterHandler {

    /** Lambda's constructor: DynamoDB registry, S3 artifacts and CloudWatch metrics from the environment. */
    public MonitoringTaskHandler() {
        this(tasks(AwsStage.fromEnv()));
    }

    private static MonitoringTasks tasks(AwsStage stage) {
        return new MonitoringTasks(stage.registry(), stage.artifacts(), CloudWatchMetricsStore.create(stage.clients()),
                Clock.systemUTC());
    }

    /** On any adapters: tests and the local runtime build it here. */
    public MonitoringTaskHandler(MonitoringTasks tasks) {
        super(routes(tasks));
    }

    static TaskRouter routes(MonitoringTasks tasks) {
        return new TaskRouter()
                .on("driftCheck", DriftCheckRequest.class, tasks::driftCheck)
                .on("prepareRetraining", RetrainingRequest.class, tasks::prepareRetraining);
    }
}
