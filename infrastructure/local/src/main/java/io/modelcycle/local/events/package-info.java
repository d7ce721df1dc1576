/**
 * EventBridge, mirrored on one machine: {@link io.modelcycle.local.events.EventPattern} (EventBridge's pattern syntax,
 * the one implementation the local runtime uses), {@link io.modelcycle.local.events.InputTransformer},
 * {@link io.modelcycle.local.events.EventRule} and the {@link io.modelcycle.local.events.EventBus} that delivers
 * events to workflows, and {@link io.modelcycle.local.events.AwsEvents}, the events S3, CloudWatch and scheduled rules
 * put on the bus, shaped exactly as EventBridge delivers them (samples in {@code events/triggers/}).
 */
package io.modelcycle.local.events;
