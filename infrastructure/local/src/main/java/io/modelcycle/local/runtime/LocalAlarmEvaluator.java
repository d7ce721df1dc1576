package io.modelcycle.local.runtime;

import com.fasterxml.jackson.core.type.TypeReference;
import io.modelcycle.core.Json;
import io.modelcycle.core.metrics.AlarmDefinition;
import io.modelcycle.core.metrics.AlarmEvaluation;
import io.modelcycle.core.metrics.AlarmEvaluator;
import io.modelcycle.core.metrics.AlarmState;
import io.modelcycle.core.metrics.DriftAlarms;
import io.modelcycle.core.metrics.MetricQuery;
import io.modelcycle.core.metrics.MetricsSource;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.registry.Page;
import io.modelcycle.core.registry.PageRequest;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.local.events.AwsEvents;
import io.modelcycle.local.events.EventBus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * CloudWatch's part, on one machine: evaluates each registered model's drift alarm
 * ({@link DriftAlarms#driftAlarm(String, io.modelcycle.core.model.Policies.DriftPolicy, Duration)}, the definition the
 * CDK app deploys) over the embedded metrics with the shared {@link AlarmEvaluator}, keeps each alarm's state (in
 * {@code alarms.json} under the runtime's home, so a restart does not fire again), and on every state change puts the
 * {@code CloudWatch Alarm State Change} event on the {@link EventBus}, where a rule sends ALARM transitions of drift
 * alarms to {@code drift-check}. Evaluates when asked ({@link #evaluateNow()}) and, once {@link #start started},
 * every {@code every}.
 */
public final class LocalAlarmEvaluator implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LocalAlarmEvaluator.class.getName());

    private final Registry registry;
    private final MetricsSource metrics;
    private final EventBus bus;
    private final Clock clock;
    private final Duration period;
    private final Path stateFile;
    private final Map<String, Stored> states = new TreeMap<>();
    private final RuntimeListener listener;
    private ScheduledExecutorService timer;

    /** An alarm's kept state. */
    record Stored(AlarmState state, String reason, String reasonData, Instant since) {
    }

    /**
     * One evaluation of one alarm.
     *
     * @param model      the model
     * @param alarm      the alarm's definition
     * @param evaluation the result; {@link AlarmEvaluation#changed()} says whether an event was sent
     */
    public record Result(String model, AlarmDefinition alarm, AlarmEvaluation evaluation) {
    }

    LocalAlarmEvaluator(Registry registry, MetricsSource metrics, EventBus bus, Clock clock, Duration period,
                        Path stateFile, RuntimeListener listener) {
        this.listener = Objects.requireNonNull(listener);
        this.registry = Objects.requireNonNull(registry);
        this.metrics = Objects.requireNonNull(metrics);
        this.bus = Objects.requireNonNull(bus);
        this.clock = Objects.requireNonNull(clock);
        this.period = Objects.requireNonNull(period);
        this.stateFile = Objects.requireNonNull(stateFile);
        load();
    }

    /** The alarm period the drift alarms are evaluated with here (one hour on AWS; shorter locally). */
    public Duration period() {
        return period;
    }

    /** The state of {@code model}'s drift alarm ({@code INSUFFICIENT_DATA} before its first evaluation). */
    public synchronized AlarmState state(String model) {
        Stored s = states.get(DriftAlarms.alarmName(model));
        return s == null ? AlarmState.INSUFFICIENT_DATA : s.state();
    }

    /** Evaluates every model's drift alarm now; state changes are put on the bus. */
    public synchronized List<Result> evaluateNow() {
        Instant now = clock.instant();
        List<Result> results = new ArrayList<>();
        for (Model model : models()) {
            AlarmDefinition alarm = DriftAlarms.driftAlarm(model.name(), model.policies() == null ? null
                    : model.policies().drift(), period);
            Stored before = states.get(alarm.name());
            MetricQuery query = AlarmEvaluator.evaluationQuery(alarm, now);
            List<Double> range = AlarmEvaluator.slots(query, metrics.read(query));
            AlarmEvaluation evaluation = AlarmEvaluator.evaluate(alarm, range, before == null ? null : before.state());
            Result result = new Result(model.name(), alarm, evaluation);
            results.add(result);
            if (evaluation.changed()) {
                states.put(alarm.name(), new Stored(evaluation.state(),
                        AwsEvents.stateReason(alarm, evaluation, range, query.start()),
                        AwsEvents.stateReasonData(alarm, range, query.start(), now), now));
                save();
                bus.put(AwsEvents.alarmStateChange(alarm, "Share of drifted features of model " + model.name()
                        + " reached its drift policy's threshold; starts the drift-check workflow", evaluation,
                        before == null ? null : new AwsEvents.Previous(before.reason(), before.reasonData(),
                                before.since()), range, query.start(), now));
                try {
                    listener.alarmChanged(result);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "runtime listener failed", e);
                }
            }
        }
        return results;
    }

    /** Evaluates every {@code every} from now on, until closed. */
    public synchronized void start(Duration every) {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "alarm-evaluator");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                evaluateNow();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "alarm evaluation failed", e);
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private List<Model> models() {
        List<Model> all = new ArrayList<>();
        String token = null;
        do {
            Page<Model> page = registry.models(new PageRequest(token, PageRequest.MAX_LIMIT));
            all.addAll(page.items());
            token = page.nextToken();
        } while (token != null);
        return all;
    }

    private void load() {
        if (!Files.exists(stateFile)) {
            return;
        }
        try {
            Map<String, Stored> read = Json.mapper().readValue(Files.readString(stateFile, StandardCharsets.UTF_8),
                    new TypeReference<Map<String, Stored>>() { });
            states.putAll(read);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the alarm states in " + stateFile, e);
        }
    }

    private void save() {
        try {
            Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
            Files.writeString(tmp, Json.write(states), StandardCharsets.UTF_8);
            Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the alarm states to " + stateFile, e);
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
