package io.modelcycle.djl.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The trainer's hyperparameters, parsed from SageMaker's string map. Defaults are listed on
 * {@link TrainerMain}; an unknown name or a malformed value is a {@link HyperparameterException} naming it.
 *
 * @param epochs             maximum epochs, {@code >= 1}
 * @param batchSize          rows per step, {@code >= 1}
 * @param learningRate       Adam learning rate, {@code > 0}
 * @param hiddenUnits        hidden layer widths, each {@code >= 1}; may be empty (a linear model)
 * @param dropout            in [0, 1)
 * @param seed               engine seed, initialisation, shuffles and split
 * @param validationFraction held-out fraction without a validation channel, in (0, 1)
 * @param patience           epochs without a better validation loss before stopping, {@code >= 1}
 */
public record Hyperparameters(int epochs, int batchSize, double learningRate, List<Integer> hiddenUnits, double dropout,
                              long seed, double validationFraction, int patience) {

    public static final Set<String> NAMES = Set.of("epochs", "batch_size", "learning_rate", "hidden_units", "dropout",
            "seed", "validation_fraction", "patience");

    public Hyperparameters {
        hiddenUnits = List.copyOf(hiddenUnits);
    }

    public static Hyperparameters defaults() {
        return parse(Map.of());
    }

    /** Parses SageMaker's map (all values strings); missing names take their defaults. */
    public static Hyperparameters parse(Map<String, String> raw) {
        for (String name : new TreeMap<>(raw).keySet()) {
            if (!NAMES.contains(name)) {
                throw new HyperparameterException(name, "unknown; known names are " + NAMES.stream().sorted().toList());
            }
        }
        int epochs = intValue(raw, "epochs", 20, 1, 100_000);
        int batch = intValue(raw, "batch_size", 256, 1, 1 << 20);
        double lr = doubleValue(raw, "learning_rate", 0.005);
        if (!(lr > 0 && lr <= 10)) {
            throw new HyperparameterException("learning_rate", "must be in (0, 10], got '" + raw.get("learning_rate") + "'");
        }
        List<Integer> hidden = hiddenUnits(raw.getOrDefault("hidden_units", "64,32"));
        double dropout = doubleValue(raw, "dropout", 0.0);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new HyperparameterException("dropout", "must be in [0, 1), got '" + raw.get("dropout") + "'");
        }
        long seed;
        try {
            seed = Long.parseLong(raw.getOrDefault("seed", "42").strip());
        } catch (NumberFormatException e) {
            throw new HyperparameterException("seed", "must be a whole number, got '" + raw.get("seed") + "'");
        }
        double fraction = doubleValue(raw, "validation_fraction", 0.2);
        if (!(fraction > 0 && fraction < 1)) {
            throw new HyperparameterException("validation_fraction", "must be in (0, 1), got '" + raw.get("validation_fraction") + "'");
        }
        int patience = intValue(raw, "patience", 3, 1, 100_000);
        return new Hyperparameters(epochs, batch, lr, hidden, dropout, seed, fraction, patience);
    }

    /** The resolved values as SageMaker-style strings, for {@code model.json} and the model card. */
    public Map<String, String> asStrings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("epochs", Integer.toString(epochs));
        m.put("batch_size", Integer.toString(batchSize));
        m.put("learning_rate", Double.toString(learningRate));
        m.put("hidden_units", String.join(",", hiddenUnits.stream().map(String::valueOf).toList()));
        m.put("dropout", Double.toString(dropout));
        m.put("seed", Long.toString(seed));
        m.put("validation_fraction", Double.toString(validationFraction));
        m.put("patience", Integer.toString(patience));
        return m;
    }

    private static int intValue(Map<String, String> raw, String name, int fallback, int min, int max) {
        String value = raw.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(value.strip());
            if (v < min || v > max) {
                throw new HyperparameterException(name, "must be between " + min + " and " + max + ", got '" + value + "'");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new HyperparameterException(name, "must be a whole number, got '" + value + "'");
        }
    }

    private static double doubleValue(Map<String, String> raw, String name, double fallback) {
        String value = raw.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            double v = Double.parseDouble(value.strip());
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new HyperparameterException(name, "must be a number, got '" + value + "'");
        }
    }

    private static List<Integer> hiddenUnits(String value) {
        List<Integer> units = new ArrayList<>();
        if (value.isBlank()) {
            return units;
        }
        for (String part : value.split(",", -1)) {
            try {
                int u = Integer.parseInt(part.strip());
                if (u < 1 || u > 65_536) {
                    throw new NumberFormatException();
                }
                units.add(u);
            } catch (NumberFormatException e) {
                throw new HyperparameterException("hidden_units",
                        "must be comma-separated layer widths between 1 and 65536, e.g. '64,32', got '" + value + "'");
            }
        }
        return units;
    }
}
