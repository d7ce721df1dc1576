package io.modelcycle.cdk;

import java.nio.file.Path;

/**
 * The one table of ModelCycle's Lambda functions: which Maven module builds each package, its handler, and how it
 * is sized. Everything else (asset paths, the handler-exists test, the Maven command in error messages) is derived
 * from here, so a function is added or renamed in one place.
 *
 * <p>Sizing notes: HTTP-facing functions stay under API Gateway's 30 s integration limit; Step Functions tasks get
 * what their largest input needs. Inference uses SnapStart, and Lambda refuses SnapStart with more than 512 MB of
 * ephemeral storage, so its {@code /tmp} (where the PyTorch native library is unpacked at init) stays at 512 MB.
 */
public enum FunctionSpec {

    REGISTRY_API("registry-api", "io.modelcycle.registryapi.RegistryApiHandler", 1024, 29, 512, false,
            "registry API (HTTP API payload 2.0)"),
    INFERENCE("inference", "io.modelcycle.inference.InferenceHandler", 3008, 29, 512, true,
            "online predictions (HTTP API payload 2.0), SnapStart"),
    TRAINING("training", "io.modelcycle.training.TrainingTaskHandler", 1024, 300, 1024, false,
            "training-pipeline tasks"),
    DEPLOYMENT("deployment", "io.modelcycle.deployment.DeploymentTaskHandler", 512, 60, 512, false,
            "deployment tasks (canary, health, promote, rollback)"),
    MONITORING("monitoring", "io.modelcycle.monitoring.MonitoringTaskHandler", 2048, 600, 2048, false,
            "drift-check tasks (drift, retraining dataset)"),
    RETIREMENT("retirement", "io.modelcycle.retirement.RetirementTaskHandler", 512, 300, 512, false,
            "retirement tasks (check, archive, mark retired)");

    /** Lambda's upper bound on ephemeral storage for a SnapStart function. */
    public static final int SNAPSTART_MAX_EPHEMERAL_MB = 512;

    private final String module;
    private final String handlerClass;
    private final int memoryMb;
    private final int timeoutSeconds;
    private final int ephemeralStorageMb;
    private final boolean snapStart;
    private final String description;

    FunctionSpec(String module, String handlerClass, int memoryMb, int timeoutSeconds, int ephemeralStorageMb,
                 boolean snapStart, String description) {
        if (snapStart && ephemeralStorageMb > SNAPSTART_MAX_EPHEMERAL_MB) {
            throw new IllegalStateException(module + ": SnapStart allows at most " + SNAPSTART_MAX_EPHEMERAL_MB
                    + " MB of ephemeral storage, got " + ephemeralStorageMb);
        }
        this.module = module;
        this.handlerClass = handlerClass;
        this.memoryMb = memoryMb;
        this.timeoutSeconds = timeoutSeconds;
        this.ephemeralStorageMb = ephemeralStorageMb;
        this.snapStart = snapStart;
        this.description = description;
    }

    /** The Maven module under {@code functions/}, e.g. {@code registry-api}. */
    public String module() {
        return module;
    }

    /** The module's artifactId, {@code modelcycle-<module>}. */
    public String artifactId() {
        return "modelcycle-" + module;
    }

    /** The deployment package's file name, {@code modelcycle-<module>-lambda.zip}. */
    public String packageFileName() {
        return artifactId() + "-lambda.zip";
    }

    /** Where the module's build leaves the package, relative to the repository root. */
    public Path packagePath() {
        return Path.of("functions", module, "target", packageFileName());
    }

    /** The handler's source file, relative to the repository root. */
    public Path handlerSourcePath() {
        return Path.of("functions", module, "src", "main", "java", handlerClass.replace('.', '/') + ".java");
    }

    /** The command that builds this function's package from the repository root. */
    public String buildCommand() {
        return "mvn -B -pl functions/" + module + " -am package -DskipTests";
    }

    /** Lambda's handler string: the class, whose {@code handleRequest} Lambda finds by itself. */
    public String handlerClass() {
        return handlerClass;
    }

    public int memoryMb() {
        return memoryMb;
    }

    public int timeoutSeconds() {
        return timeoutSeconds;
    }

    public int ephemeralStorageMb() {
        return ephemeralStorageMb;
    }

    public boolean snapStart() {
        return snapStart;
    }

    public String description() {
        return description;
    }

    /** The construct id and Powertools service name: the module name in PascalCase, e.g. {@code RegistryApi}. */
    public String constructId() {
        StringBuilder id = new StringBuilder();
        for (String part : module.split("-")) {
            id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return id.toString();
    }
}
