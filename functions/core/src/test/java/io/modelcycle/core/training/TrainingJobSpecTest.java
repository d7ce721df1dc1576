package io.modelcycle.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcycle.core.ValidationException;
import io.modelcycle.core.ValidationException.FieldError;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingJobSpecTest {

    private static TrainingJobSpec.Builder minimal() {
        return TrainingJobSpec.builder()
                .setJobName("churn-v3")
                .setImage("123456789012.dkr.ecr.eu-west-1.amazonaws.com/modelcycle-train:1")
                .setInputChannel("train", "s3://bucket/datasets/churn/")
                .setOutputPath("s3://bucket/models/churn/versions/3");
    }

    @Test
    void a_minimal_spec_gets_sagemaker_defaults() {
        // WHEN only the required fields are given
        TrainingJobSpec spec = minimal().build();

        // THEN the defaults are the documented ones, and spot is off with no wait
        assertThat(spec.instanceType()).isEqualTo("ml.g5.xlarge");
        assertThat(spec.instanceCount()).isEqualTo(1);
        assertThat(spec.volumeGb()).isEqualTo(30);
        assertThat(spec.maxRuntime()).isEqualTo(Duration.ofDays(1));
        assertThat(spec.managedSpot()).isFalse();
        assertThat(spec.maxWait()).isNull();
        assertThat(spec.role()).isNull();
        assertThat(spec.hyperparameters()).isEmpty();
        assertThat(spec.tags()).isEmpty();
    }

    @Test
    void managed_spot_waits_twice_the_runtime_unless_told() {
        TrainingJobSpec defaulted = minimal().optMaxRuntime(Duration.ofHours(2)).optManagedSpot(null).build();
        TrainingJobSpec explicit = minimal().optMaxRuntime(Duration.ofHours(2)).optManagedSpot(Duration.ofHours(3))
                .optCheckpointUri("s3://bucket/checkpoints/churn-v3").build();

        assertThat(defaulted.maxWait()).isEqualTo(Duration.ofHours(4));
        assertThat(explicit.maxWait()).isEqualTo(Duration.ofHours(3));
        assertThat(explicit.checkpointUri()).isEqualTo("s3://bucket/checkpoints/churn-v3");
    }

    @Test
    void every_bad_field_is_named_in_one_error() {
        // GIVEN a spec with several mistakes at once
        TrainingJobSpec.Builder bad = TrainingJobSpec.builder()
                .setJobName("churn_v3")
                .setImage(" ")
                .optRole("admin")
                .optInstanceType("g5.xlarge")
                .optInstanceCount(0)
                .optVolumeGb(0)
                .optMaxRuntime(Duration.ofMillis(1500))
                .setOutputPath("");

        // WHEN it is built THEN every field is reported, so the caller fixes them in one go
        assertThatThrownBy(bad::build)
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactly("jobName", "image", "role", "instanceType", "instanceCount", "volumeGb",
                                "maxRuntime", "inputChannels", "outputPath"))
                .hasMessageContaining("'churn_v3' must be 1 to 63 letters")
                .hasMessageContaining("'admin' is not an IAM role ARN");
    }

    @Test
    void max_wait_is_refused_without_spot_and_below_the_runtime() {
        assertThatThrownBy(() -> new TrainingJobSpec("j", "img", null, null, 1, 30, Duration.ofHours(1), false, null,
                Duration.ofHours(2), Map.of("train", "k/"), Map.of(), "out", Map.of()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("maxWait: applies only to managed spot training");
        assertThatThrownBy(() -> minimal().optMaxRuntime(Duration.ofHours(2)).optManagedSpot(Duration.ofHours(1)).build())
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("maxWait: must be at least maxRuntime");
    }

    @Test
    void channels_hyperparameters_and_tags_are_checked_by_name() {
        Map<String, String> hyper = new HashMap<>();
        hyper.put("epochs", null);
        assertThatThrownBy(() -> minimal().setInputChannel("bad channel", "x").setInputChannel("validation", " ")
                .optHyperparameters(hyper).optTag("aws:owner", "me").build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactly("inputChannels", "inputChannels.validation", "hyperparameters.epochs", "tags"));
    }

    @Test
    void collections_are_copied_and_cannot_be_changed_afterwards() {
        Map<String, String> hyper = new HashMap<>(Map.of("epochs", "3"));
        TrainingJobSpec spec = new TrainingJobSpec("j", "img", null, null, 1, 30, null, false, null, null,
                Map.of("train", "k/"), hyper, "out", null);
        hyper.put("epochs", "99");

        assertThat(spec.hyperparameters()).containsExactly(Map.entry("epochs", "3"));
        assertThatThrownBy(() -> spec.inputChannels().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void a_status_keeps_its_invariants() {
        Instant t0 = Instant.parse("2026-11-29T10:00:00Z");
        assertThatThrownBy(() -> new TrainingJobStatus("j", TrainingJobState.FAILED, null, " ", null, t0, t0, null))
                .hasMessageContaining("failureReason: a failed job must say why");
        assertThatThrownBy(() -> new TrainingJobStatus("j", TrainingJobState.COMPLETED, null, null, null, t0, t0, null))
                .hasMessageContaining("modelArtifact: a completed job must say where its model is");
        assertThatThrownBy(() -> new TrainingJobStatus("j", TrainingJobState.STOPPED, null, null, null, t0,
                t0.minusSeconds(1), null)).hasMessageContaining("endedAt: is before startedAt");
        assertThat(new TrainingJobStatus("j", TrainingJobState.STOPPING, "stopping", null, null, t0, null, null)
                .isTerminal()).isFalse();
    }
}
