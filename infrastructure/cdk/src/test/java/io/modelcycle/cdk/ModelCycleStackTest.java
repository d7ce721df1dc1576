package io.modelcycle.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.metrics.AlarmDefinition;
import io.modelcycle.core.metrics.DriftAlarms;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** Template tests of the default stack (models churn and fraud): every resource property the issue asks for. */
class ModelCycleStackTest {

    private static TestStacks.Synthesized synthesized;
    private static Template template;
    private static TemplateJson json;

    @BeforeAll
    static void synthesize() {
        // GIVEN the default configuration WHEN the app is synthesized
        synthesized = TestStacks.defaults();
        template = synthesized.template();
        json = new TemplateJson(synthesized.json());
    }

    @Test
    void artifactBucketIsVersionedEncryptedPrivateAndSendsEventsToEventBridge() {
        template.resourceCountIs("AWS::S3::Bucket", 1);
        template.hasResource("AWS::S3::Bucket", Map.of("DeletionPolicy", "Retain"));
        template.hasResourceProperties("AWS::S3::Bucket", Map.of(
                "VersioningConfiguration", Map.of("Status", "Enabled"),
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(
                        Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "OwnershipControls", Map.of("Rules", List.of(Map.of("ObjectOwnership", "BucketOwnerEnforced"))),
                "NotificationConfiguration", Map.of("EventBridgeConfiguration", Map.of("EventBridgeEnabled", true))));
        // No custom resource does what CloudFormation does natively.
        template.resourceCountIs("Custom::S3BucketNotifications", 0);
    }

    @Test
    void artifactBucketExpiresCapturesAndStagingAndMovesTheArchiveToColdStorage() {
        template.hasResourceProperties("AWS::S3::Bucket", Map.of("LifecycleConfiguration", Map.of("Rules", Match.arrayWith(List.of(
                Match.objectLike(Map.of("Id", "expire-captures", "Prefix", "captures/", "Status", "Enabled",
                        "ExpirationInDays", ModelCycleStack.CAPTURE_EXPIRY_DAYS)),
                Match.objectLike(Map.of("Id", "archive-to-cold-storage", "Prefix", "archive/", "Status", "Enabled",
                        "Transitions", List.of(Map.of("StorageClass", "GLACIER_IR",
                                "TransitionInDays", ModelCycleStack.ARCHIVE_TRANSITION_DAYS)))),
                Match.objectLike(Map.of("Id", "expire-staging", "Prefix", ".modelcycle-staging/", "Status", "Enabled",
                        "ExpirationInDays", 1,
                        "AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 1))))))));
    }

    @Test
    void bucketPolicyRefusesEveryRequestWithoutTls() {
        String bucket = json.onlyId("AWS::S3::Bucket");
        template.hasResourceProperties("AWS::S3::BucketPolicy", Map.of(
                "Bucket", Map.of("Ref", bucket),
                "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny",
                        "Action", "s3:*",
                        "Principal", Map.of("AWS", "*"),
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
    }

    @Test
    void registryTableIsOnDemandWithRecoveryEncryptionAndDeletionProtection() {
        template.resourceCountIs("AWS::DynamoDB::Table", 1);
        template.hasResource("AWS::DynamoDB::Table", Map.of("DeletionPolicy", "Retain"));
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "BillingMode", "PAY_PER_REQUEST",
                "KeySchema", List.of(Map.of("AttributeName", "pk", "KeyType", "HASH"),
                        Map.of("AttributeName", "sk", "KeyType", "RANGE")),
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                "SSESpecification", Map.of("SSEEnabled", true),
                "DeletionProtectionEnabled", true));
    }

    @Test
    void everyStageHasOneJava21FunctionOnX8664WithItsHandlerMemoryTimeoutAndLogGroup() {
        template.resourceCountIs("AWS::Lambda::Function", FunctionSpec.values().length);
        for (FunctionSpec spec : FunctionSpec.values()) {
            String id = json.functionId(spec);
            JsonNode p = json.resource(id).get("Properties");
            assertThat(p.get("Runtime").asText()).as(spec.module()).isEqualTo("java21");
            assertThat(p.get("Architectures").get(0).asText()).as(spec.module()).isEqualTo("x86_64");
            assertThat(p.get("MemorySize").asInt()).as(spec.module()).isEqualTo(spec.memoryMb());
            assertThat(p.get("Timeout").asInt()).as(spec.module()).isEqualTo(spec.timeoutSeconds());
            assertThat(p.get("EphemeralStorage").get("Size").asInt()).as(spec.module()).isEqualTo(spec.ephemeralStorageMb());
            String logGroup = TemplateJson.target(p.get("LoggingConfig").get("LogGroup"));
            assertThat(json.resource(logGroup).get("Type").asText()).isEqualTo("AWS::Logs::LogGroup");
            assertThat(json.resource(logGroup).get("Properties").get("RetentionInDays").asInt()).as(spec.module()).isEqualTo(30);
        }
    }

    @Test
    void functionsGetTheEnvironmentTheirHandlersRead() {
        String table = json.onlyId("AWS::DynamoDB::Table");
        String bucket = json.onlyId("AWS::S3::Bucket");
        for (FunctionSpec spec : FunctionSpec.values()) {
            template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "Handler", spec.handlerClass(),
                    "Environment", Map.of("Variables", Match.objectLike(Map.of(
                            "REGISTRY_TABLE", Map.of("Ref", table),
                            "ARTIFACT_BUCKET", Map.of("Ref", bucket),
                            "POWERTOOLS_SERVICE_NAME", spec.module(),
                            "POWERTOOLS_METRICS_NAMESPACE", "ModelCycle")))));
        }
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", FunctionSpec.TRAINING.handlerClass(),
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "TRAINING_IMAGE_URI", Match.anyValue(),
                        "JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1")))));
        String trainingPipeline = json.stateMachineId(Workflow.TRAINING_PIPELINE);
        JsonNode registryEnv = json.resource(json.functionId(FunctionSpec.REGISTRY_API)).get("Properties")
                .get("Environment").get("Variables");
        assertThat(registryEnv.get("REGISTRY_STORE").asText()).isEqualTo("dynamodb");
        assertThat(TemplateJson.render(registryEnv.get("STATE_MACHINE_ARNS"), Map.of()))
                .isEqualTo("{\"training-pipeline\":\"${" + trainingPipeline + "}\"}");
    }

    @Test
    void inferenceUsesSnapStartOnPublishedVersionsBehindTheLiveAlias() {
        String inference = json.functionId(FunctionSpec.INFERENCE);
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", FunctionSpec.INFERENCE.handlerClass(),
                "SnapStart", Map.of("ApplyOn", "PublishedVersions")));
        JsonNode version = json.ofType("AWS::Lambda::Version").values().stream()
                .filter(v -> v.get("Properties").get("FunctionName").get("Ref").asText().equals(inference))
                .findFirst().orElseThrow();
        assertThat(version).isNotNull();
        template.hasResourceProperties("AWS::Lambda::Alias", Map.of(
                "Name", "live",
                "FunctionName", Map.of("Ref", inference),
                "FunctionVersion", Match.objectLike(Map.of("Fn::GetAtt", Match.arrayWith(List.of("Version"))))));
        // The other functions do not snapshot.
        for (FunctionSpec spec : FunctionSpec.values()) {
            if (!spec.snapStart()) {
                assertThat(json.resource(json.functionId(spec)).get("Properties").has("SnapStart")).as(spec.module()).isFalse();
            }
        }
    }

    @Test
    void everyFunctionHasALiveAliasOnItsCurrentVersion() {
        template.resourceCountIs("AWS::Lambda::Alias", FunctionSpec.values().length);
        template.resourceCountIs("AWS::Lambda::Version", FunctionSpec.values().length);
        for (FunctionSpec spec : FunctionSpec.values()) {
            template.hasResourceProperties("AWS::Lambda::Alias", Map.of(
                    "Name", JavaFunction.ALIAS, "FunctionName", Map.of("Ref", json.functionId(spec))));
        }
    }

    @Test
    void everyWorkflowIsAStandardStateMachineFromItsAslFileWithLogging() {
        template.resourceCountIs("AWS::StepFunctions::StateMachine", Workflow.values().length);
        for (Workflow workflow : Workflow.values()) {
            JsonNode p = json.resource(json.stateMachineId(workflow)).get("Properties");
            assertThat(p.get("StateMachineType").asText()).isEqualTo("STANDARD");
            assertThat(p.has("DefinitionS3Location") || p.has("DefinitionString")).as(workflow.workflowName()).isTrue();
            assertThat(p.get("LoggingConfiguration").get("Level").asText()).isEqualTo("ERROR");
            String logGroup = TemplateJson.target(p.get("LoggingConfiguration").get("Destinations").get(0)
                    .get("CloudWatchLogsLogGroup").get("LogGroupArn"));
            assertThat(json.resource(logGroup).get("Properties").get("RetentionInDays").asInt()).isEqualTo(30);
        }
    }

    @Test
    void workflowsCallTheLiveAliasesAndEachOther() {
        Map<String, String> expected = Map.of(
                "DeploymentFunctionArn", aliasOf(FunctionSpec.DEPLOYMENT),
                "TrainingFunctionArn", aliasOf(FunctionSpec.TRAINING),
                "MonitoringFunctionArn", aliasOf(FunctionSpec.MONITORING),
                "RetirementFunctionArn", aliasOf(FunctionSpec.RETIREMENT),
                "DeploymentStateMachineArn", json.stateMachineId(Workflow.DEPLOYMENT),
                "TrainingPipelineStateMachineArn", json.stateMachineId(Workflow.TRAINING_PIPELINE));
        for (Workflow workflow : Workflow.values()) {
            JsonNode subs = json.resource(json.stateMachineId(workflow)).get("Properties").get("DefinitionSubstitutions");
            subs.fieldNames().forEachRemaining(name -> {
                if (expected.containsKey(name)) {
                    assertThat(subs.get(name).get("Ref").asText()).as(workflow.workflowName() + " ${" + name + "}")
                            .isEqualTo(expected.get(name));
                }
            });
        }
        JsonNode training = json.resource(json.stateMachineId(Workflow.TRAINING_PIPELINE)).get("Properties").get("DefinitionSubstitutions");
        assertThat(training.get("TrainingInstanceType").asText()).isEqualTo("ml.g5.xlarge");
        assertThat(TemplateJson.target(training.get("SageMakerRoleArn"))).isEqualTo(sageMakerRole());
        assertThat(training.get("ArtifactBucket").get("Ref").asText()).isEqualTo(json.onlyId("AWS::S3::Bucket"));
        // The image URI points at the CDK container-asset repository, tagged with the asset's hash.
        assertThat(TemplateJson.render(training.get("TrainingImageUri"), Map.of()))
                .contains(".dkr.ecr.").contains("cdk-hnb659fds-container-assets-").matches(".*:[0-9a-f]{64}$");
    }

    @Test
    void sageMakerRoleIsAssumedBySageMakerOnly() {
        template.hasResourceProperties("AWS::IAM::Role", Map.of(
                "AssumeRolePolicyDocument", Map.of("Statement", List.of(Map.of(
                        "Action", "sts:AssumeRole", "Effect", "Allow",
                        "Principal", Map.of("Service", "sagemaker.amazonaws.com"))))));
    }

    @Test
    void datasetUploadStartsTheTrainingPipelineWithTheKey() {
        String bucket = json.onlyId("AWS::S3::Bucket");
        String training = json.stateMachineId(Workflow.TRAINING_PIPELINE);
        template.hasResourceProperties("AWS::Events::Rule", Map.of(
                "EventPattern", Map.of(
                        "source", List.of("aws.s3"),
                        "detail-type", List.of("Object Created"),
                        "detail", Map.of("bucket", Map.of("name", List.of(Map.of("Ref", bucket))),
                                "object", Map.of("key", List.of(Map.of("prefix", "datasets/"))),
                                "reason", List.of(Map.of("anything-but", List.of("CopyObject"))))),
                "State", "ENABLED",
                "Targets", List.of(Match.objectLike(Map.of(
                        "Arn", Map.of("Ref", training),
                        "InputTransformer", Map.of(
                                "InputPathsMap", Map.of("detail-object-key", "$.detail.object.key"),
                                "InputTemplate", "{\"datasetKey\":<detail-object-key>,\"trigger\":\"dataset-upload\"}"))))));
    }

    @Test
    void eachModelHasADriftAlarmBuiltFromCoresDefinition() {
        template.resourceCountIs("AWS::CloudWatch::Alarm", TestStacks.MODELS.size());
        for (String model : TestStacks.MODELS) {
            AlarmDefinition d = DriftAlarms.driftAlarm(model, null, DriftAlarms.DEFAULT_PERIOD);
            template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.ofEntries(
                    Map.entry("AlarmName", "modelcycle-drift-" + model),
                    Map.entry("Namespace", "modelcycle/drift"),
                    Map.entry("MetricName", "DriftedShare"),
                    Map.entry("Dimensions", List.of(Map.of("Name", "model", "Value", model))),
                    Map.entry("Statistic", "Maximum"),
                    Map.entry("Period", 3600),
                    Map.entry("Threshold", d.threshold()),
                    Map.entry("ComparisonOperator", "GreaterThanOrEqualToThreshold"),
                    Map.entry("EvaluationPeriods", 1),
                    Map.entry("DatapointsToAlarm", 1),
                    Map.entry("TreatMissingData", "notBreaching")));
        }
    }

    @Test
    void aDriftAlarmGoingToAlarmStartsDriftCheckForItsModel() {
        String drift = json.stateMachineId(Workflow.DRIFT_CHECK);
        for (String model : TestStacks.MODELS) {
            String alarm = json.ofType("AWS::CloudWatch::Alarm").entrySet().stream()
                    .filter(e -> e.getValue().get("Properties").get("AlarmName").asText().equals("modelcycle-drift-" + model))
                    .map(Map.Entry::getKey).findFirst().orElseThrow();
            template.hasResourceProperties("AWS::Events::Rule", Map.of(
                    "EventPattern", Map.of(
                            "source", List.of("aws.cloudwatch"),
                            "detail-type", List.of("CloudWatch Alarm State Change"),
                            "resources", List.of(Map.of("Fn::GetAtt", List.of(alarm, "Arn"))),
                            "detail", Map.of("state", Map.of("value", List.of("ALARM")))),
                    "Targets", List.of(Match.objectLike(Map.of(
                            "Arn", Map.of("Ref", drift),
                            "Input", Match.serializedJson(Map.of("model", model, "trigger", "alarm")))))));
        }
    }

    @Test
    void eachModelIsCheckedForDriftDaily() {
        String drift = json.stateMachineId(Workflow.DRIFT_CHECK);
        for (String model : TestStacks.MODELS) {
            template.hasResourceProperties("AWS::Events::Rule", Map.of(
                    "ScheduleExpression", "rate(1 day)",
                    "Targets", List.of(Match.objectLike(Map.of(
                            "Arn", Map.of("Ref", drift),
                            "Input", Match.serializedJson(Map.of("model", model, "trigger", "schedule",
                                    "windowMinutes", ModelCycleStack.SCHEDULED_WINDOW_MINUTES)))))));
        }
        // 1 dataset rule + per model an alarm rule and a schedule.
        template.resourceCountIs("AWS::Events::Rule", 1 + 2 * TestStacks.MODELS.size());
    }

    @Test
    void everyApiRouteExistsAndManagementRoutesRequireIam() {
        template.resourceCountIs("AWS::ApiGatewayV2::Api", 1);
        template.hasResourceProperties("AWS::ApiGatewayV2::Api", Map.of("ProtocolType", "HTTP"));
        template.resourceCountIs("AWS::ApiGatewayV2::Route", ModelCycleStack.ROUTES.size());
        for (ModelCycleStack.Route route : ModelCycleStack.ROUTES) {
            template.hasResourceProperties("AWS::ApiGatewayV2::Route", Map.of(
                    "RouteKey", route.method().name() + " " + route.path(),
                    "AuthorizationType", "AWS_IAM"));
        }
        template.hasResourceProperties("AWS::ApiGatewayV2::Integration", Map.of(
                "IntegrationType", "AWS_PROXY", "PayloadFormatVersion", "2.0",
                "IntegrationUri", Map.of("Ref", aliasOf(FunctionSpec.REGISTRY_API))));
        template.hasResourceProperties("AWS::ApiGatewayV2::Integration", Map.of(
                "IntegrationType", "AWS_PROXY", "PayloadFormatVersion", "2.0",
                "IntegrationUri", Map.of("Ref", aliasOf(FunctionSpec.INFERENCE))));
    }

    @Test
    void apiAccessLogsGoToALogGroupWithRetentionAndRoutesAreThrottled() {
        JsonNode stage = json.ofType("AWS::ApiGatewayV2::Stage").values().iterator().next().get("Properties");
        assertThat(stage.get("StageName").asText()).isEqualTo("$default");
        String logGroup = TemplateJson.target(stage.get("AccessLogSettings").get("DestinationArn"));
        assertThat(json.resource(logGroup).get("Properties").get("RetentionInDays").asInt()).isEqualTo(30);
        assertThat(stage.get("AccessLogSettings").get("Format").asText()).contains("$context.requestId");
        assertThat(stage.get("DefaultRouteSettings").get("ThrottlingRateLimit").asInt()).isEqualTo(ModelCycleStack.API_RATE_LIMIT);
        assertThat(stage.get("DefaultRouteSettings").get("ThrottlingBurstLimit").asInt()).isEqualTo(ModelCycleStack.API_BURST_LIMIT);
    }

    @Test
    void everyLogGroupHasARetention() {
        assertThat(json.ofType("AWS::Logs::LogGroup")).hasSize(FunctionSpec.values().length + Workflow.values().length + 1)
                .allSatisfy((id, group) -> assertThat(group.get("Properties").has("RetentionInDays")).as(id).isTrue());
        // No function relies on Lambda creating an unbounded /aws/lambda/... group, and no LogRetention custom resource.
        template.resourceCountIs("Custom::LogRetention", 0);
    }

    @Test
    void theOnlyLambdaFunctionsAreModelCyclesOwn() {
        // A CDK helper function (custom resource provider) would add a seventh function with its own broad role.
        assertThat(json.ofType("AWS::Lambda::Function").values())
                .allSatisfy(f -> assertThat(f.get("Properties").get("Handler").asText()).startsWith("io.modelcycle."));
    }

    private static String aliasOf(FunctionSpec spec) {
        String function = json.functionId(spec);
        return json.ofType("AWS::Lambda::Alias").entrySet().stream()
                .filter(e -> e.getValue().get("Properties").get("FunctionName").get("Ref").asText().equals(function))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    private static String sageMakerRole() {
        return json.ofType("AWS::IAM::Role").entrySet().stream()
                .filter(e -> e.getValue().get("Properties").get("AssumeRolePolicyDocument").toString().contains("sagemaker.amazonaws.com"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }
}
