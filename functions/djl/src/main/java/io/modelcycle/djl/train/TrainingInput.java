package io.modelcycle.djl.train;

import io.modelcycle.core.dataset.Dataset;
import io.modelcycle.core.model.Model;
import java.nio.file.Path;
import java.util.Map;

/**
 * What one training run works on, already read and checked.
 *
 * @param model         the model definition (task, schema, target)
 * @param train         the rows to fit
 * @param validation    the held-out rows (a validation channel, or a seeded split of the training data)
 * @param splitFromTrain whether {@code validation} was split off the training channel
 * @param champion      a champion model directory to score on the same rows, or null
 * @param files         lineage: each input file's name and SHA-256
 */
public record TrainingInput(Model model, Dataset train, Dataset validation, boolean splitFromTrain, Path champion,
                            Map<String, String> files) {

    public TrainingInput {
        files = files == null ? Map.of() : Map.copyOf(files);
    }
}
