package io.modelcycle.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every role in the template gets exactly the grants its component uses, written out here line by line (action and
 * resource), so a grant added without a reason fails the build; no action is a wildcard, and a {@code *} resource is
 * allowed only for the actions in {@link WildcardResources}.
 */
class LeastPrivilegeTest {

    private static TemplateJson json;
    private static Map<String, String> names;

    @BeforeAll
    static void synthesize() {
        json = new TemplateJson(TestStacks.defaults().json());
        names = new HashMap<>();
        names.put(json.onlyId("AWS::S3::Bucket"), "BUCKET");
        names.put(json.onlyId("AWS::DynamoDB::Table"), "TABLE");
        for (Workflow w : Workflow.values()) {
            names.put(json.stateMachineId(w), w.constructId() + "Workflow");
        }
        for (FunctionSpec spec : FunctionSpec.values()) {
            String function = json.functionId(spec);
            json.ofType("AWS::Lambda::Alias").forEach((id, alias) -> {
                if (alias.get("Properties").get("FunctionName").get("Ref").asText().equals(function)) {
                    names.put(id, spec.constructId() + "Alias");
                }
            });
        }
        names.put(sageMakerRoleId(), "SAGEMAKER_ROLE");
    }

    @Test
    void noActionIsAWildcard() {
        for (JsonNode statement : json.allStatements()) {
            assertThat(TemplateJson.list(statement.get("Action"))).as(statement.toString())
                    .allSatisfy(action -> assertThat(action).doesNotContain("*"));
        }
    }

    @Test
    void noRoleCarriesAManagedPolicy() {
        // AWS managed policies (e.g. AWSLambdaBasicExecutionRole) grant on "*"; every grant here is written out.
        assertThat(json.ofType("AWS::IAM::Role")).isNotEmpty().allSatisfy((id, role) ->
                assertThat(role.get("Properties").has("ManagedPolicyArns")).as(id).isFalse());
        assertThat(json.ofType("AWS::IAM::ManagedPolicy")).isEmpty();
    }

    @Test
    void aStarResourceIsGrantedOnlyForAllowlistedActions() {
        Set<String> used = new HashSet<>();
        for (JsonNode statement : json.allStatements()) {
            boolean star = TemplateJson.nodes(statement.get("Resource")).stream()
                    .anyMatch(r -> r.isTextual() && r.asText().equals("*"));
            if (star) {
                List<String> actions = TemplateJson.list(statement.get("Action"));
                assertThat(WildcardResources.ALLOWED).as("actions granted on * in " + statement)
                        .containsKeys(actions.toArray(String[]::new));
                used.addAll(actions);
            }
        }
        // Every entry of the allowlist is still needed: a stale reason would hide the next real one.
        assertThat(used).containsExactlyInAnyOrderElementsOf(WildcardResources.ALLOWED.keySet());
    }

    @Test
    void inferenceReadsModelsAndRuntimeWritesCapturesAndNothingMore() {
        assertThat(grantsOfFunction(FunctionSpec.INFERENCE)).containsExactlyInAnyOrder(
                "logs:CreateLogStream ${LOGS.Arn}",
                "logs:PutLogEvents ${LOGS.Arn}",
                "dynamodb:GetItem ${TABLE.Arn}",
                "dynamodb:Query ${TABLE.Arn}",
                "s3:GetObject ${BUCKET.Arn}/models/*/versions/*/model.tar.gz",
                "s3:GetObject ${BUCKET.Arn}/runtime/*",
                "s3:PutObject ${BUCKET.Arn}/captures/*");
    }

    @Test
    void registryApiWritesTheRegistryAndFeedbackAndAnswersApprovalTokensOfTheTrainingPipeline() {
        assertThat(grantsOfFunction(FunctionSpec.REGISTRY_API)).containsExactlyInAnyOrder(concat(
                logs(), registryWrite(),
                List.of("s3:GetObject ${BUCKET.Arn}/models/*/versions/*/model.json",
                        "s3:GetObject ${BUCKET.Arn}/models/*/versions/*/approval-token.json",
                        "s3:DeleteObject ${BUCKET.Arn}/models/*/versions/*/approval-token.json",
                        "s3:ListBucket ${BUCKET.Arn} if {StringLike={s3:prefix=[models/*]}}",
                        "s3:PutObject ${BUCKET.Arn}/feedback/*",
                        "states:SendTaskSuccess ${TrainingPipelineWorkflow}",
                        "states:SendTaskFailure ${TrainingPipelineWorkflow}")));
    }

