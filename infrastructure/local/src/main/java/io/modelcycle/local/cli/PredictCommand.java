package io.modelcycle.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.Json;
import io.modelcycle.local.demo.Progress;
import io.modelcycle.local.gateway.LocalServing;
import io.modelcycle.local.runtime.LocalRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code modelcycle predict <model> --row JSON | --file rows.json}: predictions through the local gateway. */
final class PredictCommand implements Command {

    @Override
    public List<String> words() {
        return List.of("predict");
    }

    @Override
    public String summary() {
        return "predict one row (--row) or many (--file) with the production (or another) version";
    }

    @Override
    public String help() {
        return """
                Usage: modelcycle [--home DIR] predict <model> (--row '{"x1": 0.3, "c1": "a"}' | --file rows.json)
                                                       [--alias NAME | --version N]

                Sends the rows through the local HTTP gateway to POST /models/<model>/predict (the same handler and
                event as on AWS) and prints the response: {"model", "version", "alias", "requestId",
                "predictions": [...]}. --file takes a JSON array of rows or {"instances": [...]}. By default the
                production alias answers (a canary takes its share); --alias picks another alias, --version pins
                a version.

                Exit codes: 0 predicted; 1 the model, alias or version cannot serve, or a row does not fit the
                schema (the message says which field); 2 bad arguments or unreadable JSON.""";
    }

    @Override
    public int run(List<String> args, CliContext context) throws Exception {
        Options o = Options.parse(args, Set.of("row", "file", "alias", "version"), Set.of());
        String model = LocalVerbs.modelName(o.positional("model").get(0));
        if (o.has("row") == o.has("file")) {
            throw new UsageException("give exactly one of --row JSON and --file rows.json");
        }
        if (o.has("alias") && o.has("version")) {
            throw new UsageException("give --alias or --version, not both");
        }
        JsonNode instances = instances(o);
        String path = o.has("version") ? "/models/" + model + "/versions/" + Options.version(o.get("version"))
                + "/predict" : "/models/" + model + "/predict" + (o.has("alias") ? "?alias=" + o.get("alias") : "");
        try (HandlerLogs logs = HandlerLogs.redirect(context.home(), "cli");
             LocalRuntime runtime = LocalVerbs.open(context, new Progress(context.err()));
             LocalServing serving = LocalServing.start(runtime, 0, LocalVerbs.actor())) {
            URI uri = serving.gateway().url().resolve(path);
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("instances", instances)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = Json.tree(response.body());
            if (response.statusCode() != 200) {
                context.err().println("modelcycle predict: " + response.statusCode() + " "
                        + body.path("error").path("message").asText(response.body()));
                return FAILED;
            }
            LocalVerbs.printJson(context, body);
            return OK;
        }
    }

    private static JsonNode instances(Options o) throws UsageException {
        String text;
        String source;
        if (o.has("row")) {
            text = o.get("row");
            source = "--row";
        } else {
            Path file = Path.of(o.get("file"));
            source = file.toString();
            try {
                text = Files.readString(file);
            } catch (java.io.IOException e) {
                throw new UsageException("cannot read " + file + ": " + e.getMessage());
            }
        }
        JsonNode node;
        try {
            node = Json.tree(text);
        } catch (RuntimeException e) {
            throw new UsageException(source + " is not valid JSON");
        }
        if (o.has("row")) {
            if (!node.isObject()) {
                throw new UsageException("--row must be one JSON object of feature values");
            }
            return Json.mapper().createArrayNode().add(node);
        }
        if (node.isObject() && node.has("instances")) {
            node = node.get("instances");
        }
        if (!node.isArray() || node.isEmpty()) {
            throw new UsageException(source + " must hold a non-empty JSON array of rows, or {\"instances\": [...]}");
        }
        return node;
    }
}
