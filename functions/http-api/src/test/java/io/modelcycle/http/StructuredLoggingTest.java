package io.modelcycle.http;

import static io.modelcycle.http.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.Json;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checks that Powertools logging works without AspectJ weaving, through the functional API, with the log4j2.xml
 * this module ships: the capture appender reuses the configured appender's layout, so what it sees is exactly
 * what Lambda would send to CloudWatch Logs.
 */
class StructuredLoggingTest {

    private final StringWriter out = new StringWriter();
    private WriterAppender capture;

    @BeforeEach
    void attach() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        Appender json = config.getAppender("JsonAppender");
        assertThat(json).as("log4j2.xml defines JsonAppender").isNotNull();
        capture = WriterAppender.newBuilder().setName("capture").setTarget(out).setLayout(json.getLayout()).build();
        capture.start();
        config.getRootLogger().addAppender(capture, null, null);
        context.updateLoggers();
    }

    @AfterEach
    void detach() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender("capture");
        context.updateLoggers();
        capture.stop();
    }

    @Test
    void every_request_is_logged_as_one_json_line_with_the_request_ids() {
        // GIVEN an API that fails one route with an unexpected error
        HttpApi api = new HttpApi("log-test", new Router<Endpoint>()
                .add("GET", "/ok", r -> Responses.ok(Map.of("ok", true)))
                .add("GET", "/fail", r -> {
                    throw new IllegalStateException("disk on fire");
                }), "ModelCycleTest");

        // WHEN two requests are served
        api.handle(event("GET", "/ok", null, null), LocalContext.of("req-ok", "log-test"));
        api.handle(event("GET", "/fail", null, null), LocalContext.of("req-fail", "log-test"));

        // THEN each line is a JSON object carrying the Lambda request id, the API Gateway request id and the fields
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            if (!line.isBlank()) {
                lines.add(Json.tree(line));
            }
        }
        JsonNode ok = lines.stream().filter(l -> "req-ok".equals(l.path("function_request_id").asText())
                && l.has("status")).findFirst().orElseThrow(() -> new AssertionError("no request line in " + out));
        assertThat(ok.get("level").asText()).isEqualTo("INFO");
        assertThat(ok.get("status").asInt()).isEqualTo(200);
        assertThat(ok.get("route").asText()).isEqualTo("GET /ok");
        assertThat(ok.get("correlation_id").asText()).isEqualTo("apigw-req-1");
        assertThat(ok.get("function_name").asText()).isEqualTo("log-test");

        // AND the unexpected error's detail is in the log (it is not in the response)
        JsonNode failure = lines.stream().filter(l -> "ERROR".equals(l.path("level").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no error line in " + out));
        assertThat(failure.get("function_request_id").asText()).isEqualTo("req-fail");
        assertThat(failure.get("error").get("message").asText()).isEqualTo("disk on fire");
    }
}
