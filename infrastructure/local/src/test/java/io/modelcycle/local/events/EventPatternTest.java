package io.modelcycle.local.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcycle.core.ValidationException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link EventPattern} against the examples of the Amazon EventBridge User Guide ("Event patterns", "Content filtering
 * in Amazon EventBridge event patterns", "Comparison operators"), each with an event that matches and one that does
 * not.
 */
class EventPatternTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The user guide's EC2 instance state-change event. */
    private static final String EC2_EVENT = """
            {"version": "0", "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
             "detail-type": "EC2 Instance State-change Notification", "source": "aws.ec2",
             "account": "111122223333", "time": "2017-12-22T18:43:48Z", "region": "us-west-1",
             "resources": ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
             "detail": {"instance-id": "i-1234567890abcdef0", "state": "terminated"}}""";

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    private static boolean matches(String pattern, String event) {
        return EventPattern.parse(pattern).matches(json(event));
    }

    @Nested
    class ExactValues {
        @Test
        void every_field_of_the_pattern_must_match_and_a_list_means_any_of() {
            String pattern = """
                    {"source": ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"],
                     "detail": {"state": ["terminated", "stopped"]}}""";
            assertThat(matches(pattern, EC2_EVENT)).isTrue();
            assertThat(matches(pattern, EC2_EVENT.replace("\"terminated\"", "\"running\""))).isFalse();
            assertThat(matches(pattern, EC2_EVENT.replace("aws.ec2", "aws.s3"))).isFalse();
        }

        @Test
        void an_array_in_the_event_matches_when_any_element_is_one_of_the_values() {
            String pattern = """
                    {"resources": ["arn:aws:ec2:us-west-1:123456789012:instance/i-other",
                                   "arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"]}""";
            assertThat(matches(pattern, EC2_EVENT)).isTrue();
            assertThat(matches("{\"resources\": [\"arn:aws:ec2:us-west-1:123456789012:instance/i-other\"]}", EC2_EVENT))
                    .isFalse();
        }

        @Test
        void the_empty_pattern_matches_every_event_and_values_are_case_sensitive() {
            assertThat(matches("{}", EC2_EVENT)).isTrue();
            assertThat(matches("{\"source\": [\"AWS.EC2\"]}", EC2_EVENT)).isFalse();
        }

        @Test
        void null_and_empty_string_match_only_themselves_and_never_an_absent_field() {
            String event = "{\"detail\": {\"responseElements\": null, \"eventVersion\": \"\"}}";
            assertThat(matches("{\"detail\": {\"responseElements\": [null]}}", event)).isTrue();
            assertThat(matches("{\"detail\": {\"eventVersion\": [\"\"]}}", event)).isTrue();
            assertThat(matches("{\"detail\": {\"missing\": [null]}}", event)).isFalse();
            assertThat(matches("{\"detail\": {\"eventVersion\": [null]}}", event)).isFalse();
        }

        @Test
        void numbers_and_booleans_match_by_value_not_by_text() {
            String event = "{\"detail\": {\"count\": 300, \"ok\": true}}";
            assertThat(matches("{\"detail\": {\"count\": [300.0]}}", event)).isTrue();
            assertThat(matches("{\"detail\": {\"count\": [\"300\"]}}", event)).isFalse();
            assertThat(matches("{\"detail\": {\"ok\": [true]}}", event)).isTrue();
            assertThat(matches("{\"detail\": {\"ok\": [\"true\"]}}", event)).isFalse();
        }
    }

    @Nested
    class PrefixSuffixAndCase {
        @Test
        void prefix_matching_of_the_user_guide() {
            assertThat(matches("{\"time\": [{\"prefix\": \"2017-12-22\"}]}", EC2_EVENT)).isTrue();
            assertThat(matches("{\"time\": [{\"prefix\": \"2017-10-02\"}]}", EC2_EVENT)).isFalse();
        }

        @Test
        void prefix_and_suffix_ignoring_case() {
            assertThat(matches("{\"detail\": {\"service\": [{\"prefix\": {\"equals-ignore-case\": \"EventB\"}}]}}",
                    "{\"detail\": {\"service\": \"eventbridge\"}}")).isTrue();
            assertThat(matches("{\"detail\": {\"FileName\": [{\"suffix\": {\"equals-ignore-case\": \".png\"}}]}}",
                    "{\"detail\": {\"FileName\": \"IMAGE.PNG\"}}")).isTrue();
            assertThat(matches("{\"detail\": {\"FileName\": [{\"suffix\": \".png\"}]}}",
                    "{\"detail\": {\"FileName\": \"IMAGE.PNG\"}}")).isFalse();
        }

        @Test
        void suffix_and_equals_ignore_case() {
            assertThat(matches("{\"FileName\": [{\"suffix\": \".png\"}]}", "{\"FileName\": \"photo.png\"}")).isTrue();
            assertThat(matches("{\"FileName\": [{\"suffix\": \".png\"}]}", "{\"FileName\": \"photo.jpg\"}")).isFalse();
            assertThat(matches("{\"detail-type\": [{\"equals-ignore-case\": \"ec2 instance state-change notification\"}]}",
                    EC2_EVENT)).isTrue();
        }

        @Test
        void prefix_never_matches_a_number() {
            assertThat(matches("{\"n\": [{\"prefix\": \"12\"}]}", "{\"n\": 123}")).isFalse();
        }
    }

    @Nested
    class AnythingBut {
        @Test
        void a_string_or_a_number() {
            assertThat(matches("{\"detail\": {\"state\": [{\"anything-but\": \"initializing\"}]}}",
                    "{\"detail\": {\"state\": \"running\"}}")).isTrue();
            assertThat(matches("{\"detail\": {\"state\": [{\"anything-but\": \"initializing\"}]}}",
                    "{\"detail\": {\"state\": \"initializing\"}}")).isFalse();
            assertThat(matches("{\"detail\": {\"x-limit\": [{\"anything-but\": 123}]}}",
                    "{\"detail\": {\"x-limit\": 456}}")).isTrue();
            assertThat(matches("{\"detail\": {\"x-limit\": [{\"anything-but\": 123}]}}",
                    "{\"detail\": {\"x-limit\": 123}}")).isFalse();
        }

        @Test
        void a_list_of_strings_or_of_numbers() {
            String strings = "{\"detail\": {\"state\": [{\"anything-but\": [\"stopped\", \"overloaded\"]}]}}";
            assertThat(matches(strings, "{\"detail\": {\"state\": \"running\"}}")).isTrue();
            assertThat(matches(strings, "{\"detail\": {\"state\": \"overloaded\"}}")).isFalse();
            String numbers = "{\"detail\": {\"x-limit\": [{\"anything-but\": [100, 200, 300]}]}}";
            assertThat(matches(numbers, "{\"detail\": {\"x-limit\": 150}}")).isTrue();
            assertThat(matches(numbers, "{\"detail\": {\"x-limit\": 200}}")).isFalse();
        }

        @Test
        void a_prefix_a_suffix_or_a_wildcard() {
            assertThat(matches("{\"detail\": {\"state\": [{\"anything-but\": {\"prefix\": \"init\"}}]}}",
                    "{\"detail\": {\"state\": \"running\"}}")).isTrue();
            assertThat(matches("{\"detail\": {\"state\": [{\"anything-but\": {\"prefix\": \"init\"}}]}}",
                    "{\"detail\": {\"state\": \"initializing\"}}")).isFalse();
            assertThat(matches("{\"detail\": {\"FileName\": [{\"anything-but\": {\"suffix\": \".txt\"}}]}}",
                    "{\"detail\": {\"FileName\": \"notes.txt\"}}")).isFalse();
            assertThat(matches("{\"FilePath\": [{\"anything-but\": {\"wildcard\": \"*/lib/*\"}}]}",
                    "{\"FilePath\": \"/usr/lib/x.so\"}")).isFalse();
            assertThat(matches("{\"FilePath\": [{\"anything-but\": {\"wildcard\": \"*/lib/*\"}}]}",
                    "{\"FilePath\": \"/usr/bin/x\"}")).isTrue();
        }

        @Test
        void an_absent_field_is_not_anything_but() {
            assertThat(matches("{\"detail\": {\"state\": [{\"anything-but\": \"initializing\"}]}}",
                    "{\"detail\": {}}")).isFalse();
        }
    }

    @Nested
    class NumericExistsWildcardCidr {
        @Test
        void numeric_ranges_of_the_user_guide() {
            String pattern = """
                    {"detail": {"c-count": [{"numeric": [">", 0, "<=", 5]}], "d-count": [{"numeric": ["<", 10]}],
                                "x-limit": [{"numeric": ["=", 3.018e2]}]}}""";
            assertThat(matches(pattern, "{\"detail\": {\"c-count\": 5, \"d-count\": 7, \"x-limit\": 301.8}}")).isTrue();
            assertThat(matches(pattern, "{\"detail\": {\"c-count\": 0, \"d-count\": 7, \"x-limit\": 301.8}}")).isFalse();
            assertThat(matches(pattern, "{\"detail\": {\"c-count\": 5, \"d-count\": 10, \"x-limit\": 301.8}}")).isFalse();
            assertThat(matches(pattern, "{\"detail\": {\"c-count\": \"5\", \"d-count\": 7, \"x-limit\": 301.8}}"))
                    .as("a numeric matcher never matches a string").isFalse();
        }

        @Test
        void exists_true_and_false() {
            assertThat(matches("{\"detail\": {\"state\": [{\"exists\": true}]}}", EC2_EVENT)).isTrue();
            assertThat(matches("{\"detail\": {\"c-count\": [{\"exists\": false}]}}", EC2_EVENT)).isTrue();
            assertThat(matches("{\"detail\": {\"state\": [{\"exists\": false}]}}", EC2_EVENT)).isFalse();
            assertThat(matches("{\"detail\": {\"c-count\": [{\"exists\": true}]}}", EC2_EVENT)).isFalse();
        }

        @Test
        void wildcards() {
            String pattern = "{\"EventBusArn\": [{\"wildcard\": \"arn:aws:events:us-east-1:*:event-bus/*\"}]}";
            assertThat(matches(pattern, "{\"EventBusArn\": \"arn:aws:events:us-east-1:123456789012:event-bus/main\"}"))
                    .isTrue();
            assertThat(matches(pattern, "{\"EventBusArn\": \"arn:aws:events:us-west-2:123456789012:event-bus/main\"}"))
                    .isFalse();
            assertThat(matches("{\"k\": [{\"wildcard\": \"a\\\\*b\"}]}", "{\"k\": \"a*b\"}")).isTrue();
            assertThat(matches("{\"k\": [{\"wildcard\": \"a\\\\*b\"}]}", "{\"k\": \"axb\"}")).isFalse();
        }

        @Test
        void ipv4_cidr_blocks() {
            String pattern = "{\"detail\": {\"sourceIPAddress\": [{\"cidr\": \"10.0.0.0/24\"}]}}";
            assertThat(matches(pattern, "{\"detail\": {\"sourceIPAddress\": \"10.0.0.255\"}}")).isTrue();
            assertThat(matches(pattern, "{\"detail\": {\"sourceIPAddress\": \"10.0.1.0\"}}")).isFalse();
        }

        @Test
        void or_of_the_user_guide() {
            String pattern = """
                    {"detail": {"$or": [{"c-count": [{"numeric": [">", 0, "<=", 5]}]},
                                        {"d-count": [{"numeric": ["<", 10]}]},
                                        {"x-limit": [{"numeric": ["=", 3.018e2]}]}]}}""";
            assertThat(matches(pattern, "{\"detail\": {\"c-count\": 50, \"d-count\": 3}}")).isTrue();
            assertThat(matches(pattern, "{\"detail\": {\"c-count\": 50, \"d-count\": 30}}")).isFalse();
        }

        @Test
        void nested_objects_must_be_objects_in_the_event() {
            assertThat(matches("{\"detail\": {\"state\": [\"terminated\"]}}", "{\"detail\": \"terminated\"}")).isFalse();
        }
    }

    @Nested
    class MalformedPatterns {
        @Test
        void are_refused_with_the_field_and_the_problem() {
            assertThatThrownBy(() -> EventPattern.parse("{\"source\": \"aws.ec2\"}"))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("source")
                    .hasMessageContaining("array");
            assertThatThrownBy(() -> EventPattern.parse("{\"detail\": {\"n\": [{\"numeric\": [\"~\", 1]}]}}"))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("detail.n")
                    .hasMessageContaining("numeric operator");
            assertThatThrownBy(() -> EventPattern.parse("{\"n\": [{\"contains\": \"x\"}]}"))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("unknown matcher 'contains'");
            assertThatThrownBy(() -> EventPattern.parse("{\"n\": []}"))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("empty array");
            assertThatThrownBy(() -> EventPattern.parse("{\"n\": [{\"anything-but\": [\"a\", 1]}]}"))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("only strings or only numbers");
            assertThatThrownBy(() -> EventPattern.parse("[1]"))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("JSON object");
        }
    }
}
