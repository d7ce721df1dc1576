/**
 * Plumbing shared by every handler behind the API Gateway HTTP API (payload format 2.0): a {@link
 * io.modelcycle.http.Router} that matches a method and a path template such as
 * {@code /models/{name}/versions/{v}}, {@link io.modelcycle.http.JsonBodies} that read request bodies with a size
 * limit and a content-type check, {@link io.modelcycle.http.ErrorMapper}, the one place where exceptions become
 * HTTP statuses, and {@link io.modelcycle.http.HttpApi}, which ties them together with Powertools logging and
 * per-route EMF metrics. Handlers only declare routes and call their service.
 */
package io.modelcycle.http;
