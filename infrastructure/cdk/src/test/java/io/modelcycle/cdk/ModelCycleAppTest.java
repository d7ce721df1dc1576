package io.modelcycle.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.cxapi.CloudAssembly;

/**
 * The app's entry point, as {@code cdk synth} and {@code mvn exec:java} run it: settings from CDK context and the
 * environment, offline, without credentials.
 */
class ModelCycleAppTest {

    @Test
    void synthesizesFromContextAndEnvironmentLikeCdkSynth() throws IOException {
        // GIVEN the region as context (cdk synth -c region=...) and the models in the environment
        Path outdir = TestStacks.TARGET.resolve("cdk-variants").resolve("app");
        TestStacks.deleteRecursively(outdir);
        Map<String, String> env = new HashMap<>(Map.of("MODELCYCLE_MODELS", "churn"));
        TestStacks.packageDir().ifPresent(dir -> env.put("MODELCYCLE_LAMBDA_PACKAGE_DIR", dir.toString()));
        AppProps props = AppProps.builder().outdir(outdir.toString())
                .context(Map.of("region", "eu-central-1", "account", "210987654321", "predictAuth", "NONE",
                        "pytorchNativeSha256", "ab".repeat(32), TestStacks.DISABLE_STAGING, true)).build();

        // WHEN synthesized
        CloudAssembly assembly = ModelCycleApp.synthesize(props, env, TestStacks.REPO_ROOT);

        // THEN one stack, in that environment, with the model's alarm and open predict routes
        assertThat(assembly.getStacks()).hasSize(1);
        assertThat(assembly.getStacks().get(0).getEnvironment().getRegion()).isEqualTo("eu-central-1");
        assertThat(assembly.getStacks().get(0).getEnvironment().getAccount()).isEqualTo("210987654321");
        JsonNode template = new ObjectMapper().readTree(Files.readString(outdir.resolve("ModelCycle.template.json")));
        TemplateJson json = new TemplateJson(template);
        assertThat(json.ofType("AWS::CloudWatch::Alarm").values())
                .extracting(a -> a.get("Properties").get("AlarmName").asText()).containsExactly("modelcycle-drift-churn");
        JsonNode inferenceEnv = json.resource(json.functionId(FunctionSpec.INFERENCE)).get("Properties")
                .get("Environment").get("Variables");
        assertThat(inferenceEnv.get("MODEL_NAME").asText()).isEqualTo("churn");
        assertThat(inferenceEnv.get("PYTORCH_NATIVE_KEY").asText()).isEqualTo("runtime/pytorch-native-cpu-2.7.1-linux-x86_64.jar");
        assertThat(inferenceEnv.get("PYTORCH_NATIVE_SHA256").asText()).isEqualTo("ab".repeat(32));
        assertThat(json.ofType("AWS::ApiGatewayV2::Route").values())
                .filteredOn(r -> r.get("Properties").get("RouteKey").asText().endsWith("/predict"))
                .extracting(r -> r.get("Properties").get("AuthorizationType").asText()).containsOnly("NONE");
    }
}
