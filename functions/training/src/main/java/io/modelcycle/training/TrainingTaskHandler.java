package io.modelcycle.training;

import com.fasterxml.jackson.core.type.TypeReference;
import io.modelcycle.aws.stage.AwsStage;
import io.modelcycle.core.Json;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.lifecycle.TrainingTasks;
import io.modelcycle.core.lifecycle.TrainingTasks.ApprovalRequest;
import io.modelcycle.core.lifecycle.TrainingTasks.CandidateRequest;
import io.modelcycle.core.lifecycle.TrainingTasks.DatasetRequest;
import io.modelcycle.core.lifecycle.TrainingTasks.FailureRequest;
import io.modelcycle.core.lifecycle.TrainingTasks.TrainingResult;
import io.modelcycle.core.lifecycle.VersionRef;
import io.modelcycle.core.task.TaskRouter;
import io.modelcycle.http.TaskRouterHandler;
import java.io.IOException;
import java.util.Map;

/**
 * The Lambda tasks of the {@code training-pipeline} state machine ({@code statemachines/training-pipeline.asl.json}),
 * invoked through {@code arn:aws:states:::lambda:invoke} with {@code {"action": ..., ...}}. Actions:
 * {@code validateDataset}, {@code registerCandidate}, {@code recordTrainingResult}, {@code qualityGate},
 * {@code requestApproval}, {@code approve}, {@code markFailed}. The training job itself is SageMaker's
 * ({@code createTrainingJob.sync}), not this function's.
 *
 * <p>Environment: see {@link AwsStage}, plus {@code TRAINING_IMAGE_URI} (required here) and
 * {@code TRAINING_HYPERPARAMETERS} (optional JSON object of string values, defaults for every job).
 * Sample events: {@code events/training/}.
 */
public final class TrainingTaskHandler extends TaskRouterHandler {

    static final String ACTOR = "workflow:training-pipeline";
    static final String HYPERPARAMETERS = "TRAINING_HYPERPARAMETERS";

    /** Lambda's constructor: DynamoDB registry and S3 artifacts from the environment. */
    public TrainingTaskHandler() {
        this(tasks(AwsStage.fromEnv(), System.getenv()));
    }

    static TrainingTasks tasks(AwsStage stage, Map<String, String> env) {
        String image = stage.config().trainingImage().orElseThrow(() -> new ValidationException(
                AwsStage.Config.TRAINING_IMAGE_URI, "environment variable TRAINING_IMAGE_URI is not set: the DJL training image"));
        Map<String, String> hyperparameters = Map.of();
        String json = env.get(HYPERPARAMETERS);
        if (json != null && !json.isBlank()) {
            try {
                hyperparameters = Json.mapper().readValue(json, new TypeReference<Map<String, String>>() { });
            } catch (IOException e) {
                throw new ValidationException(HYPERPARAMETERS, "environment variable " + HYPERPARAMETERS
                        + " must be a JSON object of string values");
            }
        }
        return new TrainingTasks(stage.registry(), stage.artifacts(),
                new TrainingTasks.Settings(stage.config().artifactBucket(), image, hyperparameters), ACTOR);
    }

    /** On any adapters: tests and the local runtime build it here. */
    public TrainingTaskHandler(TrainingTasks tasks) {
        super(new TaskRouter()
                .on("validateDataset", DatasetRequest.class, tasks::validateDataset)
                .on("registerCandidate", CandidateRequest.class, tasks::registerCandidate)
                .on("recordTrainingResult", TrainingResult.class, tasks::recordTrainingResult)
                .on("qualityGate", VersionRef.class, tasks::qualityGate)
                .on("requestApproval", ApprovalRequest.class, tasks::requestApproval)
                .on("approve", VersionRef.class, tasks::approve)
                .on("markFailed", FailureRequest.class, tasks::markFailed));
    }
}
