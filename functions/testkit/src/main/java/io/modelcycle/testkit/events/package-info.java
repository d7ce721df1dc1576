/** Loads the sample events under {@code events/} at the repository root, the one source of sample inputs. */
package io.modelcycle.testkit.events;
