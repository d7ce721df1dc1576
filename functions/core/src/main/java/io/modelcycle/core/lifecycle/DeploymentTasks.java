package io.modelcycle.core.lifecycle;

import io.modelcycle.core.ConflictException;
import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.metrics.Datapoint;
import io.modelcycle.core.metrics.MetricId;
import io.modelcycle.core.metrics.MetricQuery;
import io.modelcycle.core.metrics.MetricsSource;
import io.modelcycle.core.metrics.ServingMetrics;
import io.modelcycle.core.metrics.Statistic;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.model.Policies.CanaryPolicy;
import io.modelcycle.core.registry.Alias;
import io.modelcycle.core.registry.Change;
import io.modelcycle.core.registry.IllegalTransitionException;
import io.modelcycle.core.registry.ModelVersion;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.core.registry.VersionStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Canary deployment over the registry's aliases. {@code canary} takes the policy's share of traffic while it
 * bakes; {@link #promote} makes it {@code production} (the old production becomes {@code previous}) and
 * {@link #rollback} removes it. Production is only ever changed by {@link #promote} and
 * {@link #rollbackProduction}, each a compare-and-set on the version it read, so a failed or concurrent
 * deployment can never leave production pointing somewhere nobody chose.
 */
public final class DeploymentTasks {


    /**
     * What {@link #startCanary} set up. {@code productionVersion} is null for a model's first deployment, which
     * has nothing to be compared with and is promoted directly.
     */
    public record CanaryPlan(String model, int version, Integer productionVersion, double weight, int bakeSeconds,
                             Instant startedAt) {
    }

    /** Input of {@link #rollback} and {@link #abort}: why the canary is being removed. */
    public record Removal(String model, Integer version, String reason, java.util.Map<String, Object> error) {
        public Removal {
            Model.requireName(model);
            if (version == null || version < 1) {
                throw new ValidationException("version", "is required and must be >= 1");
            }
        }
    }

    /** Input of {@link #compareHealth}: the plan {@link #startCanary} returned. */
    public record HealthRequest(String model, Integer version, CanaryPlan plan) {
        public HealthRequest {
            Model.requireName(model);
            if (version == null || plan == null) {
                throw new ValidationException("plan", "version and plan are required");
            }
        }
    }

    /** Canary vs production over the bake window, and the verdict. */
    public record HealthVerdict(boolean healthy, String reason, long canaryRequests, long canaryErrors,
                                long productionRequests, long productionErrors) {
    }

    /** Where the aliases point after a task. */
    public record AliasState(String model, Integer production, Integer previous, Integer canary) {
    }

    private final Registry registry;
    private final MetricsSource metrics;
    private final Clock clock;
    private final String actor;

    public DeploymentTasks(Registry registry, MetricsSource metrics, Clock clock, String actor) {
        this.registry = Objects.requireNonNull(registry);
        this.metrics = Objects.requireNonNull(metrics);
        this.clock = Objects.requireNonNull(clock);
        this.actor = Objects.requireNonNull(actor);
    }

    /**
     * Points {@code canary} at the version with the policy's weight. Refuses when another version is already in
     * canary (another deployment is under way) or the version is not APPROVED or DEPLOYED.
     */
    public CanaryPlan startCanary(VersionRef ref) {
        Model model = registry.model(ref.model());
        ModelVersion version = registry.version(ref.model(), ref.version());
        if (!version.status().isServable()) {
            throw new IllegalTransitionException(ref.model(), ref.version(), version.status(), VersionStatus.DEPLOYED);
        }
        CanaryPolicy policy = model.policies().canary();
        Optional<Alias> production = registry.alias(ref.model(), Alias.PRODUCTION);
        if (production.isEmpty() || production.get().version() == ref.version()) {
            return new CanaryPlan(ref.model(), ref.version(), null, policy.weight(), 0, clock.instant());
        }
        Optional<Alias> canary = registry.alias(ref.model(), Alias.CANARY);
        if (canary.isPresent() && canary.get().version() != ref.version()) {
            throw new ConflictException("version " + canary.get().version() + " of model '" + ref.model()
                    + "' is already in canary; finish or roll back that deployment first");
        }
        Alias set = registry.setAlias(ref.model(), Alias.CANARY, ref.version(),
                canary.map(Alias::version).orElse(null), policy.weight(),
                Change.by(actor, "canary at " + policy.weight() + " of traffic"));
        return new CanaryPlan(ref.model(), ref.version(), production.get().version(), policy.weight(),
                policy.bakeSeconds(), set.updatedAt() == null ? clock.instant() : set.updatedAt());
    }

    /**
     * Compares the canary's server-error rate with production's over the bake window, from the serving metrics
     * the inference handler publishes ({@link ServingMetrics}). Unhealthy when the canary's rate exceeds
     * production's by more than the policy's {@code maxErrorRateIncrease}. A canary that took no traffic has shown
     * nothing wrong and is judged healthy, with a reason that says so.
     */
    public HealthVerdict compareHealth(HealthRequest request) {
        CanaryPlan plan = request.plan();
        double allowed = registry.model(request.model()).policies().canary().maxErrorRateIncrease();
        java.time.Instant end = clock.instant();
        java.time.Instant start = plan.startedAt().isBefore(end) ? plan.startedAt() : end.minusSeconds(60);
        long canaryRequests = sum(ServingMetrics.requests(request.model(), request.version()), start, end);
        long canaryErrors = sum(ServingMetrics.errors(request.model(), request.version()), start, end);
        if (plan.productionVersion() == null) {
            return new HealthVerdict(true, "no production version to compare with", canaryRequests, canaryErrors, 0, 0);
        }
        long productionRequests = sum(ServingMetrics.requests(request.model(), plan.productionVersion()), start, end);
        long productionErrors = sum(ServingMetrics.errors(request.model(), plan.productionVersion()), start, end);
        if (canaryRequests == 0) {
            return new HealthVerdict(true, "the canary took no traffic during the bake; nothing wrong was observed",
                    0, 0, productionRequests, productionErrors);
        }
        double canaryRate = (double) canaryErrors / canaryRequests;
        double productionRate = productionRequests == 0 ? 0 : (double) productionErrors / productionRequests;
        boolean healthy = canaryRate <= productionRate + allowed;
        String reason = String.format(java.util.Locale.ROOT,
                "canary error rate %.4f (%d/%d) vs production %.4f (%d/%d), allowed increase %.4f",
                canaryRate, canaryErrors, canaryRequests, productionRate, productionErrors, productionRequests, allowed);
        return new HealthVerdict(healthy, reason, canaryRequests, canaryErrors, productionRequests, productionErrors);
    }

    private long sum(MetricId metric, java.time.Instant from, java.time.Instant to) {
        MetricQuery query = MetricQuery.covering(metric, Statistic.SUM, java.time.Duration.ofMinutes(1), from, to);
        double total = 0;
        for (Datapoint point : metrics.read(query)) {
            total += point.value();
        }
        return Math.round(total);
    }

    /**
     * Makes the version production: status DEPLOYED, {@code production} moves to it, {@code previous} to the old
     * production, and a canary pointing at it is removed. Safe to repeat.
     */
    public AliasState promote(VersionRef ref) {
        String model = ref.model();
        int target = ref.version();
        ModelVersion version = registry.version(model, target);
        if (version.status() == VersionStatus.APPROVED) {
            registry.transition(model, target, VersionStatus.DEPLOYED, Change.by(actor, "promoted to production"));
        } else if (version.status() != VersionStatus.DEPLOYED) {
            throw new IllegalTransitionException(model, target, version.status(), VersionStatus.DEPLOYED);
        }
        Optional<Alias> production = registry.alias(model, Alias.PRODUCTION);
        if (production.isEmpty() || production.get().version() != target) {
            Integer old = production.map(Alias::version).orElse(null);
            registry.setAlias(model, Alias.PRODUCTION, target, old, null,
                    Change.by(actor, old == null ? "first production version" : "promoted over version " + old));
            if (old != null) {
                Integer previous = registry.alias(model, Alias.PREVIOUS).map(Alias::version).orElse(null);
                registry.setAlias(model, Alias.PREVIOUS, old, previous, null,
                        Change.by(actor, "replaced in production by version " + target));
            }
        }
        removeCanaryIfAt(model, target, "promoted to production");
        return state(model);
    }

    /** Removes the canary (if it still points at this version); production is untouched. */
    public AliasState rollback(Removal removal) {
        removeCanaryIfAt(removal.model(), removal.version(),
                "rolled back" + (removal.reason() == null ? "" : ": " + removal.reason()));
        return state(removal.model());
    }

    /** Cleans up after a failed deployment: like {@link #rollback}, and tolerant of a version that never had a canary. */
    public AliasState abort(Removal removal) {
        String why = removal.error() == null ? "deployment failed" : "deployment failed: " + removal.error().get("Error");
        removeCanaryIfAt(removal.model(), removal.version(), why);
        return state(removal.model());
    }

    /**
     * A person's rollback: {@code production} goes back to {@code previous}, and {@code previous} to the version
     * that was in production, so a second rollback undoes the first.
     */
    public AliasState rollbackProduction(String model, String reason) {
        Alias production = registry.alias(model, Alias.PRODUCTION)
                .orElseThrow(() -> new NotFoundException("model '" + model + "' has no production version to roll back"));
        Alias previous = registry.alias(model, Alias.PREVIOUS)
                .orElseThrow(() -> new NotFoundException("model '" + model + "' has no previous version to roll back to"));
        registry.setAlias(model, Alias.PRODUCTION, previous.version(), production.version(), null,
                Change.by(actor, "rolled back to version " + previous.version() + (reason == null ? "" : ": " + reason)));
        registry.setAlias(model, Alias.PREVIOUS, production.version(), previous.version(), null,
                Change.by(actor, "rolled back from production"));
        return state(model);
    }

    private void removeCanaryIfAt(String model, int version, String reason) {
        Optional<Alias> canary = registry.alias(model, Alias.CANARY);
        if (canary.isPresent() && canary.get().version() == version) {
            registry.deleteAlias(model, Alias.CANARY, version, Change.by(actor, reason));
        }
    }

    /** Where production, previous and canary point now. */
    public AliasState state(String model) {
        return new AliasState(model,
                registry.alias(model, Alias.PRODUCTION).map(Alias::version).orElse(null),
                registry.alias(model, Alias.PREVIOUS).map(Alias::version).orElse(null),
                registry.alias(model, Alias.CANARY).map(Alias::version).orElse(null));
    }
}
