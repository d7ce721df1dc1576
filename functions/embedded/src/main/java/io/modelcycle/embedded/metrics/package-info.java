/**
 * The embedded metrics store: {@link io.modelcycle.embedded.metrics.SqliteMetricsStore}, both metrics ports on one
 * SQLite file, aggregating by statistic and period in SQL. The local alarm evaluator reads it.
 */
package io.modelcycle.embedded.metrics;
