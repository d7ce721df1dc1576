package io.modelcycle.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/** The settings a user changes show up in the template, and nothing else moves. */
class StackVariantsTest {

    @Test
    void openPredictRoutesKeepIamOnManagementRoutes() {
        // GIVEN predictAuth NONE, deletion protection off and one model
        TestStacks.Synthesized s = TestStacks.variant("open-predict", c -> new StackConfig(c.account(), c.region(),
                List.of("churn"), c.trainingImageTag(), c.trainingImageRepository(), c.trainingInstanceType(),
                PredictAuthorization.NONE, false, c.repoRoot(), c.lambdaPackageDir()));
        Template template = s.template();
        // THEN predict routes are open, every other route still needs IAM
        for (ModelCycleStack.Route route : ModelCycleStack.ROUTES) {
            template.hasResourceProperties("AWS::ApiGatewayV2::Route", Map.of(
                    "RouteKey", route.method().name() + " " + route.path(),
                    "AuthorizationType", route.predict() ? "NONE" : "AWS_IAM"));
        }
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of("DeletionProtectionEnabled", false));
        template.resourceCountIs("AWS::CloudWatch::Alarm", 1);
        template.resourceCountIs("AWS::Events::Rule", 3);
    }

    @Test
    void aPrebuiltTrainingImageIsUsedFromItsRepositoryWithoutBuildingOne() throws IOException {
        // GIVEN an account, a region and a training image tag
        TestStacks.Synthesized s = TestStacks.variant("prebuilt-image", c -> new StackConfig(
                Optional.of("123456789012"), Optional.of("eu-west-1"), List.of(), Optional.of("1.2.3"),
                "team/modelcycle-training", "ml.g5.2xlarge", c.predictAuthorization(), c.tableDeletionProtection(),
                c.repoRoot(), c.lambdaPackageDir()));
        TemplateJson json = new TemplateJson(s.json());
        JsonNode subs = json.resource(json.stateMachineId(Workflow.TRAINING_PIPELINE)).get("Properties")
                .get("DefinitionSubstitutions");
        // THEN the workflow trains that image on that instance type, and no Docker build is part of the deployment
        assertThat(TemplateJson.render(subs.get("TrainingImageUri"), Map.of()))
                .isEqualTo("123456789012.dkr.ecr.eu-west-1.${AWS::URLSuffix}/team/modelcycle-training:1.2.3");
        assertThat(subs.get("TrainingInstanceType").asText()).isEqualTo("ml.g5.2xlarge");
        JsonNode assets = new ObjectMapper().readTree(Files.readString(s.outdir().resolve("ModelCycle.assets.json")));
        assertThat(assets.path("dockerImages").size()).isZero();
        String sageMakerRole = json.ofType("AWS::IAM::Role").entrySet().stream()
                .filter(e -> e.getValue().get("Properties").get("AssumeRolePolicyDocument").toString()
                        .contains("sagemaker.amazonaws.com"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        assertThat(json.grantsOf(sageMakerRole, Map.of())).contains(
                "ecr:BatchGetImage arn:${AWS::Partition}:ecr:eu-west-1:123456789012:repository/team/modelcycle-training");
        // No models: no alarms and only the dataset rule.
        s.template().resourceCountIs("AWS::CloudWatch::Alarm", 0);
        s.template().resourceCountIs("AWS::Events::Rule", 1);
    }
}
