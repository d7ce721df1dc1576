package io.modelcycle.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.modelcycle.core.ValidationException;
import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureSchema;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowValidatorTest {

    final RowValidator validator = new RowValidator("churn", new FeatureSchema(List.of(Feature.numeric("tenure"),
            Feature.categorical("plan", List.of("basic", "pro")))));

    @Test
    void valid_rows_become_values_in_schema_order_with_null_for_a_missing_value() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("plan", "pro");
        row.put("tenure", 3);
        Map<String, Object> missing = new HashMap<>();
        missing.put("tenure", null);
        missing.put("plan", null);

        List<List<Object>> values = validator.validate(List.of(row, missing));

        assertThat(values).containsExactly(List.of(3.0, "pro"), Arrays.asList(null, null));
    }

    @Test
    void every_problem_of_every_row_is_named_by_row_and_field() {
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(Map.of("tenure", "12", "plan", "gold", "colour", "red"));
        rows.add(Map.of("plan", 7));
        rows.add(null);
        rows.add(Map.of("tenure", new BigInteger("1" + "0".repeat(400)), "plan", "basic"));

        ValidationException e = catchThrowableOfType(ValidationException.class, () -> validator.validate(rows));

        assertThat(e.errors()).extracting(ValidationException.FieldError::field).containsExactly(
                "instances[0].tenure", "instances[0].plan", "instances[0].colour",
                "instances[1].tenure", "instances[1].plan", "instances[2]", "instances[3].tenure");
        assertThat(e.errors().get(0).message()).contains("JSON number").contains("'12'");
        assertThat(e.errors().get(1).message()).contains("'gold'").contains("[basic, pro]");
        assertThat(e.errors().get(2).message()).contains("not a feature").contains("tenure");
        assertThat(e.errors().get(3).message()).contains("missing").contains("null");
        assertThat(e.errors().get(4).message()).contains("must be a string");
        assertThat(e.errors().get(6).message()).contains("out of range");
    }

    @Test
    void nan_and_infinity_are_refused_as_strings_and_as_numbers() {
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> validator.validate(List.of(
                Map.of("tenure", "NaN", "plan", "pro"), Map.of("tenure", Double.POSITIVE_INFINITY, "plan", "pro"))));

        assertThat(e.errors()).hasSize(2);
        assertThat(e.errors()).allSatisfy(f -> assertThat(f.message()).contains("NaN and infinity are not accepted"));
    }

    @Test
    void the_error_list_is_capped_and_says_how_many_rows_were_not_checked() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            rows.add(Map.of("plan", "gold"));
        }

        ValidationException e = catchThrowableOfType(ValidationException.class, () -> validator.validate(rows));

        assertThat(e.errors()).hasSize(RowValidator.MAX_ERRORS + 1);
        assertThat(e.errors().get(RowValidator.MAX_ERRORS).message()).contains("950 more rows were not checked");
    }
}
