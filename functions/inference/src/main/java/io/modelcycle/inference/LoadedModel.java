package io.modelcycle.inference;

import io.modelcycle.core.metrics.MetricId;
import io.modelcycle.core.metrics.ServingMetrics;
import io.modelcycle.djl.ModelSpec;
import io.modelcycle.djl.TabularModel;

/**
 * One version's model in memory with what serving it needs precomputed (the validator). Requests hold it between
 * {@link #acquire()} and {@link #release()}; when it is retired (no alias routes to it any more) it is closed as soon
 * as the last request holding it is done, so a promotion never pulls a model from under a running prediction.
 */
final class LoadedModel {

    private final String model;
    private final int version;
    private final TabularModel tabular;
    private final RowValidator validator;
    /** The version's serving metric series, built once rather than per request. */
    final MetricId requests;
    final MetricId errors;
    final MetricId latency;
    private int inFlight;
    private boolean retired;
    private boolean closed;
    private volatile long lastUsedMillis;

    LoadedModel(String model, int version, TabularModel tabular) {
        this.model = model;
        this.version = version;
        this.tabular = tabular;
        this.validator = new RowValidator(model, tabular.spec().schema());
        this.requests = ServingMetrics.requests(model, version);
        this.errors = ServingMetrics.errors(model, version);
        this.latency = ServingMetrics.latency(model, version);
    }

    String model() {
        return model;
    }

    int version() {
        return version;
    }

    TabularModel tabular() {
        return tabular;
    }

    ModelSpec spec() {
        return tabular.spec();
    }

    RowValidator validator() {
        return validator;
    }

    long lastUsedMillis() {
        return lastUsedMillis;
    }

    /** Marks a request as using the model; false when it is already retired (the caller loads it again). */
    synchronized boolean acquire(long nowMillis) {
        if (retired) {
            return false;
        }
        inFlight++;
        lastUsedMillis = nowMillis;
        return true;
    }

    synchronized void release() {
        inFlight--;
        closeIfDone();
    }

    /** No alias routes here any more: close now, or when the last request using it finishes. */
    synchronized void retire() {
        retired = true;
        closeIfDone();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    private void closeIfDone() {
        if (retired && inFlight == 0 && !closed) {
            closed = true;
            tabular.close();
        }
    }
}
