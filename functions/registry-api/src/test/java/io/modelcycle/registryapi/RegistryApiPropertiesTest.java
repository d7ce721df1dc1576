package io.modelcycle.registryapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.modelcycle.core.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever a caller sends, the answer is a 2xx or a 4xx with an error body, never a 500: a 500 would mean an input
 * slipped past validation into code that did not expect it. One seeded SQLite registry serves every try, so
 * successful writes pile up as they would in production.
 */
class RegistryApiPropertiesTest {

    private static Path dir;
    private static RegistryFixture fixture;

    @BeforeContainer
    static void seed() throws IOException {
        dir = Files.createTempDirectory("registry-api-properties");
        fixture = RegistryFixture.seeded(dir);
    }

    @AfterContainer
    static void close() throws IOException {
        fixture.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }


    @Property(tries = 150)
    void random_bodies_on_every_route_never_produce_a_500(@ForAll("routes") String[] route, @ForAll("bodies") String body) {
        assertNoFault(send(route[0], route[1], Map.of(), body, "application/json"));
    }

    @Property(tries = 150)
    void random_paths_and_queries_never_produce_a_500(@ForAll("methods") String method, @ForAll("rawPaths") String path,
                                                      @ForAll("queries") Map<String, String> query) {
        assertNoFault(send(method, path, query, null, null));
    }

    private static void assertNoFault(APIGatewayV2HTTPResponse response) {
        assertThat(response.getStatusCode()).as(response.getBody()).isBetween(200, 499);
        if (response.getStatusCode() >= 400) {
            assertThat(Json.tree(response.getBody()).get("error").get("code").asText()).isNotBlank();
        }
    }

    private static APIGatewayV2HTTPResponse send(String method, String path, Map<String, String> query, String body,
                                                 String contentType) {
        APIGatewayV2HTTPEvent event = RegistryFixture.event("get-model.json");
        event.setRawPath(path);
        event.getRequestContext().getHttp().setMethod(method);
        event.setQueryStringParameters(query.isEmpty() ? null : query);
        event.setBody(body);
        Map<String, String> headers = new HashMap<>();
        if (contentType != null) {
            headers.put("content-type", contentType);
        }
        event.setHeaders(headers);
        return fixture.call(event);
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH", "get", "");
    }

    /**
     * A served route (method and path), mostly on the seeded model and versions so that requests get past the
     * lookups into validation and the store, sometimes with implausible names, versions and aliases.
     */
    @Provide
    Arbitrary<String[]> routes() {
        List<io.modelcycle.http.Route> served = fixture.handler.routes();
        Arbitrary<String> names = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just("churn")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("fraud", "nope", "x")),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().withCharRange('a', 'z').withChars('-', '_', '%', 'A', '0')
                        .ofMinLength(1).ofMaxLength(70)));
        Arbitrary<String> versions = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(1, 6).map(String::valueOf)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("0", "-1", "abc", "99999999999", "1.5", "%20")));
        Arbitrary<String> aliases = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of("production", "canary", "previous", "staging")),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().alpha().numeric().withChars('-').ofMinLength(1).ofMaxLength(40)));
        return Combinators.combine(Arbitraries.of(served), names, versions, aliases)
                .as((r, n, v, a) -> new String[] {r.method(), r.template().replace("{name}", n).replace("{v}", v)
                        .replace("{alias}", a)});
    }

    /** JSON-ish bodies: valid request shapes with random values, random JSON values, and garbage. */
    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<Object> scalar = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(20).map(s -> (Object) s),
                Arbitraries.integers().map(i -> (Object) i), Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b), Arbitraries.just(null),
                Arbitraries.of(List.of(), List.of(1, "a"), Map.of(), Map.of("k", "v")).map(x -> (Object) x));
        Arbitrary<String> keys = Arbitraries.of("name", "task", "schema", "target", "owner", "tags", "policies",
                "lineage", "reason", "version", "expectedVersion", "weight", "features", "datasetUri", "bogus");
        Arbitrary<String> randomObjects = Arbitraries.maps(keys, scalar).ofMaxSize(6).map(Json::write);
        Arbitrary<String> shapedModels = Combinators.combine(
                Arbitraries.strings().withCharRange('a', 'z').withChars('-').ofMinLength(1).ofMaxLength(10),
                Arbitraries.of("BINARY_CLASSIFICATION", "REGRESSION", "NOPE"),
                Arbitraries.of("NUMERIC", "CATEGORICAL", "TEXT"),
                Arbitraries.doubles().between(-2, 2)).as((name, task, type, weight) -> "{\"name\":\"" + name
                + "\",\"task\":\"" + task + "\",\"target\":\"y\",\"owner\":\"o\",\"schema\":{\"features\":[{\"name\":\"f\","
                + "\"type\":\"" + type + "\"}]},\"policies\":{\"canary\":{\"weight\":" + weight + "}}}");
        Arbitrary<String> shapedAliases = Combinators.combine(Arbitraries.integers().between(-1, 7),
                Arbitraries.integers().between(-1, 7).injectNull(0.3), Arbitraries.doubles().between(-1, 2).injectNull(0.5))
                .as((v, e, w) -> "{\"version\":" + v + (e == null ? "" : ",\"expectedVersion\":" + e)
                        + (w == null ? "" : ",\"weight\":" + w) + "}");
        Arbitrary<String> shapedLineage = Arbitraries.strings().ofMaxLength(70).map(s -> "{\"lineage\":{\"datasetUri\":"
                + Json.write(s) + ",\"datasetSha256\":" + Json.write(s) + ",\"parentVersion\":" + s.length() % 3 + "}}");
        Arbitrary<String> garbage = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(50),
                Arbitraries.of("", "null", "[]", "{", "{\"reason\":", "[".repeat(2000), "{\"a\":".repeat(600), "\u0000"));
        return Arbitraries.oneOf(randomObjects, shapedModels, shapedAliases, shapedLineage, garbage);
    }

    /** Raw paths: real ones with noise, percent-encodings (broken ones too), dots and slashes. */
    @Provide
    Arbitrary<String> rawPaths() {
        Arbitrary<String> segment = Arbitraries.oneOf(Arbitraries.of("models", "versions", "aliases", "audit", "verify",
                        "approve", "reject", "churn", "1", "5", "production", "..", ".", "%2F", "%zz", "%", "%C3%A9", "%00"),
                Arbitraries.strings().ofMinLength(0).ofMaxLength(12));
        return segment.list().ofMaxSize(7).map(s -> "/" + String.join("/", s));
    }

    @Provide
    Arbitrary<Map<String, String>> queries() {
        Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.of("0", "1", "100", "101", "-1", "abc", "TRAINED",
                "approved", "", "eyJ4IjoxfQ==", "9999999999999"), Arbitraries.strings().ofMaxLength(30));
        return Arbitraries.maps(Arbitraries.of("limit", "nextToken", "status", "expectedVersion", "reason", "x"), values)
                .ofMaxSize(4);
    }
}
