package io.modelcycle.aws.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcycle.aws.AwsClients;
import io.modelcycle.aws.AwsConfig;
import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.TransientException;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.ValidationException.FieldError;
import io.modelcycle.core.training.TrainingJobSpec;
import io.modelcycle.core.training.TrainingJobState;
import io.modelcycle.core.training.TrainingJobStatus;
import io.modelcycle.testkit.aws.AwsEmulator;
import io.modelcycle.testkit.aws.AwsEmulatorExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sagemaker.model.Channel;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.SecondaryStatusTransition;
import software.amazon.awssdk.services.sagemaker.model.Tag;

/**
 * {@link SageMakerTrainingBackend} against the AWS emulator. moto 5.2 keeps every field of CreateTrainingJob and
 * echoes it in DescribeTrainingJob, marks each job {@code Completed} at once with the artifact where SageMaker would put
 * it ({@code <output>/<job>/output/model.tar.gz}), and does not implement StopTrainingJob (it answers 500); so the
 * states a job passes through on the way are checked on SDK responses built here, not on the emulator.
 */
class SageMakerTrainingBackendTest {

    @RegisterExtension
    static final AwsEmulatorExtension AWS = new AwsEmulatorExtension();

    private static final String ROLE = "arn:aws:iam::123456789012:role/modelcycle-training";
    private static final String IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/modelcycle-train:0.1.0";

    static AwsClients clients;
    static SageMakerTrainingBackend backend;

    @BeforeAll
    static void clients() {
        clients = new AwsClients(AwsConfig.fromEnv(AWS.emulator().environment()));
        backend = new SageMakerTrainingBackend(clients.sageMaker(), "modelcycle-artifacts");
    }

    @AfterAll
    static void closeClients() {
        clients.close();
    }

    private static TrainingJobSpec.Builder spec(String jobName) {
        return TrainingJobSpec.builder()
                .setJobName(jobName)
                .setImage(IMAGE)
                .optRole(ROLE)
                .setInputChannel("train", "s3://data/datasets/churn/train/")
                .setInputChannel("model", "s3://data/models/churn/versions/3/definition/")
                .setOutputPath("s3://data/models/churn/versions/3/training");
    }

