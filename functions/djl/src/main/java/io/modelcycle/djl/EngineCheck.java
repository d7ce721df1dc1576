package io.modelcycle.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.cuda.CudaUtils;

/**
 * Loads the PyTorch engine and runs one tensor operation, printing one line
 * {@code engine=PyTorch version=2.7.1 djl=0.36.0 device=gpu(0) gpus=1 load_ms=812}. The GPU training image runs it at
 * build time (with downloads allowed) so the CUDA natives are in the image and jobs can run offline; operators run
 * it to check a host. Exit status 0 when the engine works.
 */
public final class EngineCheck {

    private EngineCheck() {
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        Engine engine = Engine.getEngine("PyTorch");
        float sum;
        try (NDManager manager = NDManager.newBaseManager(engine.defaultDevice(), engine.getEngineName())) {
            sum = manager.ones(new Shape(2, 2)).sum().getFloat();
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println("engine=" + engine.getEngineName() + " version=" + engine.getVersion() + " djl=" + Engine.getDjlVersion()
                + " device=" + engine.defaultDevice() + " gpus=" + CudaUtils.getGpuCount() + " load_ms=" + ms);
        if (sum != 4f) {
            System.err.println("the engine computed 1+1+1+1=" + sum);
            System.exit(1);
        }
    }
}
