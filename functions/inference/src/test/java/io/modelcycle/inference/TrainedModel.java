package io.modelcycle.inference;

import io.modelcycle.core.Json;
import io.modelcycle.core.dataset.Dataset;
import io.modelcycle.core.dataset.SyntheticDataset;
import io.modelcycle.core.model.Model;
import io.modelcycle.djl.train.ContainerLayout;
import io.modelcycle.djl.train.TrainerMain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * A real model, trained once per test JVM by the real trainer ({@link TrainerMain}, the SageMaker container contract)
 * on a few hundred synthetic rows for two epochs, and packed as the {@code model.tar.gz} a training job uploads.
 */
final class TrainedModel {

    static final String NAME = "churn";
    static final SyntheticDataset DATA = SyntheticDataset.binary(300, 4, 7);

    private static TrainedModel instance;

    final Path dir;
    final byte[] archive;
    final Dataset holdout;

    private TrainedModel(Path dir, byte[] archive, Dataset holdout) {
        this.dir = dir;
        this.archive = archive;
        this.holdout = holdout;
    }

    static synchronized TrainedModel get() {
        if (instance == null) {
            instance = train();
        }
        return instance;
    }

    /** The model definition the registry holds: same schema as the trained model, capture at {@code sampleRate}. */
    static Model definition(double sampleRate) {
        Model m = DATA.model(NAME, "tests");
        io.modelcycle.core.model.Policies d = io.modelcycle.core.model.Policies.defaults();
        return new Model(m.name(), m.task(), m.schema(), m.target(), m.owner(), m.tags(),
                new io.modelcycle.core.model.Policies(d.qualityGate(), d.approval(), d.drift(), d.canary(), d.retention(),
                        new io.modelcycle.core.model.Policies.CapturePolicy(sampleRate)), null);
    }

    /** Rows of the hold-out set as a request would send them (null for a missing value, never an absent key). */
    List<Map<String, Object>> rows(int n) {
        return holdout.rows().subList(0, n).stream().map(r -> {
            Map<String, Object> row = new java.util.LinkedHashMap<>();
            for (int i = 0; i < holdout.schema().size(); i++) {
                row.put(holdout.schema().features().get(i).name(), r.features().get(i));
            }
            return row;
        }).toList();
    }

    private static TrainedModel train() {
        try {
            Path root = Files.createTempDirectory("inference-model-");
            root.toFile().deleteOnExit();
            write(root.resolve(ContainerLayout.MODEL_DEFINITION), Json.write(definition(0.1)));
            write(root.resolve(ContainerLayout.HYPERPARAMETERS), Json.write(Map.of("epochs", "2", "hidden_units", "16,8")));
            Files.createDirectories(root.resolve(ContainerLayout.TRAIN));
            DATA.generate().writeCsv(root.resolve(ContainerLayout.TRAIN).resolve("part-0.csv"));
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = TrainerMain.run(new String[] {"--root", root.toString()},
                    new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            if (status != 0) {
                throw new IllegalStateException("training failed: " + err.toString(StandardCharsets.UTF_8));
            }
            Path modelDir = root.resolve(ContainerLayout.MODEL_DIR);
            return new TrainedModel(modelDir, tarGz(modelDir), DATA.withSeed(8).withRows(200).withMissingRate(0).generate());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    /** A ustar {@code .tar.gz} of the directory's regular files, as SageMaker packs a model directory. */
    static byte[] tarGz(Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes); Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                byte[] content = Files.readAllBytes(file);
                byte[] header = new byte[512];
                put(header, 0, file.getFileName().toString());
                put(header, 100, "0000644");
                put(header, 108, "0000000");
                put(header, 116, "0000000");
                put(header, 124, String.format("%011o", content.length));
                put(header, 136, String.format("%011o", 0));
                header[156] = '0';
                put(header, 257, "ustar");
                put(header, 263, "00");
                for (int i = 148; i < 156; i++) {
                    header[i] = ' ';
                }
                int sum = 0;
                for (byte b : header) {
                    sum += b & 0xff;
                }
                put(header, 148, String.format("%06o", sum));
                header[154] = 0;
                gz.write(header);
                gz.write(content);
                gz.write(new byte[(512 - content.length % 512) % 512]);
            }
            gz.write(new byte[1024]);
        }
        return bytes.toByteArray();
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] b = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, offset, b.length);
    }
}
