/** Workloads shared by the benchmark mains of several adapters, so each store is measured the same way. */
package io.modelcycle.testkit.bench;
