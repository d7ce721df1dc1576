/**
 * The embedded adapter of {@link io.modelcycle.core.training.TrainingBackend}:
 * {@link io.modelcycle.embedded.training.ChildJvmTrainingBackend} runs the trainer in a child JVM on this machine's
 * CPU, under the same SageMaker training container contract as the GPU image, with channels staged from and outputs
 * stored into the {@link io.modelcycle.core.artifact.ArtifactStore}. This module does not depend on DJL: the trainer's
 * class path is configuration.
 */
package io.modelcycle.embedded.training;
