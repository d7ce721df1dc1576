package io.modelcycle.cdk;

import io.modelcycle.core.artifact.ArtifactKeys;
import io.modelcycle.core.feedback.QualityMetrics;
import io.modelcycle.core.metrics.AlarmDefinition;
import io.modelcycle.core.metrics.DriftAlarms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.IgnoreMode;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpIamAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.CfnStage;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpNoneAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.cloudwatch.CfnAlarm;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecr.assets.DockerImageAsset;
import software.amazon.awscdk.services.ecr.assets.Platform;
import software.amazon.awscdk.services.events.EventField;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.SfnStateMachine;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.CfnBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.StorageClass;
import software.amazon.awscdk.services.s3.Transition;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;

/**
 * Everything ModelCycle runs on in AWS, in one stack: the artifact bucket, the registry table, one Lambda function
 * per stage (each behind the alias {@value JavaFunction#ALIAS}), the four workflows from {@code statemachines/}, the
 * training image and SageMaker's role, the EventBridge rules that start workflows, the drift alarms built from core's
 * definitions, and the HTTP API.
 *
 * <p>Every grant is written out here, per function and per workflow, with the exact actions and the narrowest
 * resources the service supports; the template tests compare them with what each component uses.
 */
public final class ModelCycleStack extends Stack {

    /** Partition and sort key of the registry table, as {@code DynamoDbRegistryStore} writes them. */
    public static final String TABLE_PARTITION_KEY = "pk";
    public static final String TABLE_SORT_KEY = "sk";
    /** Artifact bucket lifecycle: captures expire, archived artifacts move to a cold storage class. */
    public static final int CAPTURE_EXPIRY_DAYS = 90;
    public static final int ARCHIVE_TRANSITION_DAYS = 30;
    public static final int NONCURRENT_VERSION_EXPIRY_DAYS = 30;
    /** How far back the daily drift check looks: one day of captures. */
    public static final int SCHEDULED_WINDOW_MINUTES = 1440;
    /** Default throttling of every API route: steady requests per second and burst. */
    public static final int API_RATE_LIMIT = 100;
    public static final int API_BURST_LIMIT = 200;
    /** Powertools' metrics namespace of every function (EMF, so no IAM grant). */
    public static final String METRICS_NAMESPACE = "ModelCycle";
    /** The Dockerfile of the training image, relative to the repository root (its build context). */
    public static final String TRAINING_DOCKERFILE = "functions/training/Dockerfile";
    /**
     * What goes into the training image's build context (Docker ignore syntax): the poms of the reactor (Maven reads
     * every module's pom even for {@code -pl functions/djl -am}), the sources of the trainer and what it depends on
     * (core, djl), and the Dockerfile with its entry script. Nothing else, so that a change elsewhere neither ships
     * in the context nor rebuilds the image.
     */
    public static final List<String> TRAINING_IMAGE_CONTEXT_EXCLUDES = List.of(
            "*", "!pom.xml",
            "!functions", "functions/*/*", "!functions/*/pom.xml",
            "!functions/core/src", "!functions/djl/src",
            "!functions/training/Dockerfile", "!functions/training/train",
            "!infrastructure", "infrastructure/*/*", "!infrastructure/*/pom.xml");

    /**
     * Where the S3 artifact store assembles content larger than one part (8 MiB) before copying it to its key with
     * the hash ({@code S3ArtifactStore.STAGING}); writers of large artifacts need this prefix too.
     */
    public static final String STAGING_PREFIX = ".modelcycle-staging/";
    private static final List<String> STAGING_ACTIONS = List.of("s3:PutObject", "s3:GetObject", "s3:DeleteObject",
            "s3:AbortMultipartUpload");
    private static final Pattern SUBSTITUTION = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");
    private static final List<String> REGISTRY_READ = List.of("dynamodb:GetItem", "dynamodb:Query");
    private static final List<String> REGISTRY_WRITE = List.of("dynamodb:GetItem", "dynamodb:Query",
            "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem");
    private static final List<String> INVOKE = List.of("lambda:InvokeFunction");

