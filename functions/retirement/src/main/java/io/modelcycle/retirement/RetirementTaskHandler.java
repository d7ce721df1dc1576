package io.modelcycle.retirement;

import io.modelcycle.aws.stage.AwsStage;
import io.modelcycle.core.lifecycle.RetirementTasks;
import io.modelcycle.core.lifecycle.VersionRef;
import io.modelcycle.core.task.TaskRouter;
import io.modelcycle.http.TaskRouterHandler;

/**
 * The tasks of the {@code retirement} state machine ({@code statemachines/retirement.asl.json}), invoked through
 * {@code arn:aws:states:::lambda:invoke} with {@code {"action": ..., "model": ..., "version": ...}}.
 * Actions: {@code checkRetirable}, {@code markRetired}, {@code applyRetention}.
 * Environment: see {@link AwsStage}. Sample events: {@code events/retirement/}.
 */
public final class RetirementTaskHandler extends TaskRouterHandler {

    static final String ACTOR = "workflow:retirement";

    /** Lambda's constructor: DynamoDB registry and S3 artifacts from the environment. */
    public RetirementTaskHandler() {
        this(tasks(AwsStage.fromEnv()));
    }

    private static RetirementTasks tasks(AwsStage stage) {
        return new RetirementTasks(stage.registry(), stage.artifacts(), ACTOR);
    }

    /** On any adapters: tests and the local runtime build it here. */
    public RetirementTaskHandler(RetirementTasks tasks) {
        super(new TaskRouter()
                .on("checkRetirable", VersionRef.class, tasks::checkRetirable)
                .on("markRetired", VersionRef.class, tasks::markRetired)
                .on("applyRetention", VersionRef.class, tasks::applyRetention));
    }
}
