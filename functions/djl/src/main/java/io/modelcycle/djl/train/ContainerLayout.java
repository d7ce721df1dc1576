package io.modelcycle.djl.train;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.Hashing;
import io.modelcycle.core.Json;
import io.modelcycle.core.ModelCycleException;
import io.modelcycle.core.dataset.Dataset;
import io.modelcycle.core.dataset.DatasetReader;
import io.modelcycle.core.model.Model;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The SageMaker container paths under one root (see {@link TrainerMain} for the contract), and the reading and
 * checking of what is found there.
 */
public final class ContainerLayout {

    public static final String HYPERPARAMETERS = "input/config/hyperparameters.json";
    public static final String MODEL_DEFINITION = "input/data/model/model.json";
    public static final String TRAIN = "input/data/train";
    public static final String VALIDATION = "input/data/validation";
    public static final String CHAMPION = "input/data/champion";
    public static final String MODEL_DIR = "model";
    public static final String FAILURE = "output/failure";

    private final Path root;

    public ContainerLayout(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path modelDir() {
        return root.resolve(MODEL_DIR);
    }

    public Path failureFile() {
        return root.resolve(FAILURE);
    }

    /** The hyperparameters, defaults where the file or a name is absent. */
    public Hyperparameters hyperparameters() throws IOException {
        Path file = root.resolve(HYPERPARAMETERS);
        if (!Files.exists(file)) {
            return Hyperparameters.defaults();
        }
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new HyperparameterException("(file)", HYPERPARAMETERS + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (tree == null || !tree.isObject()) {
            throw new HyperparameterException("(file)", HYPERPARAMETERS + " must be a JSON object of strings");
        }
        Map<String, String> raw = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new HyperparameterException(e.getKey(), "must be a JSON string (SageMaker passes every value as a string), got "
                        + e.getValue());
            }
            raw.put(e.getKey(), e.getValue().asText());
        }
        return Hyperparameters.parse(raw);
    }

    /** Reads the model definition, the datasets and the champion channel. */
    public TrainingInput input(Hyperparameters hp) throws IOException {
        Model model = model();
        DatasetReader reader = new DatasetReader(model.schema(), model.target(), model.task());
        Map<String, String> files = new LinkedHashMap<>();
        List<Path> trainFiles = csvFiles(root.resolve(TRAIN), true);
        Dataset train = reader.read(trainFiles);
        hash(trainFiles, "train/", files);
        Path validationDir = root.resolve(VALIDATION);
        List<Path> validationFiles = Files.isDirectory(validationDir) ? csvFiles(validationDir, false) : List.of();
        Dataset validation;
        boolean split = validationFiles.isEmpty();
        if (split) {
            if (train.size() < 2) {
                throw new TrainingInputException(TrainingInputException.NO_TRAINING_DATA,
                        "need at least 2 training rows to hold some out, got " + train.size(), null);
            }
            Dataset.Split s = train.split(hp.validationFraction(), hp.seed());
            train = s.train();
            validation = s.holdout();
        } else {
            validation = reader.read(validationFiles);
            hash(validationFiles, "validation/", files);
        }
        return new TrainingInput(model, train, validation, split, champion(), files);
    }

    private Model model() {
        Path file = root.resolve(MODEL_DEFINITION);
        if (!Files.exists(file)) {
            throw new TrainingInputException(TrainingInputException.BAD_MODEL_DEFINITION, "no model definition at " + file
                    + " (channel 'model' must hold model.json)", null);
        }
        try {
            return Json.mapper().readValue(Files.readString(file), Model.class);
        } catch (IOException e) {
            throw new TrainingInputException(TrainingInputException.BAD_MODEL_DEFINITION, file + " is not a valid model definition: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        } catch (ModelCycleException e) {
            throw new TrainingInputException(TrainingInputException.BAD_MODEL_DEFINITION, file + ": " + e.getMessage(), e);
        }
    }

    private Path champion() throws IOException {
        Path dir = root.resolve(CHAMPION);
        if (!Files.isDirectory(dir)) {
            return null;
        }
        if (Files.exists(dir.resolve("model.json"))) {
            return dir;
        }
        Path archive = dir.resolve("model.tar.gz");
        if (Files.exists(archive)) {
            Path unpacked = Files.createTempDirectory("champion");
            try {
                TarGz.extract(archive, unpacked);
            } catch (IOException | RuntimeException e) {
                throw new TrainingInputException(TrainingInputException.BAD_CHAMPION, "cannot unpack " + archive + ": " + e.getMessage(), e);
            }
            return unpacked;
        }
        try (Stream<Path> list = Files.list(dir)) {
            if (list.findAny().isEmpty()) {
                return null; // an empty channel is no champion, e.g. the first version of a model
            }
        }
        throw new TrainingInputException(TrainingInputException.BAD_CHAMPION, dir + " holds neither model.json nor model.tar.gz", null);
    }

    private static List<Path> csvFiles(Path dir, boolean required) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new TrainingInputException(TrainingInputException.NO_TRAINING_DATA, "no training channel at " + dir, null);
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv"))
                    .filter(Files::isRegularFile).sorted().toList();
        }
        if (files.isEmpty() && required) {
            throw new TrainingInputException(TrainingInputException.NO_TRAINING_DATA, "no *.csv file in " + dir, null);
        }
        return files;
    }

    private static void hash(List<Path> files, String prefix, Map<String, String> out) throws IOException {
        for (Path f : files) {
            MessageDigest digest = Hashing.sha256();
            try (InputStream in = new DigestInputStream(Files.newInputStream(f), digest)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            out.put(prefix + f.getFileName(), Hashing.hex(digest));
        }
    }
}
