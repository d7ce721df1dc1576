/**
 * Tabular datasets without any ML engine: a streaming RFC 4180 {@link io.modelcycle.core.dataset.CsvReader} and
 * {@link io.modelcycle.core.dataset.CsvWriter}, a {@link io.modelcycle.core.dataset.DatasetReader} that types CSV
 * columns against a model's {@link io.modelcycle.core.model.FeatureSchema} (any column order, bad values reported
 * with file, line and column), and the deterministic {@link io.modelcycle.core.dataset.SyntheticDataset} generator
 * used by tests, drift checks and the demo. It lives in core because the CLI, the demo and drift tests need it
 * without DJL.
 */
package io.modelcycle.core.dataset;
