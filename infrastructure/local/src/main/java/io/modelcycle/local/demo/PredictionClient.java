package io.modelcycle.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Sends single-row predictions to a gateway over HTTP, one at a time, as one client on loopback would; counts the
 * answers by status and by the version that served them.
 */
public final class PredictionClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI predict;

    /** A client of {@code POST {gateway}/models/{model}/predict}. */
    public PredictionClient(URI gateway, String model) {
        Objects.requireNonNull(gateway, "gateway");
        this.predict = gateway.resolve("/models/" + model + "/predict");
    }

    /**
     * What a run of requests got.
     *
     * @param requests  requests sent
     * @param ok        answered 200
     * @param byVersion 200 answers by the version that served them
     * @param errors    non-200 answers by status
     * @param elapsed   wall time of the run
     * @param requestIds the request id of each answered row, by row index (null where the request failed); what
     *                   ground-truth feedback refers to
     */
    public record Tally(int requests, int ok, Map<Integer, Integer> byVersion, Map<Integer, Integer> errors,
                        Duration elapsed, List<String> requestIds) {
        public Tally {
            byVersion = Map.copyOf(byVersion);
            errors = Map.copyOf(errors);
            requestIds = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(requestIds));
        }

        /** Requests per second over the run. */
        public double perSecond() {
            return elapsed.isZero() ? 0 : requests / (elapsed.toNanos() / 1e9);
        }

        @Override
        public String toString() {
            return ok + "/" + requests + " ok, served by " + versions(byVersion)
                    + (errors.isEmpty() ? "" : ", errors by status " + errors)
                    + String.format(", %.0f req/s", perSecond());
        }

        private static String versions(Map<Integer, Integer> byVersion) {
            StringBuilder s = new StringBuilder();
            new TreeMap<>(byVersion).forEach((v, n) -> s.append(s.length() == 0 ? "" : ", ").append("v").append(v)
                    .append(" ×").append(n));
            return s.length() == 0 ? "none" : s.toString();
        }
    }

    /** Sends one request per row, in order, and waits for each answer. */
    public Tally send(List<Map<String, Object>> rows) {
        return send(rows, () -> false);
    }

    /** Like {@link #send(List)}, cycling through the rows until {@code stop} says so (checked before each request). */
    public Tally sendUntil(List<Map<String, Object>> rows, java.util.function.BooleanSupplier stop) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no rows to send");
        }
        return run(rows, stop, true);
    }

    private Tally send(List<Map<String, Object>> rows, java.util.function.BooleanSupplier stop) {
        return run(rows, stop, false);
    }

    private Tally run(List<Map<String, Object>> rows, java.util.function.BooleanSupplier stop, boolean cycle) {
        Map<Integer, Integer> byVersion = new TreeMap<>();
        Map<Integer, Integer> errors = new TreeMap<>();
        List<String> ids = new java.util.ArrayList<>();
        int sent = 0;
        int ok = 0;
        long start = System.nanoTime();
        for (int i = 0; cycle || i < rows.size(); i++) {
            if (stop.getAsBoolean()) {
                break;
            }
            HttpResponse<byte[]> response = post(rows.get(i % rows.size()));
            sent++;
            if (response.statusCode() == 200) {
                ok++;
                JsonNode body = Json.tree(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
                byVersion.merge(body.path("version").asInt(), 1, Integer::sum);
                ids.add(body.path("requestId").asText(null));
            } else {
                errors.merge(response.statusCode(), 1, Integer::sum);
                ids.add(null);
            }
        }
        return new Tally(sent, ok, byVersion, errors, Duration.ofNanos(System.nanoTime() - start), ids);
    }

    /**
     * Sends ground truth for answered requests, {@code POST /models/{model}/feedback} in batches; returns the items
     * accepted.
     *
     * @param requestIds request ids, as {@link Tally#requestIds()} gives them (nulls skipped)
     * @param actuals    the true label of each, same order
     */
    public int feedback(List<String> requestIds, List<Object> actuals) {
        if (requestIds.size() != actuals.size()) {
            throw new IllegalArgumentException(requestIds.size() + " request ids but " + actuals.size() + " labels");
        }
        URI uri = predict.resolve("feedback");
        List<Map<String, Object>> batch = new java.util.ArrayList<>();
        int accepted = 0;
        for (int i = 0; i < requestIds.size(); i++) {
            if (requestIds.get(i) != null) {
                batch.add(Map.of("requestId", requestIds.get(i), "actual", actuals.get(i)));
            }
            if (batch.size() == 500 || (i == requestIds.size() - 1 && !batch.isEmpty())) {
                HttpResponse<byte[]> response = postJson(uri, Map.of("items", batch));
                String text = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
                if (response.statusCode() / 100 != 2) {
                    throw new IllegalStateException("feedback answered " + response.statusCode() + ": " + text);
                }
                accepted += Json.tree(text).path("accepted").asInt();
                batch.clear();
            }
        }
        return accepted;
    }

    /** One prediction of one row; the raw response. */
    public HttpResponse<byte[]> post(Map<String, Object> row) {
        return postJson(predict, Map.of("instances", List.of(row)));
    }

    private HttpResponse<byte[]> postJson(URI uri, Object value) {
        try {
            byte[] body = Json.mapper().writeValueAsBytes(value);
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("request to " + uri + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while predicting", e);
        }
    }
}
