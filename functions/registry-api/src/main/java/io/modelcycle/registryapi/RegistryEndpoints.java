package io.modelcycle.registryapi;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.artifact.ArtifactStore;
import io.modelcycle.core.feedback.FeedbackReceipt;
import io.modelcycle.core.feedback.FeedbackStore;
import io.modelcycle.core.lifecycle.Approvals;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.registry.Alias;
import io.modelcycle.core.registry.Change;
import io.modelcycle.core.registry.ModelVersion;
import io.modelcycle.core.registry.PageRequest;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.core.registry.VersionStatus;
import io.modelcycle.core.workflow.WorkflowLauncher;
import io.modelcycle.http.ApiRequest;
import io.modelcycle.http.Endpoint;
import io.modelcycle.http.HttpException;
import io.modelcycle.http.JsonBodies;
import io.modelcycle.http.Responses;
import io.modelcycle.http.Router;
import io.modelcycle.registryapi.RegistryRequests.Approve;
import io.modelcycle.registryapi.RegistryRequests.CreateModel;
import io.modelcycle.registryapi.RegistryRequests.ModelDetails;
import io.modelcycle.registryapi.RegistryRequests.RegisterVersion;
import io.modelcycle.registryapi.RegistryRequests.Reject;
import io.modelcycle.registryapi.RegistryRequests.SetAlias;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The routes of the registry API, each one call of the {@link Registry}. Every write carries a {@link Change} whose
 * actor is the caller API Gateway authenticated ({@link ApiRequest#actor()}), so the audit log says who did it.
 * The routes here and the paths of {@code openapi.yaml} are kept equal by a test.
 *
 * <p>With an artifact store, {@code POST /models/{name}/feedback} stores ground truth ({@link FeedbackStore});
 * without one it answers 503. With a workflow engine as well, approve and reject go through {@link Approvals}, so a
 * training pipeline waiting for manual approval resumes (or ends as rejected); without one they only record the
 * decision in the registry.
 */
public final class RegistryEndpoints {

    private final Registry registry;
    private final JsonBodies bodies;
    private final FeedbackStore feedback;
    private final Approvals approvals;

    public RegistryEndpoints(Registry registry, JsonBodies bodies) {
        this(registry, null, null, bodies);
    }

    /**
     * @param artifacts null when feedback cannot be stored
     * @param workflows null when no workflow waits on approvals; needs {@code artifacts}, where task tokens are kept
     */
    public RegistryEndpoints(Registry registry, ArtifactStore artifacts, WorkflowLauncher workflows, JsonBodies bodies) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.bodies = Objects.requireNonNull(bodies, "bodies");
        if (workflows != null && artifacts == null) {
            throw new IllegalArgumentException("approvals through a workflow engine need the artifact store that keeps "
                    + "the task tokens");
        }
        this.feedback = artifacts == null ? null : new FeedbackStore(registry, artifacts, java.time.Clock.systemUTC());
        this.approvals = workflows == null ? null : new Approvals(registry, artifacts, workflows);
    }

    public Router<Endpoint> router() {
        return new Router<Endpoint>()
                .add("POST", "/models", this::createModel)
                .add("GET", "/models", r -> Responses.ok(registry.models(page(r))))
                .add("GET", "/models/{name}", r -> Responses.ok(details(registry.model(r.path("name")))))
                .add("POST", "/models/{name}/versions", this::registerVersion)
                .add("GET", "/models/{name}/versions", r -> Responses.ok(
                        registry.versions(r.path("name"), status(r), page(r))))
                .add("GET", "/models/{name}/versions/{v}", r -> Responses.ok(
                        registry.version(r.path("name"), r.pathInt("v"))))
                .add("POST", "/models/{name}/versions/{v}/approve", this::approve)
                .add("POST", "/models/{name}/versions/{v}/reject", this::reject)
                .add("POST", "/models/{name}/feedback", this::feedback)
                .add("PUT", "/models/{name}/aliases/{alias}", this::setAlias)
                .add("DELETE", "/models/{name}/aliases/{alias}", this::deleteAlias)
                .add("GET", "/models/{name}/audit", r -> Responses.ok(registry.audit(r.path("name"), page(r))))
                .add("GET", "/models/{name}/audit/verify", r -> Responses.ok(registry.verifyAudit(r.path("name"))));
    }

    private APIGatewayV2HTTPResponse createModel(ApiRequest r) {
        Model definition = bodies.read(r, CreateModel.class).toModel();
        Model created = registry.createModel(definition, Change.by(r.actor(), null));
        return Responses.created("/models/" + created.name(), new ModelDetails(created, List.of()));
    }

    private APIGatewayV2HTTPResponse registerVersion(ApiRequest r) {
        String name = Model.requireName(r.path("name"));
        RegisterVersion body = bodies.read(r, RegisterVersion.class);
        ModelVersion version = registry.registerVersion(name, body.lineage(), Change.by(r.actor(), body.reason()));
        return Responses.created("/models/" + name + "/versions/" + version.number(), version);
    }

    private APIGatewayV2HTTPResponse approve(ApiRequest r) {
        String reason = bodies.readOptional(r, Approve.class).map(Approve::reason).orElse(null);
        Change change = Change.by(r.actor(), reason);
        return Responses.ok(approvals != null ? approvals.approve(r.path("name"), r.pathInt("v"), change)
                : registry.approve(r.path("name"), r.pathInt("v"), change));
    }

    private APIGatewayV2HTTPResponse reject(ApiRequest r) {
        Reject body = bodies.read(r, Reject.class);
        Change change = Change.by(r.actor(), body.reason());
        return Responses.ok(approvals != null ? approvals.reject(r.path("name"), r.pathInt("v"), change)
                : registry.reject(r.path("name"), r.pathInt("v"), change));
    }

    private APIGatewayV2HTTPResponse feedback(ApiRequest r) {
        String name = Model.requireName(r.path("name"));
        FeedbackBody body = bodies.read(r, FeedbackBody.class);
        if (feedback == null) {
            throw new HttpException(503, "SERVICE_UNAVAILABLE",
                    "feedback cannot be stored: this deployment has no artifact store", java.util.Map.of());
        }
        registry.model(name);
        FeedbackReceipt receipt = body.items() != null
                ? feedback.submit(name, body.items(), r.requestId())
                : feedback.submitOne(name, body.single(), r.requestId());
        return Responses.json(202, receipt);
    }

    private APIGatewayV2HTTPResponse setAlias(ApiRequest r) {
        String name = Model.requireName(r.path("name"));
        String alias = aliasName(r);
        SetAlias body = bodies.read(r, SetAlias.class);
        return Responses.ok(registry.setAlias(name, alias, body.version(), body.expectedVersion(), body.weight(),
                Change.by(r.actor(), body.reason())));
    }

    private APIGatewayV2HTTPResponse deleteAlias(ApiRequest r) {
        String name = Model.requireName(r.path("name"));
        String alias = aliasName(r);
        int expected = r.queryInt("expectedVersion").orElseThrow(() -> new ValidationException("expectedVersion",
                "is required: the version the alias points at now (compare-and-set)"));
        registry.deleteAlias(name, alias, expected, Change.by(r.actor(), r.query("reason").orElse(null)));
        return Responses.noContent();
    }

    private ModelDetails details(Model model) {
        return new ModelDetails(model, registry.aliases(model.name()));
    }

    private static String aliasName(ApiRequest r) {
        String alias = r.path("alias");
        if (!Alias.NAME.matcher(alias).matches()) {
            throw new ValidationException("alias", "alias name '" + alias + "' must match " + Alias.NAME.pattern());
        }
        return alias;
    }

    private static PageRequest page(ApiRequest r) {
        return new PageRequest(r.query("nextToken").orElse(null), r.queryInt("limit").orElse(PageRequest.DEFAULT_LIMIT));
    }

    private static VersionStatus status(ApiRequest r) {
        return r.query("status").map(s -> {
            try {
                return VersionStatus.valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ValidationException("status", "'" + s + "' is not a status; one of "
                        + Arrays.toString(VersionStatus.values()));
            }
        }).orElse(null);
    }
}
