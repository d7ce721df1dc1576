/**
 * The SageMaker adapter of {@link io.modelcycle.core.training.TrainingBackend}: training jobs in the DJL training image
 * on GPU instances (managed spot with S3 checkpoints when asked), their status mapped onto the port's, and SageMaker's
 * errors translated into the domain's.
 */
package io.modelcycle.aws.sagemaker;
