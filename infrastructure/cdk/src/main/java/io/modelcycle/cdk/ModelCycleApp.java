package io.modelcycle.cdk;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.cxapi.CloudAssembly;

/**
 * The CDK app: {@code cdk synth} / {@code cdk deploy} run it through {@code cdk.json}, and
 * {@code mvn -pl infrastructure/cdk exec:java} runs it directly. Synthesis is offline: no AWS credentials, no Docker.
 *
 * <p>Settings come from CDK context or the environment (see {@link StackConfig}). The repository root is the system
 * property {@value #REPO_ROOT_PROPERTY} (set by the Maven build), else the nearest folder above the working directory
 * that holds {@code statemachines/}. The output folder is {@code CDK_OUTDIR} when the CDK CLI runs the app, else the
 * system property {@value #OUTDIR_PROPERTY}, else {@code cdk.out}.
 */
public final class ModelCycleApp {

    public static final String STACK_NAME = "ModelCycle";
    public static final String REPO_ROOT_PROPERTY = "modelcycle.cdk.repoRoot";
    public static final String OUTDIR_PROPERTY = "modelcycle.cdk.outdir";

    private ModelCycleApp() {
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        CloudAssembly assembly = synthesize(outdirProps(), System.getenv(), repoRoot());
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.err.println("Synthesized " + STACK_NAME + " into " + assembly.getDirectory() + " in " + millis + " ms");
    }

    /**
     * What {@link #main} does: an app with {@code props} (its outdir and any context), settings from the app's
     * context and {@code env}, the stack, and the cloud assembly written out.
     */
    public static CloudAssembly synthesize(AppProps props, Map<String, String> env, Path repoRoot) {
        App app = new App(props);
        StackConfig config = StackConfig.from(key -> app.getNode().tryGetContext(key), env, repoRoot);
        build(app, config);
        return app.synth();
    }

    /** Adds the ModelCycle stack for {@code config} to {@code app}. */
    public static ModelCycleStack build(App app, StackConfig config) {
        StackProps.Builder props = StackProps.builder()
                .description("ModelCycle: the life of a machine-learning model on AWS serverless");
        if (config.account().isPresent() || config.region().isPresent()) {
            props.env(Environment.builder()
                    .account(config.account().orElse(null))
                    .region(config.region().orElse(null))
                    .build());
        }
        ModelCycleStack stack = new ModelCycleStack(app, STACK_NAME, props.build(), config,
                new LambdaPackages(config.repoRoot(), config.lambdaPackageDir()));
        Tags.of(stack).add("application", "modelcycle");
        return stack;
    }

    private static AppProps outdirProps() {
        if (System.getenv("CDK_OUTDIR") != null) {
            return AppProps.builder().build();
        }
        String outdir = Optional.ofNullable(System.getProperty(OUTDIR_PROPERTY)).orElse("cdk.out");
        return AppProps.builder().outdir(outdir).build();
    }

    /** The repository root: the system property, or the nearest folder at or above the working directory with statemachines/. */
    static Path repoRoot() {
        String property = System.getProperty(REPO_ROOT_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("statemachines")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Cannot find the ModelCycle repository root (a folder with statemachines/ and "
                + "pom.xml) at or above " + Path.of("").toAbsolutePath() + "; set -D" + REPO_ROOT_PROPERTY + "=<path>");
    }

}
