/**
 * The tabular model on DJL's PyTorch engine: {@link io.modelcycle.djl.FeatureEncoder} turns rows into the network's
 * input (numeric features standardised with training-split statistics plus a missing flag, categorical features
 * one-hot over the schema's allowed values plus a missing flag), {@link io.modelcycle.djl.TabularNetwork} builds the
 * multilayer perceptron, {@link io.modelcycle.djl.ModelSpec} is {@code model.json}, and
 * {@link io.modelcycle.djl.TabularModel} loads a trained model directory and predicts.
 */
package io.modelcycle.djl;
