package io.modelcycle.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcycle.core.ValidationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InferenceConfigTest {

    static final String SHA = "a".repeat(64);

    @Test
    void defaults_apply_when_only_the_required_stage_settings_are_given() {
        InferenceConfig config = InferenceConfig.fromEnv(Map.of());

        assertThat(config.primeModel()).isEmpty();
        assertThat(config.nativeKey()).isEmpty();
        assertThat(config.routesTtl()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.maxBodyBytes()).isEqualTo(1024 * 1024);
        assertThat(config.workDir()).isEqualTo(Path.of("/tmp/modelcycle"));
    }

    @Test
    void every_setting_is_read() {
        InferenceConfig config = InferenceConfig.fromEnv(Map.of("MODEL_NAME", "churn",
                "PYTORCH_NATIVE_KEY", "runtime/pytorch-native-cpu-2.7.1-linux-x86_64.jar", "PYTORCH_NATIVE_SHA256", SHA,
                "ROUTES_TTL_MS", "2000", "MAX_BODY_BYTES", "4096", "WORK_DIR", "/tmp/x"));

        assertThat(config.primeModel()).contains("churn");
        assertThat(config.nativeKey()).contains("runtime/pytorch-native-cpu-2.7.1-linux-x86_64.jar");
        assertThat(config.nativeSha256()).contains(SHA);
        assertThat(config.routesTtl()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.maxBodyBytes()).isEqualTo(4096);
    }

    @Test
    void a_native_key_without_its_pin_is_refused_naming_the_missing_variable() {
        assertThatThrownBy(() -> InferenceConfig.fromEnv(Map.of("PYTORCH_NATIVE_KEY", "runtime/x.jar")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("PYTORCH_NATIVE_SHA256");
        assertThatThrownBy(() -> InferenceConfig.fromEnv(Map.of("PYTORCH_NATIVE_KEY", "runtime/x.jar",
                "PYTORCH_NATIVE_SHA256", "ABC")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("PYTORCH_NATIVE_SHA256");
    }

    @Test
    void malformed_numbers_and_model_names_are_refused_naming_the_variable() {
        assertThatThrownBy(() -> InferenceConfig.fromEnv(Map.of("ROUTES_TTL_MS", "soon")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("ROUTES_TTL_MS");
        assertThatThrownBy(() -> InferenceConfig.fromEnv(Map.of("MAX_BODY_BYTES", "-1")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("MAX_BODY_BYTES");
        assertThatThrownBy(() -> InferenceConfig.fromEnv(Map.of("MODEL_NAME", "Churn!")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("Churn!");
    }
}
