package io.modelcycle.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.workflow.WorkflowLauncher;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The local runtime's event bus: holds {@link EventRule}s and delivers each event put on it to the target workflow of
 * every rule whose pattern matches, through a {@link WorkflowLauncher}. Scheduled rules fire on their rate once
 * {@link #startSchedules()} is called, and on demand with {@link #fireSchedule}.
 *
 * <p>The execution a delivery starts is named after the rule and the event's {@code id}, so delivering the same event
 * twice (EventBridge delivers at least once) starts one execution. A delivery that fails (an unknown workflow, a
 * transformer that cannot build the input) is reported in its {@link Delivery} and to the listeners, and never stops
 * the other rules' deliveries. Thread-safe.
 */
public final class EventBus implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EventBus.class.getName());

    private final WorkflowLauncher workflows;
    private final Clock clock;
    private final Map<String, EventRule> rules = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> timers = new ConcurrentHashMap<>();
    private final List<Consumer<Delivery>> listeners = new CopyOnWriteArrayList<>();
    private volatile ScheduledExecutorService scheduler;

    public EventBus(WorkflowLauncher workflows, Clock clock) {
        this.workflows = Objects.requireNonNull(workflows, "workflows");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * What happened to an event for one rule.
     *
     * @param rule         the rule's name
     * @param workflow     its target workflow
     * @param input        the input built for the workflow (null when building it failed)
     * @param executionArn the execution started (or found, for a repeated event); null on failure
     * @param error        why the delivery failed; null on success
     */
    public record Delivery(String rule, String workflow, JsonNode input, String executionArn, String error) {
        public boolean succeeded() {
            return error == null;
        }
    }

    /** Adds or replaces a rule (by name). A scheduled rule starts ticking if schedules are running. */
    public void putRule(EventRule rule) {
        Objects.requireNonNull(rule, "rule");
        rules.put(rule.name(), rule);
        ScheduledFuture<?> old = timers.remove(rule.name());
        if (old != null) {
            old.cancel(false);
        }
        if (rule.scheduled() && scheduler != null) {
            schedule(rule);
        }
    }

    /** Removes a rule; removing an unknown rule changes nothing. */
    public void removeRule(String name) {
        rules.remove(name);
        ScheduledFuture<?> timer = timers.remove(name);
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** Every rule, by name. */
    public Map<String, EventRule> rules() {
        return Map.copyOf(rules);
    }

    /** Hears every delivery (on the thread that put the event). */
    public void addListener(Consumer<Delivery> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** {@code PutEvents} of one event: delivers it to every matching pattern rule. */
    public List<Delivery> put(JsonNode event) {
        if (event == null || !event.isObject() || !event.hasNonNull("id") || !event.hasNonNull("source")
                || !event.hasNonNull("detail-type")) {
            throw new ValidationException("event", "an event is an object with id, source and detail-type");
        }
        List<Delivery> out = new ArrayList<>();
        for (EventRule rule : sorted(rules.values())) {
            if (!rule.scheduled() && rule.pattern().matches(event)) {
                out.add(deliver(rule, event));
            }
        }
        return out;
    }

    /** Fires a scheduled rule now, with the {@code Scheduled Event} EventBridge would send. */
    public Delivery fireSchedule(String ruleName) {
        EventRule rule = rules.get(ruleName);
        if (rule == null || !rule.scheduled()) {
            throw new io.modelcycle.core.NotFoundException("no scheduled rule '" + ruleName + "'; scheduled rules: "
                    + rules.values().stream().filter(EventRule::scheduled).map(EventRule::name).sorted().toList());
        }
        return deliver(rule, AwsEvents.scheduled(rule.name(), clock.instant()));
    }

    /** Starts firing scheduled rules on their rates (first firing one rate from now). */
    public synchronized void startSchedules() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "event-bus-schedules");
            t.setDaemon(true);
            return t;
        });
        rules.values().stream().filter(EventRule::scheduled).forEach(this::schedule);
    }

    private void schedule(EventRule rule) {
        long millis = rule.schedule().toMillis();
        timers.put(rule.name(), scheduler.scheduleAtFixedRate(() -> {
            try {
                fireSchedule(rule.name());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "scheduled rule " + rule.name() + " failed", e);
            }
        }, millis, millis, TimeUnit.MILLISECONDS));
    }

    private Delivery deliver(EventRule rule, JsonNode event) {
        Delivery d;
        JsonNode input = null;
        try {
            input = rule.target().inputFor(event, rule.name());
            String arn = workflows.start(rule.target().workflow(), executionName(rule.name(), event.path("id").asText()),
                    input.toString());
            d = new Delivery(rule.name(), rule.target().workflow(), input, arn, null);
        } catch (RuntimeException e) {
            d = new Delivery(rule.name(), rule.target().workflow(), input, null,
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        for (Consumer<Delivery> l : listeners) {
            try {
                l.accept(d);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "event listener failed", e);
            }
        }
        return d;
    }

    /** {@code <rule>-<event id>}, within Step Functions' 80 characters of [A-Za-z0-9-_]. */
    static String executionName(String rule, String eventId) {
        String id = eventId.replaceAll("[^A-Za-z0-9_-]", "-");
        String r = rule.replaceAll("[^A-Za-z0-9_-]", "-");
        int room = 80 - 1 - Math.min(id.length(), 40);
        return (r.length() > room ? r.substring(0, room) : r) + "-" + (id.length() > 40 ? id.substring(0, 40) : id);
    }

    private static List<EventRule> sorted(Collection<EventRule> rules) {
        return rules.stream().sorted(java.util.Comparator.comparing(EventRule::name)).toList();
    }

    @Override
    public synchronized void close() {
        timers.values().forEach(t -> t.cancel(false));
        timers.clear();
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }
}
