package io.modelcycle.local.runtime;

import io.modelcycle.core.ValidationException;
import io.modelcycle.local.asl.AslExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The four workflows of {@code statemachines/} and the values the local runtime gives their {@code ${Substitution}}
 * names, in place of the ARNs CDK substitutes on AWS.
 */
public final class Workflows {

    public static final String TRAINING_PIPELINE = "training-pipeline";
    public static final String DEPLOYMENT = "deployment";
    public static final String DRIFT_CHECK = "drift-check";
    public static final String RETIREMENT = "retirement";
    /** Every workflow, in the order a model's life meets them. */
    public static final List<String> ALL = List.of(TRAINING_PIPELINE, DEPLOYMENT, DRIFT_CHECK, RETIREMENT);

    /** The bucket name the workflows' S3 URIs use locally: {@code s3://modelcycle-local/<key>} is artifact key {@code <key>}. */
    public static final String BUCKET = "modelcycle-local";
    /** The Lambda alias the local function ARNs name, like the {@code live} alias CDK deploys. */
    public static final String ALIAS = "live";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");

    private Workflows() {
    }

    /** A Lambda alias ARN in the local region and account: what a task's {@code FunctionName} becomes. */
    public static String functionArn(String function) {
        return "arn:aws:lambda:" + AslExecutor.REGION + ":" + AslExecutor.ACCOUNT + ":function:" + function + ":" + ALIAS;
    }

    /** The substitutions, by name. */
    public static Map<String, String> substitutions() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("TrainingFunctionArn", functionArn("modelcycle-training"));
        s.put("DeploymentFunctionArn", functionArn("modelcycle-deployment"));
        s.put("MonitoringFunctionArn", functionArn("modelcycle-monitoring"));
        s.put("RetirementFunctionArn", functionArn("modelcycle-retirement"));
        s.put("TrainingImageUri", "modelcycle-local/djl-trainer:cpu");
        s.put("SageMakerRoleArn", "arn:aws:iam::" + AslExecutor.ACCOUNT + ":role/modelcycle-local-training");
        s.put("TrainingInstanceType", "ml.m5.xlarge");
        s.put("ArtifactBucket", BUCKET);
        s.put("DeploymentStateMachineArn", AslExecutor.stateMachineArn(DEPLOYMENT));
        s.put("TrainingPipelineStateMachineArn", AslExecutor.stateMachineArn(TRAINING_PIPELINE));
        return s;
    }

    /**
     * Replaces every {@code ${Name}} of a definition; a name without a value is an error naming it, so a new
     * substitution in an ASL file is never left unbound.
     */
    public static String substitute(String workflow, String definition) {
        Map<String, String> values = substitutions();
        Matcher m = PLACEHOLDER.matcher(definition);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new ValidationException(workflow + ".asl.json", "substitution ${" + m.group(1) + "} has no local"
                        + " value; known: " + values.keySet());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * The definition text of {@code workflow}: from {@code directory} when given, else from the nearest
     * {@code statemachines/} above the working directory (a checkout), else from the copy bundled in this jar.
     */
    public static String definition(String workflow, Path directory) {
        String file = workflow + ".asl.json";
        Path dir = directory != null ? directory : findCheckoutDirectory();
        try {
            if (dir != null) {
                return Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
            }
            try (InputStream in = Workflows.class.getResourceAsStream("/statemachines/" + file)) {
                if (in == null) {
                    throw new ValidationException("workflow", "no definition of '" + workflow + "': no statemachines/"
                            + " directory above " + Path.of("").toAbsolutePath() + " and none bundled");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static Path findCheckoutDirectory() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("statemachines");
            if (Files.isRegularFile(candidate.resolve(TRAINING_PIPELINE + ".asl.json"))) {
                return candidate;
            }
        }
        return null;
    }
}
