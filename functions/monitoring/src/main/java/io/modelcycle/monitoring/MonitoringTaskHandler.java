package io.modelcycle.monitoring;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.modelcycle.aws.cloudwatch.CloudWatchMetricsStore;
import io.modelcycle.aws.stage.AwsStage;
import io.modelcycle.core.lifecycle.MonitoringTasks;
import io.modelcycle.core.lifecycle.MonitoringTasks.DriftCheckRequest;
import io.modelcycle.core.lifecycle.MonitoringTasks.RetrainingRequest;
import io.modelcycle.core.task.TaskRouter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

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
public final class MonitoringTaskHandler implements RequestStreamHandler {

    private final TaskRouter router;

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
        this.router = routes(tasks);
    }

    static TaskRouter routes(MonitoringTasks tasks) {
        return new TaskRouter()
                .on("driftCheck", DriftCheckRequest.class, tasks::driftCheck)
                .on("prepareRetraining", RetrainingRequest.class, tasks::prepareRetraining);
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
