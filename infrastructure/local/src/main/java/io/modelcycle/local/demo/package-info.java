/**
 * {@code modelcycle demo}: the whole life of a model on one machine, driven through the local runtime's real
 * triggers, workflows and HTTP gateway, printed step by step with timings; and the prediction traffic client it (and
 * the gateway benchmark) uses.
 */
package io.modelcycle.local.demo;
