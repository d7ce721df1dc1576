package io.modelcycle.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import io.modelcycle.core.Json;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.ValidationException.FieldError;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SageMakerTrainingJsonTest {

    /** The Train state's parameters of training-pipeline.asl.json, as the executor resolves them. */
    private static final String TRAIN_TASK = """
            {
              "TrainingJobName": "mc-churn-3f2a9c1b7d4e",
              "AlgorithmSpecification": {"TrainingImage": "local", "TrainingInputMode": "File"},
              "RoleArn": "arn:aws:iam::000000000000:role/modelcycle-local",
              "HyperParameters": {"epochs": "10", "seed": "42"},
              "InputDataConfig": [
                {"ChannelName": "model", "ContentType": "application/json", "DataSource": {"S3DataSource": {
                  "S3DataType": "S3Prefix", "S3Uri": "s3://local/models/churn/versions/3/input/model.json",
                  "S3DataDistributionType": "FullyReplicated"}}},
                {"ChannelName": "train", "ContentType": "text/csv", "DataSource": {"S3DataSource": {
                  "S3DataType": "S3Prefix", "S3Uri": "s3://local/datasets/churn/2026-11-29.csv",
                  "S3DataDistributionType": "FullyReplicated"}}}
              ],
              "OutputDataConfig": {"S3OutputPath": "s3://local/models/churn/versions/3/training/"},
              "ResourceConfig": {"InstanceType": "ml.g5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 30},
              "EnableManagedSpotTraining": true,
              "CheckpointConfig": {"S3Uri": "s3://local/models/churn/versions/3/training/checkpoints/"},
              "StoppingCondition": {"MaxRuntimeInSeconds": 3600, "MaxWaitTimeInSeconds": 7200},
              "Tags": [{"Key": "modelcycle:model", "Value": "churn"}, {"Key": "modelcycle:version", "Value": "3"}]
            }""";

    private static Map<String, Object> json(String text) {
        return Json.mapperRead(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), new TypeReference<>() { });
    }

    @Test
    void the_pipelines_train_task_becomes_the_spec_it_describes() {
        TrainingJobSpec spec = SageMakerTrainingJson.spec(json(TRAIN_TASK));

        assertThat(spec.jobName()).isEqualTo("mc-churn-3f2a9c1b7d4e");
        assertThat(spec.image()).isEqualTo("local");
        assertThat(spec.role()).isEqualTo("arn:aws:iam::000000000000:role/modelcycle-local");
        assertThat(spec.hyperparameters()).containsExactly(Map.entry("epochs", "10"), Map.entry("seed", "42"));
        assertThat(spec.inputChannels()).containsExactly(
                Map.entry("model", "s3://local/models/churn/versions/3/input/model.json"),
                Map.entry("train", "s3://local/datasets/churn/2026-11-29.csv"));
        assertThat(spec.outputPath()).isEqualTo("s3://local/models/churn/versions/3/training/");
        assertThat(spec.instanceType()).isEqualTo("ml.g5.xlarge");
        assertThat(spec.instanceCount()).isEqualTo(1);
        assertThat(spec.volumeGb()).isEqualTo(30);
        assertThat(spec.managedSpot()).isTrue();
        assertThat(spec.checkpointUri()).isEqualTo("s3://local/models/churn/versions/3/training/checkpoints/");
        assertThat(spec.maxRuntime()).isEqualTo(Duration.ofHours(1));
        assertThat(spec.maxWait()).isEqualTo(Duration.ofHours(2));
        assertThat(spec.tags()).containsExactly(Map.entry("modelcycle:model", "churn"), Map.entry("modelcycle:version", "3"));
    }

    @Test
    void what_the_backends_cannot_honour_is_refused_by_sagemakers_field_names() {
        Map<String, Object> request = json("""
                {"TrainingJobName": "j", "AlgorithmSpecification": {"TrainingImage": "i", "TrainingInputMode": "Pipe"},
                 "HyperParameters": {"epochs": 10},
                 "InputDataConfig": [{"ChannelName": "train", "DataSource": {"S3DataSource": {
                     "S3DataType": "ManifestFile", "S3Uri": "s3://b/manifest"}}},
                   {"ChannelName": "validation", "DataSource": {"FileSystemDataSource": {}}}],
                 "ResourceConfig": {"InstanceCount": 1.5},
                 "VpcConfig": {"Subnets": []}}""");

        assertThatThrownBy(() -> SageMakerTrainingJson.spec(request))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("VpcConfig", "AlgorithmSpecification.TrainingInputMode",
                                "HyperParameters.epochs", "InputDataConfig[0].DataSource.S3DataSource.S3DataType",
                                "InputDataConfig[1].DataSource.S3DataSource", "OutputDataConfig",
                                "ResourceConfig.InstanceCount"))
                .hasMessageContaining("HyperParameters.epochs: must be a string (SageMaker passes every value as one), got Integer 10");
    }

    @Test
    void a_status_is_described_as_the_sync_task_returns_it() {
        Instant start = Instant.parse("2026-11-29T10:00:00Z");
        TrainingJobStatus completed = new TrainingJobStatus("mc-churn-1", TrainingJobState.COMPLETED, "Completed", null,
                "s3://local/models/churn/versions/3/training/mc-churn-1/output/model.tar.gz", start,
                start.plusSeconds(95), null);
        TrainingJobStatus failed = new TrainingJobStatus("mc-churn-2", TrainingJobState.FAILED, "Failed",
                "BAD_DATASET: train.csv line 7 column 'age': 'x' is not a number", null, start, start.plusSeconds(3), 3L);

        Map<String, Object> done = SageMakerTrainingJson.description(completed);
        Map<String, Object> bad = SageMakerTrainingJson.description(failed);

        // What the Train state's ResultSelector reads
        assertThat(done).containsEntry("TrainingJobName", "mc-churn-1").containsEntry("TrainingJobStatus", "Completed")
                .containsEntry("ModelArtifacts", Map.of("S3ModelArtifacts",
                        "s3://local/models/churn/versions/3/training/mc-churn-1/output/model.tar.gz"))
                .containsEntry("TrainingStartTime", start.toEpochMilli())
                .containsEntry("TrainingEndTime", start.plusSeconds(95).toEpochMilli())
                .doesNotContainKeys("FailureReason", "BillableTimeInSeconds");
        assertThat(bad).containsEntry("TrainingJobStatus", "Failed").containsEntry("SecondaryStatus", "Failed")
                .containsEntry("FailureReason", "BAD_DATASET: train.csv line 7 column 'age': 'x' is not a number")
                .containsEntry("BillableTimeInSeconds", 3L)
                .containsEntry("SecondaryStatusTransitions", List.of(Map.of("Status", "Failed", "StatusMessage", "Failed")))
                .doesNotContainKey("ModelArtifacts");
    }

    @Test
    void a_job_stopped_by_its_time_limit_is_described_as_sagemaker_does() {
        TrainingJobStatus stopped = new TrainingJobStatus("j", TrainingJobState.STOPPED,
                "MaxRuntimeExceeded: the trainer ran longer than PT1H", null, null, null, null, null);

        assertThat(SageMakerTrainingJson.description(stopped)).containsEntry("TrainingJobStatus", "Stopped")
                .containsEntry("SecondaryStatus", "MaxRuntimeExceeded");
    }
}
