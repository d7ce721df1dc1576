package io.modelcycle.local.cli;

import io.modelcycle.core.registry.Alias;
import io.modelcycle.core.registry.ModelVersion;
import io.modelcycle.core.registry.PageRequest;
import io.modelcycle.local.demo.Progress;
import io.modelcycle.local.runtime.LocalRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code modelcycle versions <model>}: a model's versions, their status, metrics and aliases. */
final class VersionsCommand implements Command {

    @Override
    public List<String> words() {
        return List.of("versions");
    }

    @Override
    public String summary() {
        return "list a model's versions: status, metrics, lineage, aliases";
    }

    @Override
    public String help() {
        return """
                Usage: modelcycle [--home DIR] versions <model>

                Prints {"model", "aliases": {...}, "versions": [{"version", "status", "aliases", "metrics",
                "dataset", "trigger", "statusReason", "createdAt"}]}, oldest first.

                Exit codes: 0 printed; 1 no such model; 2 bad arguments.""";
    }

    @Override
    public int run(List<String> args, CliContext context) throws Exception {
        String model = LocalVerbs.modelName(Options.parse(args, Set.of(), Set.of()).positional("model").get(0));
        try (HandlerLogs logs = HandlerLogs.redirect(context.home(), "cli");
             LocalRuntime runtime = LocalVerbs.open(context, new Progress(context.err()))) {
            runtime.registry().model(model);
            List<Alias> aliases = runtime.registry().aliases(model);
            Map<String, Object> aliasMap = new LinkedHashMap<>();
            aliases.forEach(a -> aliasMap.put(a.name(), a.version()));
            List<Map<String, Object>> rows = new ArrayList<>();
            for (ModelVersion v : LocalVerbs.all(t -> runtime.registry().versions(model, null,
                    new PageRequest(t, PageRequest.MAX_LIMIT)))) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("version", v.number());
                row.put("status", v.status());
                row.put("aliases", aliases.stream().filter(a -> a.version() == v.number()).map(Alias::name).toList());
                row.put("metrics", v.metrics());
                if (v.lineage() != null) {
                    row.put("dataset", v.lineage().datasetUri());
                    row.put("trigger", v.lineage().trigger());
                }
                row.put("statusReason", v.statusReason());
                row.put("createdAt", v.createdAt());
                rows.add(row);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", model);
            out.put("aliases", aliasMap);
            out.put("versions", rows);
            LocalVerbs.printJson(context, out);
            return OK;
        }
    }
}
