package io.modelcycle.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcycle.core.capture.BufferedCaptureSink;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.embedded.artifact.FileArtifactStore;
import io.modelcycle.embedded.metrics.SqliteMetricsStore;
import io.modelcycle.embedded.registry.SqliteRegistryStore;
import io.modelcycle.http.Route;
import io.modelcycle.inference.InferenceHandler;
import io.modelcycle.inference.InferenceService;
import io.modelcycle.registryapi.RegistryApiHandler;
import io.modelcycle.testkit.events.SampleEvents;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway through a real HTTP client on loopback, in front of the real registry and inference handlers. */
class LocalGatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicReference<APIGatewayV2HTTPEvent> echoed = new AtomicReference<>();
    private LocalGateway gateway;

    @BeforeEach
    void start() {
        Registry registry = new Registry(new SqliteRegistryStore(home.resolve("registry.db")));
        FileArtifactStore artifacts = new FileArtifactStore(home.resolve("artifacts"));
        InferenceService inference = InferenceService.create(registry, artifacts, home.resolve("models"),
                new BufferedCaptureSink(artifacts), new SqliteMetricsStore(home.resolve("metrics.db")),
                Clock.systemUTC(), InferenceService.Settings.DEFAULT);
        RegistryApiHandler registryApi = new RegistryApiHandler(registry);
        InferenceHandler inferenceHandler = new InferenceHandler(inference);
        // A third target that answers with what it received, to see the event the gateway builds.
        GatewayTarget echo = new GatewayTarget("echo", (event, context) -> {
            echoed.set(event);
            APIGatewayV2HTTPResponse r = new APIGatewayV2HTTPResponse();
            r.setStatusCode(201);
            r.setHeaders(Map.of("content-type", "application/octet-stream", "x-function", context.getFunctionName()));
            r.setCookies(List.of("a=1; Path=/", "b=2"));
            r.setBody(Base64.getEncoder().encodeToString(new byte[] {0, (byte) 0xff, 42}));
            r.setIsBase64Encoded(true);
            return r;
        }, List.of(new Route("POST", "/echo/{id}")));
        gateway = LocalGateway.start(0, "local:tester", List.of(
                new GatewayTarget(RegistryApiHandler.SERVICE, registryApi, registryApi.routes()),
                new GatewayTarget(InferenceHandler.SERVICE, inferenceHandler, inferenceHandler.routes()),
                echo));
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void servesTheRegistryRoutesAndRecordsTheLocalUserAsTheActor() throws Exception {
        // GIVEN the body of the sample create-model event
        String body = JSON.readTree(SampleEvents.read("registry-api/create-model.json")).get("body").asText();

        // WHEN it is POSTed through the gateway, then the model is read back
        HttpResponse<String> created = send("POST", "/models", body, "application/json");
        HttpResponse<String> read = send("GET", "/models/fraud", null, null);
        HttpResponse<String> audit = send("GET", "/models/fraud/audit", null, null);

        // THEN the registry created it, with its Location, and the audit names the gateway's user
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("location")).contains("/models/fraud");
        assertThat(created.headers().firstValue("apigw-requestid")).isPresent();
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(read.body()).at("/model/name").asText()).isEqualTo("fraud");
        assertThat(audit.body()).contains("local:tester");
    }

    @Test
    void mapsRegistryErrorsToTheirStatusAndErrorBody() throws Exception {
        // GIVEN no model; WHEN an unknown one is asked for, and a model is created from malformed JSON
        HttpResponse<String> missing = send("GET", "/models/nope", null, null);
        HttpResponse<String> malformed = send("POST", "/models", "{\"name\":", "application/json");

        // THEN 404 and 400, with the handlers' error body
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).at("/error/code").asText()).isNotEmpty();
        assertThat(malformed.statusCode()).isEqualTo(400);
    }

    @Test
    void routesPredictionsToTheInferenceHandler() throws Exception {
        // WHEN a prediction is asked of a model that does not exist
        HttpResponse<String> response = send("POST", "/models/ghost/predict", "{\"instances\":[{\"x\":1}]}",
                "application/json");

        // THEN the inference handler answered (its 404 names the model), not the gateway's router
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("ghost");
        assertThat(gateway.routes()).contains(new Route("POST", "/models/{name}/predict"),
                new Route("GET", "/models/{name}"));
    }

    @Test
    void unroutedPathsGet404AndWrongMethods405() throws Exception {
        HttpResponse<String> unknown = send("GET", "/nothing/here", null, null);
        HttpResponse<String> wrongMethod = send("DELETE", "/models", null, null);

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).at("/error/message").asText()).contains("/nothing/here");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("allow")).hasValueSatisfying(v -> assertThat(v).contains("GET"));
    }

    @Test
    void convertsTheRequestToAPayload2EventAndTheResponseBack() throws Exception {
        // GIVEN a binary body, query parameters (one repeated, one encoded) and cookies
        HttpRequest request = HttpRequest.newBuilder(gateway.url().resolve("/echo/7?tag=a&tag=b&q=x%20y"))
                .header("Content-Type", "application/octet-stream")
                .header("Cookie", "session=abc; theme=dark")
                .header("X-Custom", "Value")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, (byte) 0xfe}))
                .build();

        // WHEN it goes through the gateway
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());

        // THEN the handler saw the event API Gateway would have built
        APIGatewayV2HTTPEvent event = echoed.get();
        assertThat(event.getVersion()).isEqualTo("2.0");
        assertThat(event.getRawPath()).isEqualTo("/echo/7");
        assertThat(event.getRawQueryString()).isEqualTo("tag=a&tag=b&q=x%20y");
        assertThat(event.getQueryStringParameters()).containsEntry("tag", "a,b").containsEntry("q", "x y");
        assertThat(event.getHeaders()).containsEntry("x-custom", "Value").doesNotContainKey("cookie");
        assertThat(event.getCookies()).containsExactly("session=abc", "theme=dark");
        assertThat(event.getIsBase64Encoded()).isTrue();
        assertThat(Base64.getDecoder().decode(event.getBody())).containsExactly(1, 2, 0xfe);
        assertThat(event.getRequestContext().getHttp().getMethod()).isEqualTo("POST");
        assertThat(event.getRequestContext().getHttp().getSourceIp()).isEqualTo("127.0.0.1");
        assertThat(event.getRequestContext().getAuthorizer().getIam().getUserArn()).isEqualTo("local:tester");
        // AND the response came back decoded, with the handler's status, headers and cookies
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).containsExactly(0, 0xff, 42);
        assertThat(response.headers().firstValue("x-function")).contains("echo");
        assertThat(response.headers().allValues("set-cookie")).containsExactly("a=1; Path=/", "b=2");
    }

    @Test
    void passesJsonBodiesAsText() throws Exception {
        send("POST", "/echo/1", "{\"ü\":1}", "application/json; charset=utf-8");

        assertThat(echoed.get().getIsBase64Encoded()).isFalse();
        assertThat(echoed.get().getBody()).isEqualTo("{\"ü\":1}");
    }

    @Test
    void refusesTwoTargetsClaimingTheSameRoute() {
        GatewayTarget a = new GatewayTarget("a", (e, c) -> null, List.of(new Route("GET", "/x")));
        GatewayTarget b = new GatewayTarget("b", (e, c) -> null, List.of(new Route("GET", "/x")));

        assertThatThrownBy(() -> LocalGateway.start(0, "me", List.of(a, b)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/x");
    }

    @Test
    void aHandlerThatBreaksGetsA500WithTheRequestIdNotADroppedConnection() throws Exception {
        // GIVEN handlers that throw instead of answering (a bug; a class missing from the class path)
        GatewayTarget bug = new GatewayTarget("bug", (e, c) -> {
            throw new IllegalStateException("secret detail");
        }, List.of(new Route("GET", "/bug")));
        GatewayTarget missing = new GatewayTarget("missing", (e, c) -> {
            throw new NoClassDefFoundError("io/modelcycle/Gone");
        }, List.of(new Route("GET", "/missing")));
        try (LocalGateway broken = LocalGateway.start(0, "me", List.of(bug, missing))) {
            for (String path : List.of("/bug", "/missing")) {
                // WHEN they are called
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(broken.url().resolve(path)).build(),
                        HttpResponse.BodyHandlers.ofString());

                // THEN the caller gets a 500 naming the request id, without the internal detail
                assertThat(response.statusCode()).as(path).isEqualTo(500);
                assertThat(JSON.readTree(response.body()).at("/error/requestId").asText())
                        .isEqualTo(response.headers().firstValue("apigw-requestid").orElseThrow());
                assertThat(response.body()).doesNotContain("secret detail");
            }
        }
    }

    @Test
    void bindsOnlyTheLoopbackAddress() {
        assertThat(gateway.url().getHost()).isEqualTo("127.0.0.1");
        assertThat(gateway.port()).isPositive();
    }

    private HttpResponse<String> send(String method, String path, String body, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gateway.url().resolve(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
