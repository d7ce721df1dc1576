package io.modelcycle.core.model;

/** How a feature's values are read and compared. */
public enum FeatureType {
    NUMERIC,
    CATEGORICAL
}
