/**
 * Training jobs: the {@link io.modelcycle.core.training.TrainingBackend} port (SageMaker and child-JVM adapters),
 * the job specification it starts and the status it reports. Both adapters run the same trainer under the
 * SageMaker training container contract, so a job behaves the same on a GPU instance and on this machine.
 * {@link io.modelcycle.core.training.SageMakerTrainingJson} reads and writes SageMaker's training job JSON, so the
 * local runtime can bind the state machines' {@code sagemaker:createTrainingJob.sync} task to any backend.
 */
package io.modelcycle.core.training;
