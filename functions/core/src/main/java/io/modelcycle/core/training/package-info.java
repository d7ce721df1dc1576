/**
 * Training jobs: the {@link io.modelcycle.core.training.TrainingBackend} port (SageMaker and child-JVM adapters),
 * the job specification it starts and the status it reports. Both adapters run the same trainer under the
 * SageMaker training container contract, so a job behaves the same on a GPU instance and on this machine.
 */
package io.modelcycle.core.training;
