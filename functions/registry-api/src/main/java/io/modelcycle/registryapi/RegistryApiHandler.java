package io.modelcycle.registryapi;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.modelcycle.core.artifact.ArtifactStore;
import io.modelcycle.core.registry.Registry;
import io.modelcycle.core.workflow.WorkflowLauncher;
import io.modelcycle.http.HttpApi;
import io.modelcycle.http.JsonBodies;
import io.modelcycle.http.Route;
import java.util.List;

/**
 * The registry API's Lambda handler.
 *
 * <p>Trigger: API Gateway HTTP API, payload format 2.0, every route of {@code openapi.yaml} (or one {@code $default}
 * route). Environment: see {@link Config}. Sample events: {@code events/registry-api/}.
 *
 * <p>The no-arg constructor runs once, in Lambda's INIT phase, and wires the real store from the environment; the
 * other constructor takes the service and is for tests and the local runtime.
 */
public final class RegistryApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    public static final String SERVICE = "registry-api";

    private final HttpApi api;

    /** Wires the store named by the environment ({@link Config#fromEnv}); fails fast naming a missing variable. */
    public RegistryApiHandler() {
        this(Config.fromEnv(System.getenv()));
    }

    RegistryApiHandler(Config config) {
        this(RegistryStores.open(config), config);
    }

    private RegistryApiHandler(RegistryStores stores, Config config) {
        this(new Registry(stores.registry()), stores.artifacts(), stores.workflows(), config.maxBodyBytes(),
                config.metricsNamespace());
    }

    /**
     * For tests and the local runtime: serves {@code registry} with the default body limit and namespace, without
     * an artifact store (so {@code POST /models/{name}/feedback} answers 503) and without a workflow engine.
     */
    public RegistryApiHandler(Registry registry) {
        this(registry, JsonBodies.DEFAULT_MAX_BYTES, Config.DEFAULT_NAMESPACE);
    }

    public RegistryApiHandler(Registry registry, int maxBodyBytes, String metricsNamespace) {
        this(registry, null, null, maxBodyBytes, metricsNamespace);
    }

    /**
     * For tests and the local runtime, with everything: feedback is stored in {@code artifacts}, and approve/reject
     * answer the task token of a training pipeline waiting for manual approval through {@code workflows}.
     *
     * @param workflows null to only record approvals in the registry
     */
    public RegistryApiHandler(Registry registry, ArtifactStore artifacts, WorkflowLauncher workflows) {
        this(registry, artifacts, workflows, JsonBodies.DEFAULT_MAX_BYTES, Config.DEFAULT_NAMESPACE);
    }

    public RegistryApiHandler(Registry registry, ArtifactStore artifacts, WorkflowLauncher workflows, int maxBodyBytes,
                              String metricsNamespace) {
        this.api = new HttpApi(SERVICE, new RegistryEndpoints(registry, artifacts, workflows,
                new JsonBodies(maxBodyBytes)).router(), metricsNamespace);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return api.handle(event, context);
    }

    /** The routes served, in the form {@code GET /models/{name}}. */
    public List<Route> routes() {
        return api.routes();
    }
}
