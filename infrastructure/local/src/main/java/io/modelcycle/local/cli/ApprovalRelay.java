package io.modelcycle.local.cli;

import io.modelcycle.core.Json;
import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.artifact.ArtifactKeys;
import io.modelcycle.core.lifecycle.Approvals;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.registry.ModelVersion;
import io.modelcycle.core.registry.PageRequest;
import io.modelcycle.core.registry.VersionStatus;
import io.modelcycle.local.runtime.LocalRuntime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Lets a person's approval reach a pipeline that waits in another {@code modelcycle} process. A training pipeline
 * waiting for manual approval holds its task token in the executor of the process that runs it (an {@code upload},
 * {@code train} or {@code serve}); {@code modelcycle approve} in another process records the approval in the shared
 * registry but cannot answer that token. This relay, running in the process that holds the token, answers it when it
 * sees the version APPROVED (or REJECTED) in the registry, as {@link Approvals} would have in-process.
 */
final class ApprovalRelay implements AutoCloseable {

    /** Where {@link Approvals} keeps a waiting pipeline's task token (under the version's artifacts). */
    static final String TOKEN_FILE = "approval-token.json";

    private final LocalRuntime runtime;
    private final ScheduledExecutorService timer;

    private ApprovalRelay(LocalRuntime runtime, Duration every) {
        this.runtime = runtime;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "approval-relay");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                relayNow();
            } catch (RuntimeException e) {
                // the next round tries again; a registry busy with another process is not fatal
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Checks every {@code every} until closed. */
    static ApprovalRelay start(LocalRuntime runtime, Duration every) {
        return new ApprovalRelay(runtime, every);
    }

    /** Answers the tokens this process holds for versions decided elsewhere; returns how many it answered. */
    int relayNow() {
        Set<String> waiting = runtime.executor().waitingTokens();
        if (waiting.isEmpty()) {
            return 0;
        }
        int answered = 0;
        for (Model model : LocalVerbs.models(runtime.registry())) {
            for (VersionStatus decided : new VersionStatus[] {VersionStatus.APPROVED, VersionStatus.REJECTED}) {
                for (ModelVersion v : LocalVerbs.all(t -> runtime.registry().versions(model.name(), decided,
                        new PageRequest(t, PageRequest.MAX_LIMIT)))) {
                    String key = ArtifactKeys.versionFile(model.name(), v.number(), TOKEN_FILE);
                    String token;
                    try {
                        token = Json.tree(new String(runtime.artifacts().read(key), StandardCharsets.UTF_8))
                                .path("taskToken").asText(null);
                    } catch (NotFoundException e) {
                        continue;
                    }
                    if (token == null || !waiting.contains(token)) {
                        continue;
                    }
                    if (decided == VersionStatus.APPROVED) {
                        runtime.workflows().sendTaskSuccess(token, Json.write(Map.of("approvedBy",
                                String.valueOf(v.statusReason()), "version", v.number())));
                    } else {
                        runtime.workflows().sendTaskFailure(token, Approvals.REJECTED_ERROR,
                                "rejected: " + v.statusReason());
                    }
                    runtime.artifacts().delete(key);
                    answered++;
                }
            }
        }
        return answered;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