    @Test
    void trainingReadsDatasetsAndModelsAndWritesModels() {
        assertThat(grantsOfFunction(FunctionSpec.TRAINING)).containsExactlyInAnyOrder(concat(
                logs(), registryWrite(), List.of(
                        "s3:GetObject ${BUCKET.Arn}/datasets/*",
                        "s3:GetObject ${BUCKET.Arn}/retraining/*",
                        "s3:GetObject ${BUCKET.Arn}/models/*",
                        "s3:PutObject ${BUCKET.Arn}/models/*",
                        "s3:PutObject ${BUCKET.Arn}/datasets/*",
                        "s3:DeleteObject ${BUCKET.Arn}/models/*/versions/*/training/*",
                        "s3:ListBucket ${BUCKET.Arn} if {StringLike={s3:prefix=[datasets/*, retraining/*, models/*]}}"), staging()));
    }

    @Test
    void deploymentWritesTheRegistryAndReadsMetrics() {
        assertThat(grantsOfFunction(FunctionSpec.DEPLOYMENT)).containsExactlyInAnyOrder(concat(
                logs(), registryWrite(), List.of("cloudwatch:GetMetricData *")));
    }

    @Test
    void monitoringReadsCapturesBaselinesAndFeedbackWritesReportsAndRetrainingSetsAndPublishesDriftMetrics() {
        assertThat(grantsOfFunction(FunctionSpec.MONITORING)).containsExactlyInAnyOrder(concat(
                logs(), List.of(
                        "dynamodb:GetItem ${TABLE.Arn}",
                        "dynamodb:Query ${TABLE.Arn}",
                        "s3:GetObject ${BUCKET.Arn}/captures/*",
                        "s3:GetObject ${BUCKET.Arn}/models/*/versions/*/profile.json",
                        "s3:GetObject ${BUCKET.Arn}/models/*/versions/*/model.json",
                        "s3:GetObject ${BUCKET.Arn}/feedback/*",
                        "s3:GetObject ${BUCKET.Arn}/datasets/*",
                        "s3:GetObject ${BUCKET.Arn}/reports/*",
                        "s3:GetObject ${BUCKET.Arn}/retraining/*",
                        "s3:PutObject ${BUCKET.Arn}/reports/*",
                        "s3:PutObject ${BUCKET.Arn}/retraining/*",
                        "s3:ListBucket ${BUCKET.Arn} if {StringLike={s3:prefix=[captures/*, datasets/*, feedback/*, reports/*, retraining/*]}}",
                        "cloudwatch:PutMetricData * if {StringEquals={cloudwatch:namespace=[modelcycle/drift, modelcycle/quality]}}"),
                staging()));
    }

    @Test
    void retirementMovesModelsToTheArchive() {
        assertThat(grantsOfFunction(FunctionSpec.RETIREMENT)).containsExactlyInAnyOrder(concat(
                logs(), registryWrite(), List.of(
                        "s3:GetObject ${BUCKET.Arn}/models/*",
                        "s3:DeleteObject ${BUCKET.Arn}/models/*",
                        "s3:PutObject ${BUCKET.Arn}/archive/*",
                        "s3:ListBucket ${BUCKET.Arn} if {StringLike={s3:prefix=[models/*]}}"), staging()));
    }

