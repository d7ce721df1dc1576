package io.modelcycle.djl;

import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import java.util.List;

/** The network: fully connected ReLU layers of the given widths, optional dropout, then a linear output layer. */
public final class TabularNetwork {

    private TabularNetwork() {
    }

    public static SequentialBlock build(List<Integer> hiddenUnits, double dropout, int outputs) {
        SequentialBlock block = new SequentialBlock();
        for (int units : hiddenUnits) {
            block.add(Linear.builder().setUnits(units).build());
            block.add(Activation.reluBlock());
            if (dropout > 0) {
                block.add(Dropout.builder().optRate((float) dropout).build());
            }
        }
        block.add(Linear.builder().setUnits(outputs).build());
        return block;
    }
}