    private final StackConfig config;
    private final Bucket bucket;
    private final Table table;
    private final Map<FunctionSpec, JavaFunction> functions = new EnumMap<>(FunctionSpec.class);
    private final Map<Workflow, StateMachine> stateMachines = new EnumMap<>(Workflow.class);
    private final Map<Workflow, Map<String, String>> substitutions = new EnumMap<>(Workflow.class);
    private final Role sageMakerRole;
    private final String trainingImageUri;
    private final HttpApi api;

    public ModelCycleStack(Construct scope, String id, StackProps props, StackConfig config, LambdaPackages packages) {
        super(scope, id, props);
        this.config = config;
        this.bucket = artifactBucket();
        this.table = registryTable();

        // Task functions first: the workflows substitute their alias ARNs.
        for (FunctionSpec spec : List.of(FunctionSpec.TRAINING, FunctionSpec.DEPLOYMENT, FunctionSpec.MONITORING,
                FunctionSpec.RETIREMENT)) {
            functions.put(spec, new JavaFunction(this, spec, packages.require(spec), environment(spec, Map.of())));
        }
        this.sageMakerRole = Role.Builder.create(this, "SageMakerExecutionRole")
                .assumedBy(new ServicePrincipal("sagemaker.amazonaws.com"))
                .description("ModelCycle training jobs: read datasets and models, write training output, pull the image")
                .build();
        this.trainingImageUri = trainingImage();
        functions.get(FunctionSpec.TRAINING).function().addEnvironment("TRAINING_IMAGE_URI", trainingImageUri);
        grantTaskFunctions();
        grantSageMakerRole();

        // Workflows in dependency order: a workflow may only substitute the ARN of one created before it, so the
        // graph (drift-check -> training-pipeline -> deployment) can never close into a cycle.
        Map<String, String> available = new LinkedHashMap<>();
        available.put("TrainingFunctionArn", alias(FunctionSpec.TRAINING));
        available.put("DeploymentFunctionArn", alias(FunctionSpec.DEPLOYMENT));
        available.put("MonitoringFunctionArn", alias(FunctionSpec.MONITORING));
        available.put("RetirementFunctionArn", alias(FunctionSpec.RETIREMENT));
        available.put("TrainingImageUri", trainingImageUri);
        available.put("SageMakerRoleArn", sageMakerRole.getRoleArn());
        available.put("TrainingInstanceType", config.trainingInstanceType());
        available.put("ArtifactBucket", bucket.getBucketName());
        for (Workflow workflow : List.of(Workflow.DEPLOYMENT, Workflow.TRAINING_PIPELINE, Workflow.DRIFT_CHECK,
                Workflow.RETIREMENT)) {
            StateMachine machine = stateMachine(workflow, available);
            stateMachines.put(workflow, machine);
            available.put(pascal(workflow) + "StateMachineArn", machine.getStateMachineArn());
        }
        grantWorkflows();

        // HTTP-facing functions last: the registry API answers approval task tokens of the training pipeline.
        StateMachine training = stateMachines.get(Workflow.TRAINING_PIPELINE);
        JavaFunction registryApi = new JavaFunction(this, FunctionSpec.REGISTRY_API,
                packages.require(FunctionSpec.REGISTRY_API), environment(FunctionSpec.REGISTRY_API, Map.of(
                        "REGISTRY_STORE", "dynamodb",
                        "STATE_MACHINE_ARNS", toJsonString(Map.of(Workflow.TRAINING_PIPELINE.workflowName(),
                                training.getStateMachineArn())))));
        // POST /models/{name}/feedback goes through core's FeedbackStore: it checks labels against the serving
        // version's model.json and writes feedback/{model}/yyyy/MM/dd/HH/....jsonl.gz.
        // Approve/reject read and remove the training pipeline's task token kept beside the version (Approvals);
        // ListBucket on models/* lets a missing token or model.json read as 404 rather than 403.
        registryApi.allow(REGISTRY_WRITE, List.of(table.getTableArn()))
                .allow(List.of("s3:GetObject"), List.of(objects("models/*/versions/*/model.json"),
                        objects("models/*/versions/*/approval-token.json")))
                .allow(List.of("s3:DeleteObject"), List.of(objects("models/*/versions/*/approval-token.json")))
                .allow(List.of("s3:ListBucket"), List.of(bucket.getBucketArn()), prefixes("models/*"))
                .allow(List.of("s3:PutObject"), List.of(objects("feedback/*")))
                .allow(List.of("states:SendTaskSuccess", "states:SendTaskFailure"), List.of(training.getStateMachineArn()));
        functions.put(FunctionSpec.REGISTRY_API, registryApi);
        JavaFunction inference = new JavaFunction(this, FunctionSpec.INFERENCE, packages.require(FunctionSpec.INFERENCE),
                environment(FunctionSpec.INFERENCE, inferenceSettings()));
        inference.allow(REGISTRY_READ, List.of(table.getTableArn()))
                // Only the model archives under models/ (not the approval tokens or cards beside them), the native
                // library under runtime/.
                .allow(List.of("s3:GetObject"), List.of(objects("models/*/versions/*/" + ArtifactKeys.MODEL_ARCHIVE),
                        objects("runtime/*")))
                .allow(List.of("s3:PutObject"), List.of(objects("captures/*")));
        functions.put(FunctionSpec.INFERENCE, inference);

        triggers();
        this.api = httpApi();
        outputs();
    }

