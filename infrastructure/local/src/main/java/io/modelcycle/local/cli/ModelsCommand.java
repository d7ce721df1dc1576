package io.modelcycle.local.cli;

import io.modelcycle.core.model.Model;
import io.modelcycle.core.registry.Alias;
import io.modelcycle.local.demo.Progress;
import io.modelcycle.local.runtime.LocalRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code modelcycle models}: the registered models with their task and aliases. */
final class ModelsCommand implements Command {

    @Override
    public List<String> words() {
        return List.of("models");
    }

    @Override
    public String summary() {
        return "list the models, with task, target and where their aliases point";
    }

    @Override
    public String help() {
        return """
                Usage: modelcycle [--home DIR] models

                Prints {"models": [{"name", "task", "target", "owner", "features", "aliases": {"production": 2, ...},
                "createdAt"}]} in name order.

                Exit codes: 0 printed; 2 bad arguments.""";
    }

    @Override
    public int run(List<String> args, CliContext context) throws Exception {
        Options.parse(args, java.util.Set.of(), java.util.Set.of()).positional();
        try (HandlerLogs logs = HandlerLogs.redirect(context.home(), "cli");
             LocalRuntime runtime = LocalVerbs.open(context, new Progress(context.err()))) {
            List<Map<String, Object>> models = new ArrayList<>();
            for (Model m : LocalVerbs.models(runtime.registry())) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", m.name());
                row.put("task", m.task());
                row.put("target", m.target());
                row.put("owner", m.owner());
                row.put("features", m.schema().features().size());
                Map<String, Object> aliases = new LinkedHashMap<>();
                for (Alias a : runtime.registry().aliases(m.name())) {
                    aliases.put(a.name(), a.weight() == null ? a.version()
                            : Map.of("version", a.version(), "weight", a.weight()));
                }
                row.put("aliases", aliases);
                row.put("createdAt", m.createdAt());
                models.add(row);
            }
            LocalVerbs.printJson(context, Map.of("models", models));
            return OK;
        }
    }
}
