package io.modelcycle.cdk;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Size;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * One ModelCycle Lambda function the same way every time: java21 on x86_64 (the PyTorch native library is built for
 * x86_64), memory, timeout and ephemeral storage from its {@link FunctionSpec}, its own log group with retention, its
 * own role that starts empty (no managed policy: it may write to its log group and nothing else until
 * {@link #allow} grants more), SnapStart on published versions where the spec asks, and an alias {@value #ALIAS}
 * on the current version that everything else (API routes, state machines) calls.
 */
public final class JavaFunction extends Construct {

    /** The alias every caller uses; with SnapStart, calls to it are served from the version's snapshot. */
    public static final String ALIAS = "live";
    public static final RetentionDays LOG_RETENTION = RetentionDays.ONE_MONTH;

    private final FunctionSpec spec;
    private final Role role;
    private final LogGroup logGroup;
    private final Function function;
    private final Alias alias;

    public JavaFunction(Construct scope, FunctionSpec spec, Path lambdaPackage, Map<String, String> environment) {
        super(scope, spec.constructId());
        this.spec = spec;
        this.role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("ModelCycle " + spec.module() + ": " + spec.description())
                .build();
        this.logGroup = LogGroup.Builder.create(this, "Logs")
                .retention(LOG_RETENTION)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        logGroup.grantWrite(role);
        this.function = Function.Builder.create(this, "Function")
                .description("ModelCycle " + spec.module() + ": " + spec.description())
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.X86_64)
                .handler(spec.handlerClass())
                .code(Code.fromAsset(lambdaPackage.toString()))
                .memorySize(spec.memoryMb())
                .timeout(Duration.seconds(spec.timeoutSeconds()))
                .ephemeralStorageSize(Size.mebibytes(spec.ephemeralStorageMb()))
                .environment(environment)
                .role(role)
                .logGroup(logGroup)
                .snapStart(spec.snapStart() ? SnapStartConf.ON_PUBLISHED_VERSIONS : null)
                .build();
        this.alias = Alias.Builder.create(this, "Alias")
                .aliasName(ALIAS)
                .version(function.getCurrentVersion())
                .build();
    }

    /** Grants {@code actions} on {@code resources} to this function's role. */
    public JavaFunction allow(List<String> actions, List<String> resources) {
        return allow(actions, resources, null);
    }

    /** Grants {@code actions} on {@code resources} under {@code conditions} to this function's role. */
    public JavaFunction allow(List<String> actions, List<String> resources, Map<String, Object> conditions) {
        role.addToPrincipalPolicy(statement(actions, resources, conditions));
        return this;
    }

    static PolicyStatement statement(List<String> actions, List<String> resources, Map<String, Object> conditions) {
        PolicyStatement.Builder builder = PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(actions)
                .resources(resources);
        if (conditions != null) {
            builder.conditions(conditions);
        }
        return builder.build();
    }

    public FunctionSpec spec() {
        return spec;
    }

    public Role role() {
        return role;
    }

    public LogGroup logGroup() {
        return logGroup;
    }

    public Function function() {
        return function;
    }

    public Alias alias() {
        return alias;
    }
}
