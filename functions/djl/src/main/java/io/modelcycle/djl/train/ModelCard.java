package io.modelcycle.djl.train;

import io.modelcycle.core.model.Feature;
import io.modelcycle.djl.ModelSpec;
import java.util.Locale;
import java.util.Map;

/** Renders {@code card.md}: intended use, data, metrics and lineage, from what the run actually saw. */
final class ModelCard {

    private ModelCard() {
    }

    static String render(TrainingInput input, ModelSpec spec, Map<String, Double> metrics, int bestEpoch, int epochsRun) {
        StringBuilder md = new StringBuilder();
        md.append("# Model card: ").append(spec.modelName()).append("\n\n");
        md.append("## Intended use\n\n");
        md.append("Predicts `").append(spec.target()).append("` (").append(spec.task().name().toLowerCase(Locale.ROOT).replace('_', ' '))
                .append(") from the ").append(spec.schema().size()).append(" features below, for rows drawn from the same population as the")
                .append(" training data. Owner: ").append(input.model().owner()).append(". Inputs outside the schema are refused;")
                .append(" watch the drift monitor (baseline `profile.json`) before trusting it on shifted data.\n\n");
        md.append("## Data\n\n");
        md.append("- training rows: ").append(input.train().size()).append(", missing feature values: ")
                .append(input.train().missingCount()).append('\n');
        md.append("- held-out rows: ").append(input.validation().size())
                .append(input.splitFromTrain() ? " (split from the training data by seed " + spec.seed() + ")" : " (validation channel)").append('\n');
        if (!spec.classes().isEmpty()) {
            md.append("- classes: ").append(String.join(", ", spec.classes())).append('\n');
        }
        md.append("\n| feature | type | encoding |\n|---|---|---|\n");
        for (int i = 0; i < spec.schema().size(); i++) {
            Feature f = spec.schema().features().get(i);
            var e = spec.encoding().get(i);
            md.append("| ").append(f.name()).append(" | ").append(f.type().name().toLowerCase(Locale.ROOT)).append(" | ")
                    .append(f.isNumeric()
                            ? String.format(Locale.ROOT, "standardised (mean %.4g, std %.4g), missing flag", e.mean(), e.std())
                            : "one-hot over " + f.allowedValues() + ", missing flag")
                    .append(" |\n");
        }
        md.append("\n## Metrics (held-out rows)\n\n| metric | value |\n|---|---|\n");
        metrics.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(String.format(Locale.ROOT, "%.6g", v)).append(" |\n"));
        md.append("\n## Lineage\n\n");
        md.append("- engine: ").append(spec.engine()).append(' ').append(spec.engineVersion()).append(", DJL ").append(spec.djlVersion()).append('\n');
        md.append("- network: hidden units ").append(spec.hiddenUnits()).append(", dropout ").append(spec.dropout())
                .append("; best epoch ").append(bestEpoch).append(" of ").append(epochsRun).append(" run\n");
        md.append("- hyperparameters: ").append(spec.hyperparameters()).append('\n');
        md.append("- champion: ").append(input.champion() == null ? "none given" : "scored on the same rows (`champion_` metrics)").append('\n');
        md.append("- input files (SHA-256):\n");
        spec.trainingFiles().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> md.append("  - `").append(e.getKey()).append("` ").append(e.getValue()).append('\n'));
        return md.toString();
    }
}
