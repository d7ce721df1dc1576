package io.modelcycle.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RouterTest {

    private final Router<String> router = new Router<String>()
            .add("GET", "/models", "list")
            .add("POST", "/models", "create")
            .add("GET", "/models/{name}", "get")
            .add("GET", "/models/{name}/versions/{v}", "version")
            .add("GET", "/models/{name}/audit", "audit")
            .add("GET", "/models/{name}/audit/verify", "verify")
            .add("GET", "/models/{name}/versions/{v}/{what}", "anything");

    @Test
    void binds_path_parameters_by_template_name() {
        // GIVEN a path with a model name and a version
        // WHEN it is matched
        Router.Match<String> match = router.match("GET", "/models/churn/versions/3");
        // THEN the route and both parameters are found
        assertThat(match.target()).isEqualTo("version");
        assertThat(match.route().toString()).isEqualTo("GET /models/{name}/versions/{v}");
        assertThat(match.pathParameters()).containsEntry("name", "churn").containsEntry("v", "3");
    }

    @Test
    void literal_segments_win_over_parameters() {
        assertThat(router.match("GET", "/models/churn/audit/verify").target()).isEqualTo("verify");
        assertThat(router.match("GET", "/models/churn/versions/3/card").target()).isEqualTo("anything");
    }

    @Test
    void method_is_case_insensitive_and_a_trailing_slash_is_ignored() {
        assertThat(router.match("get", "/models/").target()).isEqualTo("list");
    }

    @Test
    void unknown_path_is_404_and_known_path_with_wrong_method_is_405_naming_the_allowed_ones() {
        assertThatThrownBy(() -> router.match("GET", "/nothing/here"))
                .isInstanceOfSatisfying(HttpException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.getMessage()).contains("GET /nothing/here");
                });
        assertThatThrownBy(() -> router.match("DELETE", "/models"))
                .isInstanceOfSatisfying(HttpException.class, e -> {
                    assertThat(e.status()).isEqualTo(405);
                    assertThat(e.headers()).containsEntry("allow", "GET, POST");
                });
    }

    @Test
    void empty_segments_do_not_match_a_parameter() {
        assertThatThrownBy(() -> router.match("GET", "/models//versions/1"))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void parameters_are_percent_decoded_but_plus_stays_plus() {
        assertThat(router.match("GET", "/models/a%2Fb+c%C3%A9").pathParameters()).containsEntry("name", "a/b+cé");
    }

    @Test
    void broken_percent_encoding_is_a_400() {
        assertThatThrownBy(() -> router.match("GET", "/models/%zz"))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void two_routes_with_the_same_shape_are_refused() {
        assertThatThrownBy(() -> new Router<String>().add("GET", "/a/{x}", "1").add("GET", "/a/{y}", "2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clashes");
    }
}
