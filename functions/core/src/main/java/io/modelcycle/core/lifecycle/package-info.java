/**
 * The lifecycle tasks the state machines call: deployment (canary, promote, roll back) and retirement, and the
 * manual moves people make between them. Each task is idempotent: run twice with the same input, it has the
 * effect of running once, because Step Functions may deliver a task more than once and retries after timeouts.
 */
package io.modelcycle.core.lifecycle;
