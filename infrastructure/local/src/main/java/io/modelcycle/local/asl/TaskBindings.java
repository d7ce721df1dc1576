package io.modelcycle.local.asl;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The binding table from task names to in-process handlers. A Task state resolves its handler by, in order:
 * <ol>
 *   <li>for {@code arn:aws:states:::lambda:invoke[.waitForTaskToken]}: the {@code FunctionName} parameter (as
 *       written, then without a {@code :qualifier});</li>
 *   <li>the {@code Resource} exactly as written (so {@code ...createTrainingJob.sync} can be bound on its own);</li>
 *   <li>the {@code Resource} without its {@code .sync}, {@code .sync:2} or {@code .waitForTaskToken} suffix.</li>
 * </ol>
 * Names are what the definition says, {@code ${Substitution}} placeholders included: the local runtime binds the
 * same names that CDK substitutes with ARNs on AWS.
 */
public final class TaskBindings {

    private final Map<String, TaskHandler> handlers = new ConcurrentHashMap<>();

    /** Binds {@code name}; a later binding of the same name replaces the earlier one. */
    public TaskBindings bind(String name, TaskHandler handler) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a binding needs a name");
        }
        handlers.put(name, java.util.Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** Removes a binding. */
    public void unbind(String name) {
        handlers.remove(name);
    }

    /** The handler bound to exactly {@code name}. */
    public Optional<TaskHandler> get(String name) {
        return Optional.ofNullable(name == null ? null : handlers.get(name));
    }

    /** Every bound name. */
    public Set<String> names() {
        return Set.copyOf(handlers.keySet());
    }
}
