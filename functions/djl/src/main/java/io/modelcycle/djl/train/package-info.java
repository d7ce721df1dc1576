/**
 * The trainer entry point, {@link io.modelcycle.djl.train.TrainerMain}, which follows the SageMaker training
 * container contract so that the same jar trains in a SageMaker job (GPU image, {@code functions/training/Dockerfile})
 * and in a child JVM on this machine (the embedded training backend). The contract is documented on
 * {@link io.modelcycle.djl.train.TrainerMain} and in {@code functions/djl/README.md}.
 */
package io.modelcycle.djl.train;
