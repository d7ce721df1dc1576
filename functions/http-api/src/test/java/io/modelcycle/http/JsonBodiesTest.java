package io.modelcycle.http;

import static io.modelcycle.http.TestEvents.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcycle.core.ValidationException;
import io.modelcycle.core.ValidationException.FieldError;
import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.model.Policies;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonBodiesTest {

    /** A request body with a nested core record and a validating compact constructor. */
    record Thing(String name, Integer size, FeatureSchema schema, Policies policies, java.time.DayOfWeek day) {
        Thing {
            if (name == null || name.isBlank()) {
                throw new ValidationException("name", "is required");
            }
        }
    }

    private final JsonBodies bodies = new JsonBodies(1024);

    @Test
    void reads_a_valid_body_with_any_case_of_content_type_and_a_utf8_charset() {
        Thing thing = bodies.read(request("Application/JSON; charset=UTF-8", "{\"name\":\"a\",\"size\":3}"), Thing.class);
        assertThat(thing.name()).isEqualTo("a");
        assertThat(thing.size()).isEqualTo(3);
    }

    @Test
    void a_body_over_the_limit_is_413_before_anything_else_is_looked_at() {
        String big = "{\"name\":\"" + "x".repeat(2000) + "\"}";
        assertThatThrownBy(() -> bodies.read(request("text/plain", big), Thing.class))
                .isInstanceOfSatisfying(HttpException.class, e -> {
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.getMessage()).contains("at most 1024 bytes");
                });
    }

    @Test
    void a_body_that_is_not_json_by_content_type_is_415() {
        for (String type : new String[] {null, "text/plain", "application/json; charset=latin1", "application/jsonx"}) {
            assertThatThrownBy(() -> bodies.read(request(type, "{\"name\":\"a\"}"), Thing.class))
                    .as(String.valueOf(type))
                    .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(415));
        }
    }

    @Test
    void an_empty_body_is_a_validation_error_when_required_and_empty_when_optional() {
        assertThatThrownBy(() -> bodies.read(request(null, "  \n"), Thing.class))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.errors()).containsExactly(new FieldError("body", "a JSON object is required")));
        assertThat(bodies.readOptional(request(null, null), Thing.class)).isEmpty();
    }

    @Test
    void an_unknown_field_is_named_with_the_fields_that_exist() {
        assertThatThrownBy(() -> bodies.read(request("application/json", "{\"name\":\"a\",\"colour\":1}"), Thing.class))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.errors()).hasSize(1);
                    assertThat(e.errors().get(0).field()).isEqualTo("colour");
                    assertThat(e.errors().get(0).message()).contains("unknown field 'colour'").contains("name", "size");
                });
    }

    @Test
    void malformed_json_says_where() {
        assertThatThrownBy(() -> bodies.read(request("application/json", "{\"name\":\n\"a\" \"size\"}"), Thing.class))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.errors().get(0).field()).isEqualTo("body");
                    assertThat(e.errors().get(0).message()).contains("not valid JSON").contains("line 2");
                });
    }

    @Test
    void a_nested_record_error_is_reported_at_its_path_in_the_body() {
        String body = "{\"name\":\"a\",\"schema\":{\"features\":[{\"name\":\"ok\",\"type\":\"NUMERIC\"},"
                + "{\"name\":\"9bad name\",\"type\":\"NUMERIC\"}]}}";
        assertThatThrownBy(() -> bodies.read(request("application/json", body), Thing.class))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("schema.features[1].name"));
    }

    @Test
    void a_core_record_that_names_its_full_path_keeps_it() {
        String body = "{\"name\":\"a\",\"policies\":{\"canary\":{\"weight\":2}}}";
        assertThatThrownBy(() -> bodies.read(request("application/json", body), Thing.class))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("policies.canary.weight"));
    }

    @Test
    void a_wrong_enum_value_lists_the_allowed_ones() {
        assertThatThrownBy(() -> bodies.read(request("application/json", "{\"name\":\"a\",\"day\":\"SOMEDAY\"}"), Thing.class))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.errors().get(0).field()).isEqualTo("day");
                    assertThat(e.errors().get(0).message()).contains("MONDAY");
                });
    }

    @Test
    void wrong_json_types_and_a_null_body_are_validation_errors() {
        for (String body : List.of("[]", "42", "null", "{\"name\":\"a\",\"size\":\"many\"}", "{\"name\":\"a\"} {}",
                "{\"name\":\"a\",\"size\":99999999999}")) {
            assertThatThrownBy(() -> bodies.read(request("application/json", body), Thing.class)).as(body)
                    .isInstanceOf(ValidationException.class);
        }
    }

    @Test
    void a_number_too_big_for_its_field_names_the_field() {
        assertThatThrownBy(() -> bodies.read(request("application/json", "{\"name\":\"a\",\"size\":99999999999}"), Thing.class))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.errors().get(0).field()).isEqualTo("size");
                    assertThat(e.errors().get(0).message()).contains("99999999999").contains("out of range");
                });
    }

    @Test
    void qualify_joins_paths_only_when_the_field_is_relative() {
        assertThat(JsonBodies.qualify("", "name")).isEqualTo("name");
        assertThat(JsonBodies.qualify("schema.features[2]", "name")).isEqualTo("schema.features[2].name");
        assertThat(JsonBodies.qualify("schema", "schema.features")).isEqualTo("schema.features");
        assertThat(JsonBodies.qualify("lineage", "lineage.datasetUri")).isEqualTo("lineage.datasetUri");
    }
}
