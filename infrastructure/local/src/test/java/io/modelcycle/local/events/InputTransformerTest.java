package io.modelcycle.local.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.Json;
import io.modelcycle.core.ValidationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link InputTransformer} with the examples of the EventBridge User Guide ("Amazon EventBridge input transformation"). */
class InputTransformerTest {

    private static final JsonNode EVENT = Json.tree("""
            {"version": "0", "id": "7bf73129-1428-4cd3-a780-95db273d1602", "detail-type": "EC2 Instance State-change Notification",
             "source": "aws.ec2", "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789"],
             "detail": {"instance-id": "i-0123456789", "state": "RUNNING", "count": 3}}""");
    private static final Map<String, String> PATHS = Map.of("instance", "$.detail.instance-id", "state", "$.detail.state",
            "resource", "$.resources[0]", "count", "$.detail.count", "missing", "$.detail.nothing");

    @Test
    void placeholders_outside_strings_are_json_values_and_inside_strings_their_text() {
        InputTransformer t = new InputTransformer(PATHS,
                "{\"instance\": <instance>, \"state\": [9, <state>, true], \"Transformed\": \"Yes\", \"n\": <count>,"
                        + " \"text\": \"<instance> is in state <state> (<count>)\", \"r\": <resource>}");

        assertThat(t.apply(EVENT, "my-rule")).isEqualTo(Json.tree("""
                {"instance": "i-0123456789", "state": [9, "RUNNING", true], "Transformed": "Yes", "n": 3,
                 "text": "i-0123456789 is in state RUNNING (3)",
                 "r": "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789"}"""));
    }

    @Test
    void a_string_template_the_whole_event_and_the_rule_name() {
        assertThat(new InputTransformer(PATHS, "\"<instance> is in state <state>\"").apply(EVENT, "r").asText())
                .isEqualTo("i-0123456789 is in state RUNNING");
        JsonNode reserved = new InputTransformer(Map.of(), "{\"event\": <aws.events.event>, \"rule\": \"<aws.events.rule-name>\"}")
                .apply(EVENT, "my-rule");
        assertThat(reserved.get("event")).isEqualTo(EVENT);
        assertThat(reserved.get("rule").asText()).isEqualTo("my-rule");
    }

    @Test
    void a_path_that_finds_nothing_is_null() {
        assertThat(new InputTransformer(PATHS, "{\"m\": <missing>, \"s\": \"[<missing>]\"}").apply(EVENT, "r"))
                .isEqualTo(Json.tree("{\"m\": null, \"s\": \"[]\"}"));
    }

    @Test
    void bad_transformers_are_refused_naming_the_problem() {
        assertThatThrownBy(() -> new InputTransformer(Map.of(), "{\"x\": <nope>}"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("<nope>");
        assertThatThrownBy(() -> new InputTransformer(Map.of("x", "detail.state"), "<x>"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("not a JSONPath");
        assertThatThrownBy(() -> new InputTransformer(Map.of("x", "$.detail.state"), "{\"x\": <x>")
                .apply(EVENT, "r")).isInstanceOf(ValidationException.class).hasMessageContaining("does not produce JSON");
    }
}
