package io.modelcycle.cdk;

import java.nio.file.Path;

/**
 * The workflows in {@code statemachines/}, each deployed as one Step Functions state machine from its ASL file. The
 * names are the keys handlers look up in {@code STATE_MACHINE_ARNS}.
 */
public enum Workflow {
    DEPLOYMENT("deployment"),
    TRAINING_PIPELINE("training-pipeline"),
    DRIFT_CHECK("drift-check"),
    RETIREMENT("retirement");

    private final String workflowName;

    Workflow(String workflowName) {
        this.workflowName = workflowName;
    }

    /** The workflow's name, e.g. {@code training-pipeline}. */
    public String workflowName() {
        return workflowName;
    }

    /** The ASL file, relative to the repository root. */
    public Path aslPath() {
        return Path.of("statemachines", workflowName + ".asl.json");
    }

    /** The construct id, e.g. {@code TrainingPipeline}. */
    public String constructId() {
        StringBuilder id = new StringBuilder();
        for (String part : workflowName.split("-")) {
            id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return id.toString();
    }
}
