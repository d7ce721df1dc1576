package io.modelcycle.registryapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.Json;
import io.modelcycle.core.feedback.FeedbackRecord;
import io.modelcycle.core.feedback.FeedbackStore;
import io.modelcycle.core.lifecycle.Approvals;
import io.modelcycle.core.lifecycle.TrainingTasks;
import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.model.Task;
import io.modelcycle.core.registry.Change;
import io.modelcycle.core.registry.VersionStatus;
import io.modelcycle.core.workflow.WorkflowLauncher;
import io.modelcycle.http.LocalContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ground truth through {@code POST /models/{name}/feedback} and approvals that resume a waiting training pipeline,
 * on the seeded registry of {@link RegistryFixture} and its file artifact store.
 */
class FeedbackAndApprovalTest {

    /** A hand-written recording implementation of the {@link WorkflowLauncher} port: what the engine was told. */
    static final class RecordingLauncher implements WorkflowLauncher {
        final List<List<String>> calls = new ArrayList<>();

        @Override
        public String start(String workflow, String executionName, String inputJson) {
            calls.add(List.of("start", workflow, executionName, inputJson));
            return "execution:" + executionName;
        }

        @Override
        public void sendTaskSuccess(String taskToken, String outputJson) {
            calls.add(List.of("success", taskToken, outputJson));
        }

        @Override
        public void sendTaskFailure(String taskToken, String error, String cause) {
            calls.add(List.of("failure", taskToken, error, cause));
        }
    }

    static List<FeedbackRecord> stored(RegistryFixture f, String model) {
        Instant now = Instant.now();
        List<FeedbackRecord> records = new ArrayList<>(new FeedbackStore(f.registry, f.artifacts, Clock.systemUTC())
                .read(model, now.minusSeconds(7200), now.plusSeconds(3600)));
        records.sort(Comparator.comparing(FeedbackRecord::requestId));
        return records;
    }

    APIGatewayV2HTTPResponse call(RegistryApiHandler handler, APIGatewayV2HTTPEvent event) {
        return handler.handleRequest(event, LocalContext.of("test-request", RegistryApiHandler.SERVICE));
    }

