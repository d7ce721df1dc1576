package io.modelcycle.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.modelcycle.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever a caller sends, the answer is a 200 or a 4xx with an error body, never a 500: a 500 would mean an input
 * slipped past validation into code (the encoder, the network) that did not expect it. One served model answers every
 * try.
 */
class InferencePropertiesTest {

    private static Path dir;
    private static ServingFixture fixture;

    @BeforeContainer
    static void serve() throws IOException {
        dir = Files.createTempDirectory("inference-properties");
        fixture = new ServingFixture(dir, 0.0);
    }

    @AfterContainer
    static void stop() throws IOException {
        fixture.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 200)
    void random_rows_never_produce_a_500(@ForAll("rows") List<Map<String, Object>> rows) {
        assertNoFault(fixture.post("/models/churn/predict", null, Json.write(Map.of("instances", rows)), "application/json"));
    }

    @Property(tries = 150)
    void random_bodies_and_content_types_never_produce_a_500(@ForAll("bodies") String body,
                                                             @ForAll("contentTypes") String contentType) {
        assertNoFault(fixture.post("/models/churn/predict", null, body, contentType));
    }

    @Property(tries = 100)
    void random_paths_and_aliases_never_produce_a_500(@ForAll("paths") String path, @ForAll("aliases") String alias) {
        assertNoFault(fixture.post(path, alias.isEmpty() ? null : "alias=" + alias,
                "{\"instances\":[{\"x1\":1,\"x2\":2,\"x3\":3,\"c1\":\"a\"}]}", "application/json"));
    }

    private static void assertNoFault(APIGatewayV2HTTPResponse response) {
        assertThat(response.getStatusCode()).as(response.getBody()).isIn(200, 400, 404, 405, 409, 413, 415);
        if (response.getStatusCode() >= 400) {
            assertThat(Json.tree(response.getBody()).get("error").get("code").asText()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<List<Map<String, Object>>> rows() {
        Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of("x1", "x2", "x3", "c1"),
                Arbitraries.strings().ofMaxLength(6));
        Arbitrary<Object> values = Arbitraries.oneOf(
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.bigIntegers().between(java.math.BigInteger.TEN.pow(400).negate(), java.math.BigInteger.TEN.pow(400))
                        .map(b -> (Object) b),
                Arbitraries.of("a", "b", "c", "z", "NaN", "Infinity", "-Infinity", "", "1.5").map(s -> (Object) s),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just(null),
                Arbitraries.just(List.of(1, 2)).map(l -> (Object) l),
                Arbitraries.just(Map.of("k", 1)).map(m -> (Object) m));
        Arbitrary<Map<String, Object>> row = Arbitraries.maps(keys, values).ofMaxSize(6).map(m -> (Map<String, Object>) new LinkedHashMap<>(m));
        Arbitrary<Map<String, Object>> complete = Arbitraries.oneOf(
                Arbitraries.doubles().between(-1e6, 1e6).map(d -> (Object) d), Arbitraries.just(null))
                .list().ofSize(3).flatMap(nums -> Arbitraries.of("a", "b", "c", "d").injectNull(0.2).map(c -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("x1", nums.get(0));
                    m.put("x2", nums.get(1));
                    m.put("x3", nums.get(2));
                    m.put("c1", c);
                    return m;
                }));
        return Arbitraries.oneOf(row, complete, complete).list().ofMinSize(0).ofMaxSize(20)
                .map(l -> (List<Map<String, Object>>) new ArrayList<>(l));
    }

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(60),
                Arbitraries.of("", "null", "[]", "{}", "{\"instances\":null}", "{\"instances\":{}}", "{\"instances\":[null]}",
                        "{\"instances\":[1,2]}", "{\"instances\":[[]]}", "{\"instances\":\"x\"}", "{\"rows\":[]}",
                        "{\"instances\":[{\"x1\":NaN}]}", "{\"instances\":[{}]}{}", "{\"instances\":[{\"x1\":1e99999}]}"));
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.of("application/json", "application/json; charset=utf-8", "text/plain", "application/xml",
                "application/json; charset=latin1").injectNull(0.1);
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.oneOf(
                Arbitraries.of("/models/churn/predict", "/models/churn/versions/1/predict", "/models/churn/versions/0/predict",
                        "/models/churn/versions/-1/predict", "/models/churn/versions/99999999999/predict",
                        "/models/CHURN/predict", "/models/%zz/predict", "/models//predict", "/models/churn/versions/x/predict"),
                Arbitraries.strings().withChars("/abcz%01-_.").ofMaxLength(30).map(s -> "/models/" + s + "/predict"));
    }

    @Provide
    Arbitrary<String> aliases() {
        return Arbitraries.oneOf(Arbitraries.of("", "production", "canary", "previous", "PRODUCTION", "x".repeat(40)),
                Arbitraries.strings().ofMaxLength(10).map(s -> java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8)));
    }
}
