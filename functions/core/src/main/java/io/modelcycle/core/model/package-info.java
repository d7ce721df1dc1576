/**
 * What a model is before any version exists: its name, task, ordered feature schema, target and the policies
 * that govern its life (quality gate, approval, drift, canary, retention, capture). All records validate in
 * their constructors and throw {@link io.modelcycle.core.ValidationException} naming the offending field.
 */
package io.modelcycle.core.model;
