package io.modelcycle.registryapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.modelcycle.http.Route;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handler serves exactly the paths and methods {@code openapi.yaml} documents: no more, no fewer. */
class OpenApiContractTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @Test
    void documented_routes_are_exactly_the_served_routes(@TempDir Path dir) throws IOException {
        // GIVEN the OpenAPI document shipped in the jar
        JsonNode doc;
        try (InputStream in = RegistryApiHandler.class.getResourceAsStream("/openapi.yaml")) {
            assertThat(in).as("openapi.yaml on the classpath").isNotNull();
            doc = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        Set<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> {
                if (METHODS.contains(method)) {
                    documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            });
        }

        // WHEN the handler lists what it serves
        try (RegistryFixture fixture = new RegistryFixture(dir)) {
            Set<String> served = fixture.handler.routes().stream().map(Route::toString)
                    .collect(Collectors.toCollection(TreeSet::new));

            // THEN the two sets are equal, and each has the twelve registry routes and the feedback route
            assertThat(served).isEqualTo(documented).hasSize(13).contains("POST /models/{name}/feedback");
        }
    }
}
