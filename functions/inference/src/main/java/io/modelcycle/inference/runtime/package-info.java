/**
 * What the inference Lambda needs from its runtime beyond the ports' adapters: the PyTorch native library brought in
 * from the artifact store at init ({@link io.modelcycle.inference.runtime.PyTorchNative}), serving metrics as CloudWatch
 * embedded metric format lines ({@link io.modelcycle.inference.runtime.EmfMetricsSink}), and a sink that takes slow
 * metric stores off the request path ({@link io.modelcycle.inference.runtime.BackgroundMetricsSink}).
 */
package io.modelcycle.inference.runtime;