    // ---------------------------------------------------------------- storage

    private Bucket artifactBucket() {
        Bucket artifacts = Bucket.Builder.create(this, "Artifacts")
                .versioned(true)
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                .lifecycleRules(List.of(
                        LifecycleRule.builder().id("expire-captures").prefix("captures/")
                                .expiration(Duration.days(CAPTURE_EXPIRY_DAYS))
                                .noncurrentVersionExpiration(Duration.days(1)).build(),
                        LifecycleRule.builder().id("archive-to-cold-storage").prefix("archive/")
                                .transitions(List.of(Transition.builder()
                                        .storageClass(StorageClass.GLACIER_INSTANT_RETRIEVAL)
                                        .transitionAfter(Duration.days(ARCHIVE_TRANSITION_DAYS)).build())).build(),
                        // Left over when a large upload dies half-way (see STAGING_PREFIX).
                        LifecycleRule.builder().id("expire-staging").prefix(STAGING_PREFIX)
                                .expiration(Duration.days(1))
                                .abortIncompleteMultipartUploadAfter(Duration.days(1)).build(),
                        LifecycleRule.builder().id("expire-noncurrent-versions")
                                .noncurrentVersionExpiration(Duration.days(NONCURRENT_VERSION_EXPIRY_DAYS))
                                .abortIncompleteMultipartUploadAfter(Duration.days(7)).build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        // EventBridge delivery set on the bucket resource itself: CDK's eventBridgeEnabled prop would add a custom
        // resource whose role may call s3:PutBucketNotification on every bucket ("*").
        CfnBucket cfn = (CfnBucket) artifacts.getNode().getDefaultChild();
        cfn.setNotificationConfiguration(CfnBucket.NotificationConfigurationProperty.builder()
                .eventBridgeConfiguration(CfnBucket.EventBridgeConfigurationProperty.builder()
                        .eventBridgeEnabled(true).build())
                .build());
        return artifacts;
    }

    private Table registryTable() {
        return Table.Builder.create(this, "Registry")
                .partitionKey(Attribute.builder().name(TABLE_PARTITION_KEY).type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name(TABLE_SORT_KEY).type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .encryption(TableEncryption.AWS_MANAGED)
                .deletionProtection(config.tableDeletionProtection())
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    // ---------------------------------------------------------------- functions

    private Map<String, String> environment(FunctionSpec spec, Map<String, String> extra) {
        Map<String, String> env = new TreeMap<>();
        env.put("REGISTRY_TABLE", table.getTableName());
        env.put("ARTIFACT_BUCKET", bucket.getBucketName());
        env.put("POWERTOOLS_SERVICE_NAME", spec.module());
        env.put("POWERTOOLS_METRICS_NAMESPACE", METRICS_NAMESPACE);
        env.put("POWERTOOLS_LOG_LEVEL", "INFO");
        if (!spec.snapStart()) {
            // Short-lived task and API invocations gain more from a fast C1 start than from C2's peak; the SnapStart
            // function keeps full tiered compilation because its priming runs before the snapshot.
            env.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
        }
        env.putAll(extra);
        return env;
    }

    /**
     * Inference's own settings: the model primed before the SnapStart snapshot (the first configured model) and the
     * PyTorch native archive it fetches from {@code runtime/} at init, when one is configured.
     */
    private Map<String, String> inferenceSettings() {
        Map<String, String> env = new TreeMap<>();
        if (!config.models().isEmpty()) {
            env.put("MODEL_NAME", config.models().get(0));
        }
        config.pytorchNative().ifPresent(archive -> {
            env.put("PYTORCH_NATIVE_KEY", archive.key());
            env.put("PYTORCH_NATIVE_SHA256", archive.sha256());
        });
        return env;
    }

    private void grantTaskFunctions() {
        String tableArn = table.getTableArn();
        functions.get(FunctionSpec.TRAINING)
                .allow(REGISTRY_WRITE, List.of(tableArn))
                .allow(List.of("s3:GetObject"), List.of(objects("datasets/*"), objects("retraining/*"), objects("models/*")))
                // datasets/*: a dataset uploaded with another tool gets its SHA-256 recorded by a copy onto itself
                // (ArtifactStore.adopt) before it is read for training.
                .allow(List.of("s3:PutObject"), List.of(objects("models/*"), objects("datasets/*")))
                // The job's raw output and checkpoints are removed once its archive is copied and recorded.
                .allow(List.of("s3:DeleteObject"), List.of(objects("models/*/versions/*/training/*")))
                .allow(STAGING_ACTIONS, List.of(objects(STAGING_PREFIX + "*")))
                .allow(List.of("s3:ListBucket"), List.of(bucket.getBucketArn()), prefixes("datasets/*", "retraining/*", "models/*"));
        functions.get(FunctionSpec.DEPLOYMENT)
                .allow(REGISTRY_WRITE, List.of(tableArn))
                .allow(List.of("cloudwatch:GetMetricData"), List.of("*"));
        // Monitoring reads captures, baselines, model definitions (for labels), ground-truth feedback, the latest
        // dataset (the retraining set joins it with labelled traffic) and its own reports and retraining sets (a
        // retried task finds them), writes drift reports and retraining datasets (under retraining/, outside
        // datasets/, so the upload rule does not start a second pipeline),
        // and publishes the drift and quality metrics.
        functions.get(FunctionSpec.MONITORING)
                .allow(REGISTRY_READ, List.of(tableArn))
                .allow(List.of("s3:GetObject"), List.of(objects("captures/*"), objects("models/*/versions/*/profile.json"),
                        objects("models/*/versions/*/model.json"), objects("feedback/*"), objects("datasets/*"),
                        objects("reports/*"), objects("retraining/*")))
                .allow(List.of("s3:PutObject"), List.of(objects("reports/*"), objects("retraining/*")))
                .allow(STAGING_ACTIONS, List.of(objects(STAGING_PREFIX + "*")))
                .allow(List.of("s3:ListBucket"), List.of(bucket.getBucketArn()), prefixes("captures/*", "datasets/*",
                        "feedback/*", "reports/*", "retraining/*"))
                .allow(List.of("cloudwatch:PutMetricData"), List.of("*"), Map.of("StringEquals",
                        Map.of("cloudwatch:namespace", List.of(DriftAlarms.NAMESPACE, QualityMetrics.NAMESPACE))));
        functions.get(FunctionSpec.RETIREMENT)
                .allow(REGISTRY_WRITE, List.of(tableArn))
                .allow(List.of("s3:GetObject", "s3:DeleteObject"), List.of(objects("models/*")))
                .allow(List.of("s3:PutObject"), List.of(objects("archive/*")))
                .allow(STAGING_ACTIONS, List.of(objects(STAGING_PREFIX + "*")))
                .allow(List.of("s3:ListBucket"), List.of(bucket.getBucketArn()), prefixes("models/*"));
    }

    private String trainingImage() {
        IRepository repository;
        String uri;
        if (config.trainingImageTag().isPresent()) {
            repository = Repository.fromRepositoryName(this, "TrainingImageRepository", config.trainingImageRepository());
            uri = repository.repositoryUriForTag(config.trainingImageTag().get());
        } else {
            // At synthesis CDK only fingerprints and stages the build context; the image is built and pushed by
            // `cdk deploy`, so synthesis needs no Docker engine.
            DockerImageAsset asset = DockerImageAsset.Builder.create(this, "TrainingImage")
                    .directory(config.repoRoot().toString())
                    .file(TRAINING_DOCKERFILE)
                    .exclude(TRAINING_IMAGE_CONTEXT_EXCLUDES)
                    .ignoreMode(IgnoreMode.DOCKER)
                    .platform(Platform.LINUX_AMD64)
                    .build();
            repository = asset.getRepository();
            uri = asset.getImageUri();
        }
        repository.grantPull(sageMakerRole);
        return uri;
    }

    private void grantSageMakerRole() {
        // Channels read datasets, drift retraining sets and models (the model definition, the champion); the job
        // writes its output and checkpoints under models/{model}/versions/{n}/training/.
        sageMakerRole.addToPrincipalPolicy(JavaFunction.statement(List.of("s3:GetObject"),
                List.of(objects("datasets/*"), objects("retraining/*"), objects("models/*")), null));
        sageMakerRole.addToPrincipalPolicy(JavaFunction.statement(List.of("s3:PutObject"),
                List.of(objects("models/*/versions/*/training/*")), null));
        sageMakerRole.addToPrincipalPolicy(JavaFunction.statement(List.of("s3:ListBucket"),
                List.of(bucket.getBucketArn()), prefixes("datasets/*", "retraining/*", "models/*")));
        String logGroup = formatArn(ArnComponents.builder().service("logs").resource("log-group")
                .resourceName("/aws/sagemaker/TrainingJobs:*").arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());
        sageMakerRole.addToPrincipalPolicy(JavaFunction.statement(List.of("logs:CreateLogGroup",
                "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"), List.of(logGroup), null));
        sageMakerRole.addToPrincipalPolicy(JavaFunction.statement(List.of("cloudwatch:PutMetricData"), List.of("*"),
                Map.of("StringEquals", Map.of("cloudwatch:namespace", "/aws/sagemaker/TrainingJobs"))));
    }

    private String alias(FunctionSpec spec) {
        return functions.get(spec).alias().getFunctionArn();
    }

    // ---------------------------------------------------------------- workflows

    private StateMachine stateMachine(Workflow workflow, Map<String, String> available) {
        Path asl = config.repoRoot().resolve(workflow.aslPath());
        Map<String, String> values = new TreeMap<>();
        for (String name : substitutionsIn(asl)) {
            String value = available.get(name);
            if (value == null) {
                throw new IllegalStateException(workflow.aslPath() + " uses ${" + name + "}, which the stack does not "
                        + "provide before this workflow; provided: " + available.keySet()
                        + " (a state machine ARN is provided only after that state machine, which rules out cycles)");
            }
            values.put(name, value);
        }
        substitutions.put(workflow, values);
        String name = stateMachineName(workflow);
        LogGroup logs = LogGroup.Builder.create(this, workflow.constructId() + "WorkflowLogs")
                .logGroupName("/aws/vendedlogs/states/" + name)
                .retention(JavaFunction.LOG_RETENTION)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        return StateMachine.Builder.create(this, workflow.constructId() + "Workflow")
                .stateMachineName(name)
                .stateMachineType(StateMachineType.STANDARD)
                .definitionBody(DefinitionBody.fromFile(asl.toString()))
                .definitionSubstitutions(values)
                .logs(LogOptions.builder().destination(logs).level(LogLevel.ERROR).includeExecutionData(false).build())
                .build();
    }

    /** Every {@code ${Name}} in an ASL file, in order of first use. */
    public static Set<String> substitutionsIn(Path asl) {
        try {
            Matcher m = SUBSTITUTION.matcher(Files.readString(asl));
            Set<String> names = new LinkedHashSet<>();
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read workflow definition " + asl, e);
        }
    }

    private String stateMachineName(Workflow workflow) {
        return getStackName() + "-" + workflow.workflowName();
    }

    private void grantWorkflows() {
        StateMachine deployment = stateMachines.get(Workflow.DEPLOYMENT);
        StateMachine training = stateMachines.get(Workflow.TRAINING_PIPELINE);
        StateMachine drift = stateMachines.get(Workflow.DRIFT_CHECK);
        StateMachine retirement = stateMachines.get(Workflow.RETIREMENT);

        deployment.addToRolePolicy(JavaFunction.statement(INVOKE, List.of(alias(FunctionSpec.DEPLOYMENT)), null));
        retirement.addToRolePolicy(JavaFunction.statement(INVOKE, List.of(alias(FunctionSpec.RETIREMENT)), null));
        drift.addToRolePolicy(JavaFunction.statement(INVOKE, List.of(alias(FunctionSpec.MONITORING)), null));
        // drift-check starts the training pipeline without waiting (states:startExecution).
        drift.addToRolePolicy(JavaFunction.statement(List.of("states:StartExecution"),
                List.of(training.getStateMachineArn()), null));

        training.addToRolePolicy(JavaFunction.statement(INVOKE, List.of(alias(FunctionSpec.TRAINING)), null));
        // sagemaker:createTrainingJob.sync, as the Step Functions developer guide lists it for a job run; the job
        // names are per execution, so the resource is every training job of this account and region.
        String trainingJobs = formatArn(ArnComponents.builder().service("sagemaker").resource("training-job")
                .resourceName("*").arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
        training.addToRolePolicy(JavaFunction.statement(List.of("sagemaker:CreateTrainingJob",
                "sagemaker:DescribeTrainingJob", "sagemaker:StopTrainingJob", "sagemaker:AddTags",
                "sagemaker:ListTags"), List.of(trainingJobs), null));
        training.addToRolePolicy(JavaFunction.statement(List.of("iam:PassRole"), List.of(sageMakerRole.getRoleArn()),
                Map.of("StringEquals", Map.of("iam:PassedToService", "sagemaker.amazonaws.com"))));
        // states:startExecution.sync:2 on the deployment workflow.
        training.addToRolePolicy(JavaFunction.statement(List.of("states:StartExecution"),
                List.of(deployment.getStateMachineArn()), null));
        String deploymentExecutions = formatArn(ArnComponents.builder().service("states").resource("execution")
                .resourceName(stateMachineName(Workflow.DEPLOYMENT) + ":*").arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());
        training.addToRolePolicy(JavaFunction.statement(List.of("states:DescribeExecution", "states:StopExecution"),
                List.of(deploymentExecutions), null));
        // The managed rules through which Step Functions learns that a job or a child execution finished.
        training.addToRolePolicy(JavaFunction.statement(List.of("events:PutTargets", "events:PutRule",
                "events:DescribeRule"), List.of(managedRule("StepFunctionsGetEventsForSageMakerTrainingJobsRule"),
                managedRule("StepFunctionsGetEventsForStepFunctionsExecutionRule")), null));
    }

    private String managedRule(String name) {
        return formatArn(ArnComponents.builder().service("events").resource("rule").resourceName(name)
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
    }

    // ---------------------------------------------------------------- triggers and alarms

    private void triggers() {
        StateMachine training = stateMachines.get(Workflow.TRAINING_PIPELINE);
        StateMachine drift = stateMachines.get(Workflow.DRIFT_CHECK);

        Rule datasetUploaded = Rule.Builder.create(this, "DatasetUploaded")
                .description("A dataset uploaded under datasets/{model}/ starts the training pipeline")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.s3"))
                        .detailType(List.of("Object Created"))
                        // Not CopyObject: recording the SHA-256 of an uploaded dataset (ArtifactStore.adopt) copies
                        // the object onto itself, which must not start a second pipeline.
                        .detail(Map.of(
                                "bucket", Map.of("name", List.of(bucket.getBucketName())),
                                "object", Map.of("key", List.of(Map.of("prefix", "datasets/"))),
                                "reason", List.of(Map.of("anything-but", List.of("CopyObject")))))
                        .build())
                .build();
        datasetUploaded.addTarget(SfnStateMachine.Builder.create(training)
                .input(RuleTargetInput.fromObject(ordered(
                        "datasetKey", EventField.fromPath("$.detail.object.key"),
                        "trigger", "dataset-upload")))
                .build());

        for (String model : config.models()) {
            AlarmDefinition definition = DriftAlarms.driftAlarm(model, null, DriftAlarms.DEFAULT_PERIOD);
            CfnAlarm alarm = AlarmMapping.create(this, "DriftAlarm-" + model, definition,
                    "Share of drifted features of model " + model + " reached the default drift policy's threshold; "
                            + "starts the drift-check workflow");
            // One rule per model with a fixed input: the model is the alarm's, and an input transformer cannot pick
            // one dimension out of the event's metric array.
            Rule onAlarm = Rule.Builder.create(this, "DriftAlarmRule-" + model)
                    .description("Drift alarm of " + model + " in ALARM starts drift-check")
                    .eventPattern(EventPattern.builder()
                            .source(List.of("aws.cloudwatch"))
                            .detailType(List.of("CloudWatch Alarm State Change"))
                            .resources(List.of(alarm.getAttrArn()))
                            .detail(Map.of("state", Map.of("value", List.of("ALARM"))))
                            .build())
                    .build();
            onAlarm.addTarget(SfnStateMachine.Builder.create(drift)
                    .input(RuleTargetInput.fromObject(ordered("model", model, "trigger", "alarm")))
                    .build());
            Rule daily = Rule.Builder.create(this, "DriftSchedule-" + model)
                    .description("Daily drift check of " + model + " over the last day of captures")
                    .schedule(Schedule.rate(Duration.days(1)))
                    .build();
            daily.addTarget(SfnStateMachine.Builder.create(drift)
                    .input(RuleTargetInput.fromObject(ordered("model", model, "trigger", "schedule",
                            "windowMinutes", SCHEDULED_WINDOW_MINUTES)))
                    .build());
        }
    }

    // ---------------------------------------------------------------- HTTP API

    /** One route of the HTTP API. */
    public record Route(HttpMethod method, String path, FunctionSpec target) {
        public boolean predict() {
            return target == FunctionSpec.INFERENCE;
        }
    }

    /** Every route: management routes go to the registry API, predict routes to inference. */
    public static final List<Route> ROUTES = List.of(
            new Route(HttpMethod.POST, "/models", FunctionSpec.REGISTRY_API),
            new Route(HttpMethod.GET, "/models", FunctionSpec.REGISTRY_API),
            new Route(HttpMethod.GET, "/models/{name}", FunctionSpec.REGISTRY_API),
            new Route(HttpMethod.POST, "/models/{name}/versions", FunctionSpec.REGISTRY_API),
            new Route(HttpMethod.GET, "/models/{name}/versions", FunctionSpec.REGISTRY_API),
            new Route(HttpMethod.GET, "/models/{name}/versions/{v}", FunctionSpec.REGISTRY_API),
            new Route(HttpMethod.POST, "/models/{name}/versions/{v}/approve", FunctionSpec.REGISTRY_API),
            new Route(HttpMethod.POST, "/models/{name}/versions/{v}/reject", FunctionSpec.REGISTRY_API),
            new Route(HttpMethod.PUT, "/models/{name}/aliases/{alias}", FunctionSpec.REGISTRY_API),
            new Route(HttpMethod.DELETE, "/models/{name}/aliases/{alias}", FunctionSpec.REGISTRY_API),
            new Route(HttpMethod.GET, "/models/{name}/audit", FunctionSpec.REGISTRY_API),
            new Route(HttpMethod.GET, "/models/{name}/audit/verify", FunctionSpec.REGISTRY_API),
            new Route(HttpMethod.POST, "/models/{name}/feedback", FunctionSpec.REGISTRY_API),
            new Route(HttpMethod.POST, "/models/{name}/predict", FunctionSpec.INFERENCE),
            new Route(HttpMethod.POST, "/models/{name}/versions/{v}/predict", FunctionSpec.INFERENCE));

    private HttpApi httpApi() {
        HttpApi http = HttpApi.Builder.create(this, "Api")
                .apiName(getStackName() + "-api")
                .description("ModelCycle registry and predictions")
                .createDefaultStage(true)
                .build();
        Map<FunctionSpec, HttpLambdaIntegration> integrations = new EnumMap<>(FunctionSpec.class);
        integrations.put(FunctionSpec.REGISTRY_API,
                new HttpLambdaIntegration("RegistryApiIntegration", functions.get(FunctionSpec.REGISTRY_API).alias()));
        integrations.put(FunctionSpec.INFERENCE,
                new HttpLambdaIntegration("InferenceIntegration", functions.get(FunctionSpec.INFERENCE).alias()));
        IHttpRouteAuthorizer iam = new HttpIamAuthorizer();
        IHttpRouteAuthorizer predictAuthorizer = config.predictAuthorization() == PredictAuthorization.IAM
                ? iam : new HttpNoneAuthorizer();
        for (Route route : ROUTES) {
            http.addRoutes(AddRoutesOptions.builder()
                    .path(route.path())
                    .methods(List.of(route.method()))
                    .integration(integrations.get(route.target()))
                    .authorizer(route.predict() ? predictAuthorizer : iam)
                    .build());
        }
        LogGroup accessLogs = LogGroup.Builder.create(this, "ApiAccessLogs")
                .retention(JavaFunction.LOG_RETENTION)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        CfnStage stage = (CfnStage) http.getDefaultStage().getNode().getDefaultChild();
        stage.setAccessLogSettings(CfnStage.AccessLogSettingsProperty.builder()
                .destinationArn(accessLogs.getLogGroupArn())
                .format(toJsonString(ordered(
                        "requestId", "$context.requestId",
                        "routeKey", "$context.routeKey",
                        "status", "$context.status",
                        "caller", "$context.identity.caller",
                        "latencyMs", "$context.responseLatency",
                        "integrationError", "$context.integrationErrorMessage")))
                .build());
        // A ceiling for every route, so an open predict route cannot run up an unbounded bill.
        stage.setDefaultRouteSettings(CfnStage.RouteSettingsProperty.builder()
                .throttlingRateLimit(API_RATE_LIMIT).throttlingBurstLimit(API_BURST_LIMIT).build());
        return http;
    }

    private void outputs() {
        CfnOutput.Builder.create(this, "ApiUrl").value(api.getApiEndpoint()).description("HTTP API endpoint").build();
        CfnOutput.Builder.create(this, "ArtifactBucketName").value(bucket.getBucketName()).build();
        CfnOutput.Builder.create(this, "RegistryTableName").value(table.getTableName()).build();
        for (Map.Entry<Workflow, StateMachine> e : stateMachines.entrySet()) {
            CfnOutput.Builder.create(this, e.getKey().constructId() + "StateMachineArn")
                    .value(e.getValue().getStateMachineArn()).build();
        }
    }

    // ---------------------------------------------------------------- helpers

    private String objects(String keyPattern) {
        return bucket.arnForObjects(keyPattern);
    }

    /** A map that keeps the order given, so inputs and log formats read the same in every synthesis. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static Map<String, Object> prefixes(String... patterns) {
        return Map.of("StringLike", Map.of("s3:prefix", List.of(patterns)));
    }

    private static String pascal(Workflow workflow) {
        return workflow.constructId();
    }

    public StackConfig config() {
        return config;
    }

    public Map<FunctionSpec, JavaFunction> functions() {
        return Map.copyOf(functions);
    }

    /** The substitutions each workflow was deployed with: name → value (tokens until deploy time). */
    public Map<Workflow, Map<String, String>> substitutions() {
        return Map.copyOf(substitutions);
    }

    public String trainingImageUri() {
        return trainingImageUri;
    }
}
