package io.modelcycle.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a user sets: CDK context first, then the environment, then defaults; wrong values are named. */
class StackConfigTest {

    private final Map<String, Object> context = new HashMap<>();
    private final Map<String, String> env = new HashMap<>();

    private StackConfig read() {
        return StackConfig.from(context::get, env, TestStacks.REPO_ROOT);
    }

    @Test
    void defaultsNeedNothingSet() {
        // GIVEN no context and no environment WHEN read THEN the stack is environment-agnostic with safe defaults
        StackConfig config = read();
        assertThat(config.account()).isEmpty();
        assertThat(config.region()).isEmpty();
        assertThat(config.models()).isEmpty();
        assertThat(config.trainingImageTag()).isEmpty();
        assertThat(config.trainingInstanceType()).isEqualTo("ml.g5.xlarge");
        assertThat(config.predictAuthorization()).isEqualTo(PredictAuthorization.IAM);
        assertThat(config.tableDeletionProtection()).isTrue();
        assertThat(config.lambdaPackageDir()).isEmpty();
    }

    @Test
    void contextWinsOverTheEnvironment() {
        env.put("CDK_DEFAULT_ACCOUNT", "111111111111");
        env.put("CDK_DEFAULT_REGION", "us-east-1");
        env.put("MODELCYCLE_MODELS", "fraud");
        env.put("MODELCYCLE_PREDICT_AUTH", "none");
        context.put("region", "eu-west-1");
        context.put("models", " churn, fraud ,");
        context.put("trainingInstanceType", "ml.m5.large");
        context.put("tableDeletionProtection", "false");
        context.put("trainingImageTag", "2026-11-29");

        StackConfig config = read();

        assertThat(config.account()).contains("111111111111");
        assertThat(config.region()).contains("eu-west-1");
        assertThat(config.models()).containsExactly("churn", "fraud");
        assertThat(config.predictAuthorization()).isEqualTo(PredictAuthorization.NONE);
        assertThat(config.trainingInstanceType()).isEqualTo("ml.m5.large");
        assertThat(config.tableDeletionProtection()).isFalse();
        assertThat(config.trainingImageTag()).contains("2026-11-29");
    }

    @Test
    void wrongValuesAreRefusedNamingTheSetting() {
        context.put("models", "churn,Bad_Name");
        assertThatThrownBy(this::read).hasMessageContaining("models").hasMessageContaining("Bad_Name");
        context.put("models", "churn,churn");
        assertThatThrownBy(this::read).hasMessageContaining("models lists a model twice");
        context.clear();
        context.put("trainingInstanceType", "g5.xlarge");
        assertThatThrownBy(this::read).hasMessageContaining("trainingInstanceType").hasMessageContaining("g5.xlarge");
        context.clear();
        context.put("predictAuth", "COGNITO");
        assertThatThrownBy(this::read).hasMessage("predictAuth must be IAM or NONE, got 'COGNITO'");
        context.clear();
        context.put("tableDeletionProtection", "yes");
        assertThatThrownBy(this::read).hasMessage("tableDeletionProtection must be true or false, got 'yes'");
        context.clear();
        context.put("account", "12345");
        assertThatThrownBy(this::read).hasMessageContaining("account must be 12 digits");
        context.clear();
        context.put("trainingImageTag", "bad tag");
        assertThatThrownBy(this::read).hasMessageContaining("trainingImageTag");
    }

    @Test
    void thePyTorchNativeArchiveIsPinnedAndUnderRuntime() {
        env.put("MODELCYCLE_PYTORCH_NATIVE_SHA256", "0f".repeat(32));
        assertThat(read().pytorchNative()).contains(new StackConfig.NativeArchive(
                "runtime/pytorch-native-cpu-2.7.1-linux-x86_64.jar", "0f".repeat(32)));
        context.put("pytorchNativeKey", "models/torch.jar");
        assertThatThrownBy(this::read).hasMessageContaining("pytorchNativeKey must be a key under runtime/");
        env.clear();
        context.put("pytorchNativeKey", "runtime/torch.jar");
        assertThatThrownBy(this::read).hasMessageContaining("pytorchNativeKey is set without pytorchNativeSha256");
        context.put("pytorchNativeSha256", "ABC");
        assertThatThrownBy(this::read).hasMessageContaining("pytorchNativeSha256 must be 64 lower-case hex digits");
    }

    @Test
    void theRepositoryRootMustHoldTheWorkflows() {
        assertThatThrownBy(() -> new StackConfig(Optional.empty(), Optional.empty(), List.of(), Optional.empty(),
                "modelcycle-training", "ml.g5.xlarge", PredictAuthorization.IAM, true, Path.of("/tmp"), Optional.empty()))
                .hasMessageContaining("repoRoot").hasMessageContaining("statemachines");
    }
}