    @Test
    void trainingPipelineRunsSageMakerJobsAndTheDeploymentWorkflowSynchronously() {
        String account = "${AWS::Partition}:%s:${AWS::Region}:${AWS::AccountId}";
        assertThat(grantsOfWorkflow(Workflow.TRAINING_PIPELINE)).containsExactlyInAnyOrder(concat(
                vendedLogDelivery(), List.of(
                        "lambda:InvokeFunction ${TrainingAlias}",
                        "sagemaker:CreateTrainingJob arn:" + account.formatted("sagemaker") + ":training-job/*",
                        "sagemaker:DescribeTrainingJob arn:" + account.formatted("sagemaker") + ":training-job/*",
                        "sagemaker:StopTrainingJob arn:" + account.formatted("sagemaker") + ":training-job/*",
                        "sagemaker:AddTags arn:" + account.formatted("sagemaker") + ":training-job/*",
                        "sagemaker:ListTags arn:" + account.formatted("sagemaker") + ":training-job/*",
                        "iam:PassRole ${SAGEMAKER_ROLE.Arn} if {StringEquals={iam:PassedToService=sagemaker.amazonaws.com}}",
                        "states:StartExecution ${DeploymentWorkflow}",
                        "states:DescribeExecution arn:" + account.formatted("states") + ":execution:ModelCycle-deployment:*",
                        "states:StopExecution arn:" + account.formatted("states") + ":execution:ModelCycle-deployment:*",
                        "events:PutTargets arn:" + account.formatted("events") + ":rule/StepFunctionsGetEventsForSageMakerTrainingJobsRule",
                        "events:PutRule arn:" + account.formatted("events") + ":rule/StepFunctionsGetEventsForSageMakerTrainingJobsRule",
                        "events:DescribeRule arn:" + account.formatted("events") + ":rule/StepFunctionsGetEventsForSageMakerTrainingJobsRule",
                        "events:PutTargets arn:" + account.formatted("events") + ":rule/StepFunctionsGetEventsForStepFunctionsExecutionRule",
                        "events:PutRule arn:" + account.formatted("events") + ":rule/StepFunctionsGetEventsForStepFunctionsExecutionRule",
                        "events:DescribeRule arn:" + account.formatted("events") + ":rule/StepFunctionsGetEventsForStepFunctionsExecutionRule")));
    }

    @Test
    void otherWorkflowsInvokeOnlyTheirOwnFunctionAndDriftCheckStartsTraining() {
        assertThat(grantsOfWorkflow(Workflow.DEPLOYMENT)).containsExactlyInAnyOrder(concat(
                vendedLogDelivery(), List.of("lambda:InvokeFunction ${DeploymentAlias}")));
        assertThat(grantsOfWorkflow(Workflow.RETIREMENT)).containsExactlyInAnyOrder(concat(
                vendedLogDelivery(), List.of("lambda:InvokeFunction ${RetirementAlias}")));
        assertThat(grantsOfWorkflow(Workflow.DRIFT_CHECK)).containsExactlyInAnyOrder(concat(
                vendedLogDelivery(), List.of("lambda:InvokeFunction ${MonitoringAlias}",
                        "states:StartExecution ${TrainingPipelineWorkflow}")));
    }

    @Test
    void sageMakerAndTrainingCanReadEveryPlaceATrainChannelComesFrom() {
        // A train channel is an upload (datasets/{model}/) or a drift check's retraining set (retraining/{model}/):
        // derived from the key layout itself, so moving a prefix without its grant fails here.
        for (String prefix : List.of(io.modelcycle.core.artifact.ArtifactKeys.datasetPrefix("m"),
                io.modelcycle.core.artifact.ArtifactKeys.retrainingPrefix("m"))) {
            String grant = "s3:GetObject ${BUCKET.Arn}/" + prefix.substring(0, prefix.indexOf('/') + 1) + "*";
            assertThat(json.grantsOf(sageMakerRoleId(), names)).as("SageMaker role").contains(grant);
            assertThat(grantsOfFunction(FunctionSpec.TRAINING)).as("training function").contains(grant);
        }
    }

    @Test
    void sageMakerReadsDatasetsAndModelsWritesTrainingOutputAndPullsTheImage() {
        assertThat(json.grantsOf(sageMakerRoleId(), names)).containsExactlyInAnyOrder(
                "s3:GetObject ${BUCKET.Arn}/datasets/*",
                "s3:GetObject ${BUCKET.Arn}/retraining/*",
                "s3:GetObject ${BUCKET.Arn}/models/*",
                "s3:PutObject ${BUCKET.Arn}/models/*/versions/*/training/*",
                "s3:ListBucket ${BUCKET.Arn} if {StringLike={s3:prefix=[datasets/*, retraining/*, models/*]}}",
                "logs:CreateLogGroup arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/sagemaker/TrainingJobs:*",
                "logs:CreateLogStream arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/sagemaker/TrainingJobs:*",
                "logs:PutLogEvents arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/sagemaker/TrainingJobs:*",
                "logs:DescribeLogStreams arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/sagemaker/TrainingJobs:*",
                "cloudwatch:PutMetricData * if {StringEquals={cloudwatch:namespace=/aws/sagemaker/TrainingJobs}}",
                "ecr:GetAuthorizationToken *",
                "ecr:BatchCheckLayerAvailability " + containerAssetRepository(),
                "ecr:GetDownloadUrlForLayer " + containerAssetRepository(),
                "ecr:BatchGetImage " + containerAssetRepository());
    }