    @Test
    void every_field_of_the_spec_reaches_sagemaker() {
        // GIVEN a spot job with a checkpoint, three channels, hyperparameters and tags
        String name = AwsEmulator.uniqueName("churn-v3");
        TrainingJobSpec spec = spec(name)
                .setInputChannel("validation", "s3://data/datasets/churn/validation/")
                .optInstanceCount(2)
                .optVolumeGb(50)
                .optMaxRuntime(Duration.ofHours(2))
                .optManagedSpot(Duration.ofHours(5))
                .optCheckpointUri("s3://data/checkpoints/" + name)
                .optHyperparameter("epochs", "12")
                .optHyperparameter("hidden_units", "64,32")
                .optTag("model", "churn")
                .optTag("version", "3")
                .build();

        // WHEN it is started
        String id = backend.start(spec);

        // THEN SageMaker holds exactly the job that was asked for
        DescribeTrainingJobResponse job = clients.sageMaker().describeTrainingJob(r -> r.trainingJobName(id));
        assertThat(id).isEqualTo(name);
        assertThat(job.algorithmSpecification().trainingImage()).isEqualTo(IMAGE);
        assertThat(job.algorithmSpecification().trainingInputModeAsString()).isEqualTo("File");
        assertThat(job.roleArn()).isEqualTo(ROLE);
        assertThat(job.inputDataConfig()).extracting(Channel::channelName, c -> c.dataSource().s3DataSource().s3Uri())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("model", "s3://data/models/churn/versions/3/definition/"),
                        org.assertj.core.groups.Tuple.tuple("train", "s3://data/datasets/churn/train/"),
                        org.assertj.core.groups.Tuple.tuple("validation", "s3://data/datasets/churn/validation/"));
        assertThat(job.inputDataConfig()).allSatisfy(c -> {
            assertThat(c.dataSource().s3DataSource().s3DataTypeAsString()).isEqualTo("S3Prefix");
            assertThat(c.dataSource().s3DataSource().s3DataDistributionTypeAsString()).isEqualTo("FullyReplicated");
        });
        assertThat(job.outputDataConfig().s3OutputPath()).isEqualTo("s3://data/models/churn/versions/3/training");
        assertThat(job.resourceConfig().instanceTypeAsString()).isEqualTo("ml.g5.xlarge");
        assertThat(job.resourceConfig().instanceCount()).isEqualTo(2);
        assertThat(job.resourceConfig().volumeSizeInGB()).isEqualTo(50);
        assertThat(job.stoppingCondition().maxRuntimeInSeconds()).isEqualTo(7200);
        assertThat(job.stoppingCondition().maxWaitTimeInSeconds()).isEqualTo(18000);
        assertThat(job.enableManagedSpotTraining()).isTrue();
        assertThat(job.checkpointConfig().s3Uri()).isEqualTo("s3://data/checkpoints/" + name);
        assertThat(job.hyperParameters()).containsExactlyInAnyOrderEntriesOf(Map.of("epochs", "12", "hidden_units", "64,32"));
        assertThat(clients.sageMaker().listTags(r -> r.resourceArn(job.trainingJobArn())).tags())
                .extracting(Tag::key, Tag::value)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("model", "churn"),
                        org.assertj.core.groups.Tuple.tuple("version", "3"));
    }

    @Test
    void an_on_demand_job_sends_no_spot_wait_and_no_checkpoint() {
        String id = backend.start(spec(AwsEmulator.uniqueName("on-demand")).build());

        DescribeTrainingJobResponse job = clients.sageMaker().describeTrainingJob(r -> r.trainingJobName(id));
        assertThat(job.enableManagedSpotTraining()).isFalse();
        assertThat(job.stoppingCondition().maxRuntimeInSeconds()).isEqualTo(86400);
        assertThat(job.stoppingCondition().maxWaitTimeInSeconds()).isNull();
        assertThat(job.checkpointConfig()).isNull();
    }

    @Test
    void describe_reports_the_state_times_and_artifact_sagemaker_gives() {
        // GIVEN a job the emulator has run (moto completes every job at once)
        String id = backend.start(spec(AwsEmulator.uniqueName("described")).build());

        // WHEN it is described
        TrainingJobStatus status = backend.describe(id);

        // THEN the artifact is where SageMaker puts it: <output path>/<job>/output/model.tar.gz
        assertThat(status.jobId()).isEqualTo(id);
        assertThat(status.state()).isEqualTo(TrainingJobState.COMPLETED);
        assertThat(status.modelArtifact()).isEqualTo("s3://data/models/churn/versions/3/training/" + id + "/output/model.tar.gz");
        assertThat(status.message()).startsWith("Completed");
        assertThat(status.failureReason()).isNull();
        assertThat(status.startedAt()).isNotNull();
        assertThat(status.endedAt()).isNotNull().isAfterOrEqualTo(status.startedAt());
    }

    @Test
    void starting_the_same_name_twice_returns_the_first_job_unchanged() {
        // GIVEN a started job
        String name = AwsEmulator.uniqueName("retried");
        String first = backend.start(spec(name).optHyperparameter("epochs", "5").build());

        // WHEN a retried workflow step starts the same name again, even with other settings
        String second = backend.start(spec(name).setImage("other-image:2").optHyperparameter("epochs", "50").build());

        // THEN it gets the same job, and the job is still the first one
        assertThat(second).isEqualTo(first);
        DescribeTrainingJobResponse job = clients.sageMaker().describeTrainingJob(r -> r.trainingJobName(name));
        assertThat(job.algorithmSpecification().trainingImage()).isEqualTo(IMAGE);
        assertThat(job.hyperParameters()).containsEntry("epochs", "5");
    }

    @Test
    void keys_without_a_scheme_are_read_in_the_default_bucket() {
        String name = AwsEmulator.uniqueName("keys");
        backend.start(spec(name)
                .setInputChannel("train", "datasets/churn/")
                .setOutputPath("models/churn/versions/4")
                .optCheckpointUri("checkpoints/" + name)
                .build());

        DescribeTrainingJobResponse job = clients.sageMaker().describeTrainingJob(r -> r.trainingJobName(name));
        assertThat(job.inputDataConfig()).filteredOn(c -> c.channelName().equals("train"))
                .extracting(c -> c.dataSource().s3DataSource().s3Uri())
                .containsExactly("s3://modelcycle-artifacts/datasets/churn/");
        assertThat(job.outputDataConfig().s3OutputPath()).isEqualTo("s3://modelcycle-artifacts/models/churn/versions/4");
        assertThat(job.checkpointConfig().s3Uri()).isEqualTo("s3://modelcycle-artifacts/checkpoints/" + name);
    }

    @Test
    void a_spec_sagemaker_cannot_run_is_refused_before_anything_is_created() {
        // GIVEN no role, and (for a backend without a default bucket) a key where an S3 URI is needed
        String name = AwsEmulator.uniqueName("refused");
        SageMakerTrainingBackend uriOnly = new SageMakerTrainingBackend(clients.sageMaker());

        // WHEN / THEN each is named, and no job exists afterwards
        assertThatThrownBy(() -> backend.start(spec(name).optRole(null).build()))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactly("role"));
        assertThatThrownBy(() -> uriOnly.start(spec(name).setInputChannel("train", "datasets/churn/").build()))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactly("inputChannels.train"))
                .hasMessageContaining("'datasets/churn/' is not an s3:// URI");
        assertThatThrownBy(() -> backend.start(spec(name).setOutputPath("https://example.com/out").build()))
                .hasMessageContaining("outputPath: 'https://example.com/out' is not an s3:// URI");
        assertThatThrownBy(() -> backend.describe(name)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void an_unknown_job_is_not_found_with_sagemakers_error_as_cause() {
        String name = AwsEmulator.uniqueName("never-started");

        assertThatThrownBy(() -> backend.describe(name))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("describing SageMaker training job " + name)
                .hasCauseInstanceOf(AwsServiceException.class);
        assertThatThrownBy(() -> backend.stop(name)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void stopping_a_job_that_has_ended_changes_nothing() {
        // GIVEN a completed job
        String id = backend.start(spec(AwsEmulator.uniqueName("ended")).build());

        // WHEN it is stopped (a workflow cancelled after the job finished)
        backend.stop(id);

        // THEN it is still completed, with its artifact
        assertThat(backend.describe(id).state()).isEqualTo(TrainingJobState.COMPLETED);
    }

    @Test
    void an_unreachable_sagemaker_is_a_transient_failure() throws Exception {
        // GIVEN clients pointed at a loopback port nobody listens on
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        try (AwsClients nowhere = new AwsClients(AwsConfig.of(AwsEmulator.REGION, URI.create("http://127.0.0.1:" + port)))) {
            SageMakerTrainingBackend unreachable = new SageMakerTrainingBackend(nowhere.sageMaker());

            // WHEN / THEN the workflow is told to retry, and why
            assertThatThrownBy(() -> unreachable.describe("any-job"))
                    .isInstanceOf(TransientException.class)
                    .hasCauseInstanceOf(SdkClientException.class);
        }
    }

    // ---- the states a real job passes through, mapped from SageMaker's responses ----

    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void a_running_job_reports_its_secondary_status_and_latest_message() {
        DescribeTrainingJobResponse running = DescribeTrainingJobResponse.builder()
                .trainingJobName("churn-v3").trainingJobStatus("InProgress").secondaryStatus("Training")
                .creationTime(T0).trainingStartTime(T0.plusSeconds(90))
                .secondaryStatusTransitions(
                        SecondaryStatusTransition.builder().status("Starting").statusMessage("Launching instances").build(),
                        SecondaryStatusTransition.builder().status("Training")
                                .statusMessage("Training image download completed. Training in progress.").build())
                .build();

        TrainingJobStatus status = SageMakerTrainingBackend.status(running);

        assertThat(status.state()).isEqualTo(TrainingJobState.IN_PROGRESS);
        assertThat(status.message()).isEqualTo("Training: Training image download completed. Training in progress.");
        assertThat(status.startedAt()).isEqualTo(T0.plusSeconds(90));
        assertThat(status.endedAt()).isNull();
        assertThat(status.modelArtifact()).isNull();
    }

    @Test
    void a_failed_job_reports_the_trainers_reason_and_billed_seconds() {
        DescribeTrainingJobResponse failed = DescribeTrainingJobResponse.builder()
                .trainingJobName("churn-v3").trainingJobStatus("Failed").secondaryStatus("Failed")
                .failureReason("AlgorithmError: BAD_HYPERPARAMETER: epochs must be a positive integer, got 'ten'")
                .creationTime(T0).trainingStartTime(T0.plusSeconds(60)).trainingEndTime(T0.plusSeconds(75))
                .billableTimeInSeconds(15)
                .build();

        TrainingJobStatus status = SageMakerTrainingBackend.status(failed);

        assertThat(status.state()).isEqualTo(TrainingJobState.FAILED);
        assertThat(status.failureReason()).contains("BAD_HYPERPARAMETER: epochs");
        assertThat(status.billableSeconds()).isEqualTo(15L);
    }

    @Test
    void a_job_stopped_by_its_time_limit_says_so_in_its_message() {
        DescribeTrainingJobResponse stopped = DescribeTrainingJobResponse.builder()
                .trainingJobName("churn-v3").trainingJobStatus("Stopped").secondaryStatus("MaxRuntimeExceeded")
                .failureReason("Training job reached the maximum runtime")
                .creationTime(T0).trainingEndTime(T0.plusSeconds(7200))
                .build();

        TrainingJobStatus status = SageMakerTrainingBackend.status(stopped);

        assertThat(status.state()).isEqualTo(TrainingJobState.STOPPED);
        assertThat(status.message()).isEqualTo("MaxRuntimeExceeded (Training job reached the maximum runtime)");
        assertThat(status.failureReason()).isNull();
        assertThat(status.startedAt()).isEqualTo(T0);
    }

    @Test
    void a_status_newer_than_the_sdk_is_reported_as_running_and_named() {
        DescribeTrainingJobResponse unknown = DescribeTrainingJobResponse.builder()
                .trainingJobName("churn-v3").trainingJobStatus("Paused").secondaryStatus("Paused").build();

        TrainingJobStatus status = SageMakerTrainingBackend.status(unknown);

        assertThat(status.state()).isEqualTo(TrainingJobState.IN_PROGRESS);
        assertThat(status.message()).isEqualTo("status Paused; Paused");
    }
}
