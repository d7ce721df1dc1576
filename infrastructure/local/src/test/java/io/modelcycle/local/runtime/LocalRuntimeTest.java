package io.modelcycle.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.ConflictException;
import io.modelcycle.core.Json;
import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.dataset.SyntheticDataset;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.model.Policies;
import io.modelcycle.core.model.Policies.ApprovalPolicy;
import io.modelcycle.core.registry.Alias;
import io.modelcycle.core.registry.Change;
import io.modelcycle.core.registry.ModelVersion;
import io.modelcycle.core.registry.PageRequest;
import io.modelcycle.core.registry.VersionStatus;
import io.modelcycle.local.asl.ExecutionDescription;
import io.modelcycle.local.asl.ExecutionStatus;
import io.modelcycle.local.events.EventBus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local runtime end to end, with the real DJL trainer in a child JVM (tiny data, three epochs): a dataset upload
 * triggers the training pipeline, which trains, gates, approves and deploys; a bad dataset serves nothing; a manual
 * approval holds the pipeline on its task token until a person approves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalRuntimeTest {

    private static final Duration AT_MOST = Duration.ofMinutes(4);
    private static final SyntheticDataset DATA = SyntheticDataset.binary(400, 4, 11);

    @TempDir
    static Path dir;

    LocalRuntime runtime;
    final List<String> progress = Collections.synchronizedList(new ArrayList<>());
    final List<EventBus.Delivery> deliveries = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    void openRuntime() {
        runtime = LocalRuntime.builder()
                .home(dir.resolve("home"))
                .optHyperparameters(Map.of("epochs", "3", "batch_size", "128", "seed", "7"))
                .optListener(new RuntimeListener() {
                    @Override
                    public void trainingProgress(String jobName, String line) {
                        progress.add(line);
                    }

                    @Override
                    public void eventDelivered(EventBus.Delivery delivery) {
                        deliveries.add(delivery);
                    }
                })
                .build();
    }

    @AfterAll
    void closeRuntime() {
        runtime.close();
    }

    private Path csv(String name, SyntheticDataset data) {
        Path file = dir.resolve(name);
        data.generate().writeCsv(file);
        return file;
    }

    /** Uploads and returns the execution the dataset rule started. */
    private String upload(String model, Path file) {
        int before = deliveries.size();
        String key = runtime.uploadDataset(model, file);
        assertThat(key).isEqualTo("datasets/" + model + "/" + file.getFileName());
        List<EventBus.Delivery> mine = deliveries.subList(before, deliveries.size());
        assertThat(mine).as("deliveries of the upload of %s", key).singleElement()
                .satisfies(d -> assertThat(d.succeeded()).as(String.valueOf(d.error())).isTrue());
        return mine.get(0).executionArn();
    }

    private Optional<Integer> production(String model) {
        return runtime.registry().alias(model, Alias.PRODUCTION).map(Alias::version);
    }

    @Test
    void a_dataset_upload_trains_gates_approves_and_deploys_the_first_version() {
        // GIVEN a model with the default policies (automatic approval)
        runtime.registry().createModel(DATA.model("churn", "tests"), Change.by("tests", "setup"));

        // WHEN a dataset lands under datasets/churn/
        String execution = upload("churn", csv("churn-1.csv", DATA));
        ExecutionDescription done = runtime.await(execution, AT_MOST);

        // THEN the trigger's pipeline succeeded and v1, the first version, serves production directly
        assertThat(runtime.input(execution)).isEqualTo(Json.tree(
                "{\"datasetKey\": \"datasets/churn/churn-1.csv\", \"trigger\": \"dataset-upload\"}"));
        assertThat(done.status()).as("%s: %s", done.error(), done.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        ModelVersion v1 = runtime.registry().version("churn", 1);
        assertThat(v1.status()).isEqualTo(VersionStatus.DEPLOYED);
        assertThat(v1.lineage().trigger()).isEqualTo("dataset-upload");
        assertThat(v1.lineage().datasetUri()).isEqualTo("s3://modelcycle-local/datasets/churn/churn-1.csv");
        assertThat(v1.metrics()).containsKey("roc_auc");
        assertThat(runtime.artifacts().stat(v1.artifact().key())).isPresent();
        assertThat(production("churn")).contains(1);
        assertThat(progress).as("the trainer's progress reached the listener")
                .anySatisfy(line -> assertThat(line).startsWith("epoch=1/3"));
        assertThat(runtime.executor().list()).extracting(ExecutionDescription::name)
                .contains("churn-v1-deploy");

        // AND WHEN a dataset that does not fit the schema is uploaded next
        Path bad = dir.resolve("bad.csv");
        writeString(bad, "a,b\n1,2\n");
        String failed = upload("churn", bad);
        ExecutionDescription rejected = runtime.await(failed, AT_MOST);

        // THEN that run fails, naming the handler's exception as Lambda does, and production still serves v1
        assertThat(rejected.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(rejected.error()).isEqualTo(io.modelcycle.core.dataset.SchemaMismatchException.class.getName());
        assertThat(Json.tree(rejected.cause()).get("errorType").asText()).isEqualTo(rejected.error());
        assertThat(Json.tree(rejected.cause()).get("errorMessage").asText()).contains("bad.csv");
        assertThat(runtime.registry().versions("churn", null, PageRequest.first(10)).items()).hasSize(1);
        assertThat(production("churn")).contains(1);
    }

    @Test
    void a_manual_approval_holds_the_pipeline_on_its_task_token_until_a_person_approves() throws Exception {
        // GIVEN a model whose policy wants a person to approve
        Model base = DATA.model("fraud", "tests");
        runtime.registry().createModel(new Model(base.name(), base.task(), base.schema(), base.target(), base.owner(),
                Map.of(), new Policies(null, new ApprovalPolicy(ApprovalPolicy.Mode.MANUAL), null, null, null, null),
                null), Change.by("tests", "setup"));

        // WHEN a dataset is uploaded and the candidate has trained
        String execution = upload("fraud", csv("fraud-1.csv", DATA.withSeed(12)));
        ModelVersion pending = awaitStatus("fraud", 1, VersionStatus.PENDING_APPROVAL);

        // THEN the pipeline waits, nothing is served yet
        assertThat(pending.status()).isEqualTo(VersionStatus.PENDING_APPROVAL);
        assertThat(runtime.executor().describe(execution).status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(production("fraud")).isEmpty();

        // WHEN a person approves
        runtime.approvals().approve("fraud", 1, Change.by("alice", "reviewed the card"));

        // THEN the same execution goes on to deploy v1
        ExecutionDescription done = runtime.await(execution, AT_MOST);
        assertThat(done.status()).as("%s: %s", done.error(), done.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(production("fraud")).contains(1);
        assertThat(runtime.registry().version("fraud", 1).status()).isEqualTo(VersionStatus.DEPLOYED);
    }

    @Test
    void a_second_version_goes_through_canary_and_bake_before_it_is_promoted() {
        // GIVEN a model with a short bake and a lenient gate, serving v1
        Model base = DATA.model("ads", "tests");
        runtime.registry().createModel(new Model(base.name(), base.task(), base.schema(), base.target(), base.owner(),
                Map.of(), new Policies(new Policies.QualityGate(null, null, 1.0), null, null,
                        new Policies.CanaryPolicy(0.2, 1, null, null), null, null), null), Change.by("tests", "setup"));
        ExecutionDescription first = runtime.await(upload("ads", csv("ads-1.csv", DATA.withSeed(21))), AT_MOST);
        assertThat(first.status()).as("%s: %s", first.error(), first.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(production("ads")).contains(1);

        // WHEN a second dataset arrives
        String second = upload("ads", csv("ads-2.csv", DATA.withSeed(22)));
        ExecutionDescription done = runtime.await(second, AT_MOST);

        // THEN v2 was scored against the champion, baked as canary, and promoted: production v2, previous v1
        assertThat(done.status()).as("%s: %s", done.error(), done.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(runtime.registry().version("ads", 2).metrics()).containsKey("champion_roc_auc");
        assertThat(production("ads")).contains(2);
        assertThat(runtime.registry().alias("ads", Alias.PREVIOUS).map(Alias::version)).contains(1);
        assertThat(runtime.registry().alias("ads", Alias.CANARY)).isEmpty();
        String deployment = LocalWorkflowLauncher.executionArn(Workflows.DEPLOYMENT, "ads-v2-deploy");
        assertThat(runtime.executor().history(deployment)).extracting(e -> e.type() + ":" + (e.details() == null ? "" : e.details().path("name").asText()))
                .contains("WaitStateEntered:Bake", "TaskStateEntered:Promote");
    }

    @Test
    void aborting_a_pipeline_while_it_trains_stops_the_training_job() throws Exception {
        // GIVEN a pipeline whose training job has started
        runtime.registry().createModel(DATA.model("halt", "tests"), Change.by("tests", "setup"));
        String execution = upload("halt", csv("halt-1.csv", DATA.withSeed(31)));
        long deadline = System.nanoTime() + AT_MOST.toNanos();
        while (runtime.executor().history(execution).stream().noneMatch(e -> e.type().equals("TaskStarted")
                && e.details().path("resourceType").asText().equals("sagemaker"))) {
            assertThat(System.nanoTime()).as("the training task never started").isLessThan(deadline);
            Thread.sleep(50);
        }
        String job = runtime.registry().version("halt", 1).lineage().jobId();

        // WHEN the execution is aborted
        assertThat(runtime.executor().stop(execution, "Halted", "a person stopped it")).isTrue();

        // THEN the trainer is stopped too, and nothing is served
        io.modelcycle.core.training.TrainingJobStatus status = runtime.trainingBackend()
                .await(job, Duration.ofMinutes(1));
        assertThat(status.state()).isEqualTo(io.modelcycle.core.training.TrainingJobState.STOPPED);
        assertThat(runtime.executor().describe(execution).status()).isEqualTo(ExecutionStatus.ABORTED);
        assertThat(production("halt")).isEmpty();
    }

    @Test
    void starting_a_workflow_is_idempotent_by_execution_name() {
        String input = "{\"model\": \"nobody\", \"version\": 1}";

        String first = runtime.workflows().start(Workflows.RETIREMENT, "retire-nobody-1", input);
        String again = runtime.workflows().start(Workflows.RETIREMENT, "retire-nobody-1", input);

        assertThat(again).isEqualTo(first);
        assertThatThrownBy(() -> runtime.workflows().start(Workflows.RETIREMENT, "retire-nobody-1",
                "{\"model\": \"nobody\", \"version\": 2}")).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> runtime.workflows().start("no-such-workflow", "x", "{}"))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("training-pipeline");
        assertThatThrownBy(() -> runtime.workflows().sendTaskSuccess("no-such-token", "{}"))
                .isInstanceOf(NotFoundException.class);
        ExecutionDescription refused = runtime.await(first, AT_MOST);
        assertThat(refused.status()).as("retiring a version of an unknown model fails").isEqualTo(ExecutionStatus.FAILED);
    }

    private ModelVersion awaitStatus(String model, int version, VersionStatus status) throws InterruptedException {
        long deadline = System.nanoTime() + AT_MOST.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ModelVersion> v = runtime.registry().store().findVersion(model, version);
            if (v.isPresent() && (v.get().status() == status || v.get().status() == VersionStatus.FAILED)) {
                return v.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(model + " v" + version + " never reached " + status);
    }

    private static void writeString(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
