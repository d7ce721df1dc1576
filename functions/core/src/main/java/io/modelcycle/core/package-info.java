/**
 * The ModelCycle domain, free of AWS, DJL and Lambda types.
 *
 * <p>Subpackages hold the model definition ({@code model}), the registry of versions, aliases and the audit
 * trail ({@code registry}) and artifact storage ({@code artifact}). The exceptions in this package are the
 * domain errors every port and service throws; the HTTP layer maps each to one status code and Step
 * Functions {@code Retry}/{@code Catch} blocks match their simple class names.
 */
package io.modelcycle.core;