    @Test
    void a_batch_of_feedback_is_stored_as_gzip_json_lines_with_canonical_labels(@TempDir Path dir) {
        try (RegistryFixture f = RegistryFixture.seeded(dir)) {
            // WHEN a batch of three items is posted (one label sent as the number 0, one for row 2 of a batch request)
            APIGatewayV2HTTPResponse response = f.call("feedback-batch.json");

            // THEN all three are stored under feedback/churn/yyyy/MM/dd/HH/, labels as the class strings
            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
            JsonNode receipt = Json.tree(response.getBody());
            assertThat(receipt.get("accepted").asInt()).isEqualTo(3);
            // (named after the request id, so a retried delivery of the same request rewrites the same object)
            assertThat(receipt.get("key").asText())
                    .matches("feedback/churn/\\d{4}/\\d{2}/\\d{2}/\\d{2}/\\d{8}T\\d{6}Z-test-request\\.jsonl\\.gz");
            assertThat(stored(f, "churn")).extracting(FeedbackRecord::requestId, FeedbackRecord::row, FeedbackRecord::actual)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("req-7f3a9c", 0, "1"),
                            org.assertj.core.groups.Tuple.tuple("req-81b2d4", 0, "0"),
                            org.assertj.core.groups.Tuple.tuple("req-batch-5e1", 2, "0"));
        }
    }

    @Test
    void one_bad_label_in_a_batch_stores_nothing(@TempDir Path dir) {
        try (RegistryFixture f = RegistryFixture.seeded(dir)) {
            APIGatewayV2HTTPResponse response = f.call("feedback-batch-bad-label.json");

            assertThat(response.getStatusCode()).isEqualTo(400);
            JsonNode error = Json.tree(response.getBody()).get("error").get("details").get(0);
            assertThat(error.get("field").asText()).isEqualTo("items[1].actual");
            assertThat(error.get("message").asText()).contains("class label");
            assertThat(f.artifacts.list("feedback/")).isEmpty();
        }
    }

    @Test
    void a_label_outside_the_served_versions_classes_is_refused_naming_them(@TempDir Path dir) {
        try (RegistryFixture f = RegistryFixture.seeded(dir)) {
            APIGatewayV2HTTPResponse response = f.call("feedback-bad-label.json");

            assertThat(response.getStatusCode()).isEqualTo(400);
            assertThat(Json.tree(response.getBody()).get("error").get("details").get(0).get("message").asText())
                    .contains("'maybe' is not a class of model 'churn'").contains("[0, 1]");
        }
    }

    @Test
    void a_regression_model_takes_finite_numbers_only(@TempDir Path dir) {
        try (RegistryFixture f = RegistryFixture.seeded(dir)) {
            f.registry.createModel(new Model("price", Task.REGRESSION, new FeatureSchema(List.of(Feature.numeric("area"))),
                    "price", "pricing-team", Map.of(), null, null), Change.by("seed", null));
            APIGatewayV2HTTPEvent text = RegistryFixture.event("feedback.json");
            text.setRawPath("/models/price/feedback");
            text.setBody("{\"requestId\":\"req-1\",\"actual\":\"high\"}");
            APIGatewayV2HTTPEvent number = RegistryFixture.event("feedback.json");
            number.setRawPath("/models/price/feedback");
            number.setBody("{\"requestId\":\"req-1\",\"actual\":12.5}");

            APIGatewayV2HTTPResponse refused = f.call(text);
            APIGatewayV2HTTPResponse accepted = f.call(number);

            assertThat(refused.getStatusCode()).isEqualTo(400);
            assertThat(refused.getBody()).contains("finite number for REGRESSION model 'price'");
            assertThat(accepted.getStatusCode()).isEqualTo(202);
            assertThat(stored(f, "price")).singleElement().satisfies(r -> assertThat(r.actual()).isEqualTo(12.5));
        }
    }

    @Test
    void a_request_id_that_was_never_captured_is_accepted(@TempDir Path dir) {
        // capture is sampled: the caller cannot know which requests were kept, so feedback on any id is stored and
        // counted as unmatched when quality is computed (see MonitoringTaskHandlerTest in the monitoring module)
        try (RegistryFixture f = RegistryFixture.seeded(dir)) {
            assertThat(f.artifacts.list("captures/")).isEmpty();
            assertThat(f.call("feedback.json").getStatusCode()).isEqualTo(202);
            assertThat(stored(f, "churn")).singleElement().satisfies(r -> assertThat(r.requestId()).isEqualTo("req-7f3a9c"));
        }
    }

    @Test
    void without_an_artifact_store_feedback_is_unavailable(@TempDir Path dir) {
        try (RegistryFixture f = RegistryFixture.seeded(dir)) {
            RegistryApiHandler bare = new RegistryApiHandler(f.registry);
            APIGatewayV2HTTPResponse response = call(bare, RegistryFixture.event("feedback.json"));
            assertThat(response.getStatusCode()).isEqualTo(503);
            assertThat(Json.tree(response.getBody()).get("error").get("code").asText()).isEqualTo("SERVICE_UNAVAILABLE");
        }
    }

    @Test
    void approving_a_version_a_pipeline_waits_on_resumes_that_pipeline_once(@TempDir Path dir) {
        try (RegistryFixture f = RegistryFixture.seeded(dir)) {
            // GIVEN the training pipeline paused on version 2 for manual approval, with its task token
            TrainingTasks training = new TrainingTasks(f.registry, f.artifacts,
                    new TrainingTasks.Settings("bucket", "image", Map.of()), "workflow:training-pipeline");
            training.requestApproval(new TrainingTasks.ApprovalRequest("churn", 2, "token-v2"));
            RecordingLauncher engine = new RecordingLauncher();
            RegistryApiHandler handler = new RegistryApiHandler(f.registry, f.artifacts, engine);

            // WHEN alice approves it through the API, twice
            APIGatewayV2HTTPResponse first = call(handler, RegistryFixture.event("approve-version.json"));
            APIGatewayV2HTTPResponse second = call(handler, RegistryFixture.event("approve-version.json"));

            // THEN the version is APPROVED and the waiting task got one success naming who approved
            assertThat(first.getStatusCode()).as(first.getBody()).isEqualTo(200);
            assertThat(second.getStatusCode()).isEqualTo(200);
            assertThat(f.registry.version("churn", 2).status()).isEqualTo(VersionStatus.APPROVED);
            assertThat(engine.calls).singleElement().satisfies(call -> {
                assertThat(call.get(0)).isEqualTo("success");
                assertThat(call.get(1)).isEqualTo("token-v2");
                assertThat(Json.tree(call.get(2)).get("approvedBy").asText()).isEqualTo("arn:aws:iam::123456789012:user/alice");
            });
            assertThat(f.artifacts.list("models/churn/versions/2/")).noneMatch(o -> o.key().endsWith("approval-token.json"));
        }
    }

    @Test
    void rejecting_a_waiting_version_fails_the_pipeline_task_with_the_reason(@TempDir Path dir) {
        try (RegistryFixture f = RegistryFixture.seeded(dir)) {
            new TrainingTasks(f.registry, f.artifacts, new TrainingTasks.Settings("bucket", "image", Map.of()), "wf")
                    .requestApproval(new TrainingTasks.ApprovalRequest("churn", 3, "token-v3"));
            RecordingLauncher engine = new RecordingLauncher();

            APIGatewayV2HTTPResponse response = call(new RegistryApiHandler(f.registry, f.artifacts, engine),
                    RegistryFixture.event("reject-version.json"));

            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
            assertThat(f.registry.version("churn", 3).status()).isEqualTo(VersionStatus.REJECTED);
            assertThat(engine.calls).singleElement().satisfies(call -> {
                assertThat(call.subList(0, 3)).containsExactly("failure", "token-v3", Approvals.REJECTED_ERROR);
                assertThat(call.get(3)).contains("recall on the holdout is too low");
            });
        }
    }

    @Test
    void without_a_workflow_engine_approval_only_records_the_decision(@TempDir Path dir) {
        try (RegistryFixture f = RegistryFixture.seeded(dir)) {
            new TrainingTasks(f.registry, f.artifacts, new TrainingTasks.Settings("bucket", "image", Map.of()), "wf")
                    .requestApproval(new TrainingTasks.ApprovalRequest("churn", 2, "token-v2"));

            assertThat(f.call("approve-version.json").getStatusCode()).isEqualTo(200);

            assertThat(f.registry.version("churn", 2).status()).isEqualTo(VersionStatus.APPROVED);
            assertThat(f.artifacts.list("models/churn/versions/2/")).anyMatch(o -> o.key().endsWith("approval-token.json"));
        }
    }
}
