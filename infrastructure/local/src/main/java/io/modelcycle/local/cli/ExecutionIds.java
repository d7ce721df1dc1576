package io.modelcycle.local.cli;

import io.modelcycle.local.asl.ExecutionDescription;
import io.modelcycle.local.asl.ExecutionStore;
import java.util.List;

/** Resolves what a user typed as an execution id: a full ARN, or an execution name when it is unambiguous. */
final class ExecutionIds {

    private ExecutionIds() {
    }

    static ExecutionDescription resolve(ExecutionStore store, String id) throws Command.UsageException {
        var exact = store.describe(id);
        if (exact.isPresent()) {
            return exact.get();
        }
        List<ExecutionDescription> byName = store.list().stream()
                .filter(d -> d.name().equals(id) || d.executionArn().endsWith(":" + id)).toList();
        if (byName.size() == 1) {
            return byName.get(0);
        }
        if (byName.isEmpty()) {
            throw new Command.UsageException("no execution '" + id + "' under " + store.file().getParent()
                    + " (see 'modelcycle states list')");
        }
        throw new Command.UsageException("'" + id + "' names " + byName.size() + " executions; give the full id: "
                + byName.stream().map(ExecutionDescription::executionArn).toList());
    }
}