    @Test
    void eventRulesMayOnlyStartTheWorkflowTheyTarget() {
        // CDK gives each targeted state machine one events role; it may start that state machine and nothing else.
        Set<String> eventRoles = new TreeSet<>();
        json.ofType("AWS::Events::Rule").values().forEach(rule -> rule.get("Properties").get("Targets")
                .forEach(t -> eventRoles.add(TemplateJson.target(t.get("RoleArn")))));
        assertThat(eventRoles).hasSize(2);
        for (String role : eventRoles) {
            assertThat(json.grantsOf(role, names)).singleElement().asString()
                    .matches("states:StartExecution \\$\\{(TrainingPipeline|DriftCheck)Workflow}");
        }
    }

    private static TreeSet<String> grantsOfFunction(FunctionSpec spec) {
        JsonNode properties = json.resource(json.functionId(spec)).get("Properties");
        Map<String, String> withLogs = new HashMap<>(names);
        withLogs.put(TemplateJson.target(properties.get("LoggingConfig").get("LogGroup")), "LOGS");
        return json.grantsOf(TemplateJson.target(properties.get("Role")), withLogs);
    }

    private static TreeSet<String> grantsOfWorkflow(Workflow workflow) {
        JsonNode properties = json.resource(json.stateMachineId(workflow)).get("Properties");
        return json.grantsOf(TemplateJson.target(properties.get("RoleArn")), names);
    }

    private static List<String> logs() {
        return List.of("logs:CreateLogStream ${LOGS.Arn}", "logs:PutLogEvents ${LOGS.Arn}");
    }

    private static List<String> registryWrite() {
        return List.of("dynamodb:GetItem ${TABLE.Arn}", "dynamodb:Query ${TABLE.Arn}", "dynamodb:PutItem ${TABLE.Arn}",
                "dynamodb:UpdateItem ${TABLE.Arn}", "dynamodb:DeleteItem ${TABLE.Arn}",
                "dynamodb:ConditionCheckItem ${TABLE.Arn}");
    }

    /** Large artifacts are assembled under the S3 store's staging prefix, then copied to their key. */
    private static List<String> staging() {
        return List.of("s3:PutObject ${BUCKET.Arn}/.modelcycle-staging/*", "s3:GetObject ${BUCKET.Arn}/.modelcycle-staging/*",
                "s3:DeleteObject ${BUCKET.Arn}/.modelcycle-staging/*",
                "s3:AbortMultipartUpload ${BUCKET.Arn}/.modelcycle-staging/*");
    }

    private static List<String> vendedLogDelivery() {
        return List.of("logs:CreateLogDelivery *", "logs:GetLogDelivery *", "logs:UpdateLogDelivery *",
                "logs:DeleteLogDelivery *", "logs:ListLogDeliveries *", "logs:PutResourcePolicy *",
                "logs:DescribeResourcePolicies *", "logs:DescribeLogGroups *");
    }

    @SafeVarargs
    private static String[] concat(List<String>... parts) {
        return java.util.Arrays.stream(parts).flatMap(List::stream).toArray(String[]::new);
    }

    private static String sageMakerRoleId() {
        return json.ofType("AWS::IAM::Role").entrySet().stream()
                .filter(e -> e.getValue().get("Properties").get("AssumeRolePolicyDocument").toString()
                        .contains("sagemaker.amazonaws.com"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    private static String containerAssetRepository() {
        return "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/"
                + "cdk-hnb659fds-container-assets-${AWS::AccountId}-${AWS::Region}";
    }
}
