package io.modelcycle.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.modelcycle.core.Json;
import io.modelcycle.core.dataset.SyntheticDataset;
import io.modelcycle.djl.train.ContainerLayout;
import io.modelcycle.djl.train.Hyperparameters;
import io.modelcycle.djl.train.Trainer;
import io.modelcycle.djl.train.TrainingInput;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Training throughput on this machine's CPU: 100 000 rows × 20 features (15 numeric, 5 categorical, 2 % missing),
 * binary, 10 epochs without early stopping, default network (64,32) and batch size 256, held-out 20 %. Prints the
 * engine load time, CSV read time, training wall time, rows per second over the epochs, and the peak heap.
 * Not a unit test: run it by hand (command in functions/djl/README.md).
 */
public final class TrainingBenchmark {

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        AtomicLong peakHeap = new AtomicLong();
        Thread sampler = new Thread(() -> {
            Runtime rt = Runtime.getRuntime();
            while (!Thread.currentThread().isInterrupted()) {
                peakHeap.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();

        long t0 = System.nanoTime();
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager m = NDManager.newBaseManager()) {
            m.ones(new Shape(1)).sum().getFloat();
        }
        double engineLoadMs = (System.nanoTime() - t0) / 1e6;

        Path root = Files.createTempDirectory("bench");
        SyntheticDataset spec = SyntheticDataset.binary(rows, 20, 1);
        Files.createDirectories(root.resolve(ContainerLayout.TRAIN));
        Files.createDirectories(root.resolve(ContainerLayout.MODEL_DEFINITION).getParent());
        Files.writeString(root.resolve(ContainerLayout.MODEL_DEFINITION), Json.write(spec.model("bench", "bench")));
        spec.generate().writeCsv(root.resolve(ContainerLayout.TRAIN).resolve("data.csv"));
        Files.createDirectories(root.resolve(ContainerLayout.HYPERPARAMETERS).getParent());
        Files.writeString(root.resolve(ContainerLayout.HYPERPARAMETERS),
                Json.write(Map.of("epochs", Integer.toString(epochs), "patience", Integer.toString(epochs))));
        System.gc();

        ContainerLayout layout = new ContainerLayout(root);
        Hyperparameters hp = layout.hyperparameters();
        long t1 = System.nanoTime();
        TrainingInput input = layout.input(hp);
        double readS = (System.nanoTime() - t1) / 1e9;

        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        long t2 = System.nanoTime();
        Trainer.Result result = new Trainer(hp, new PrintStream(progress, true, StandardCharsets.UTF_8)).train(input, layout.modelDir());
        double trainS = (System.nanoTime() - t2) / 1e9;
        sampler.interrupt();

        double epochSeconds = 0;
        for (String line : progress.toString(StandardCharsets.UTF_8).lines().toList()) {
            double rps = Double.parseDouble(line.replaceAll(".*rows_per_s=([0-9.]+).*", "$1"));
            epochSeconds += input.train().size() / rps;
        }
        long heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "engine=%s %s djl=%s threads=%s cpus=%d%n", engine.getEngineName(), engine.getVersion(),
                Engine.getDjlVersion(), System.getProperty("ai.djl.pytorch.num_threads", "default"),
                Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "engine_load_ms=%.0f%n", engineLoadMs);
        out.printf(Locale.ROOT, "rows=%d train_rows=%d features=20 epochs_run=%d batch_size=%d%n", rows, input.train().size(),
                result.epochsRun(), hp.batchSize());
        out.printf(Locale.ROOT, "csv_read_s=%.2f%n", readS);
        out.printf(Locale.ROOT, "train_wall_s=%.2f (encode + %d epochs + evaluation + profile + writing)%n", trainS, result.epochsRun());
        out.printf(Locale.ROOT, "epoch_loop_s=%.2f throughput_rows_per_s=%.0f%n", epochSeconds,
                input.train().size() * (double) result.epochsRun() / epochSeconds);
        out.printf(Locale.ROOT, "peak_heap_sampled_mb=%.0f peak_heap_pools_mb=%.0f max_heap_mb=%d%n", peakHeap.get() / 1e6,
                heapPools / 1e6, Runtime.getRuntime().maxMemory() / 1_000_000);
        out.printf(Locale.ROOT, "roc_auc=%.4f%n", result.metrics().get("roc_auc"));

        // Predictor latency, for the inference stage: one row, and 100 rows in one call.
        try (TabularModel model = TabularModel.load(layout.modelDir())) {
            java.util.List<Map<String, Object>> requests = input.validation().rows().subList(0, 100).stream()
                    .map(r -> r.toMap(input.validation().schema())).toList();
            for (int i = 0; i < 500; i++) {
                model.predict(requests.get(i % 100));
                model.predict(requests);
            }
            long s1 = System.nanoTime();
            for (int i = 0; i < 2000; i++) {
                model.predict(requests.get(i % 100));
            }
            double oneRowUs = (System.nanoTime() - s1) / 1e3 / 2000;
            long s2 = System.nanoTime();
            for (int i = 0; i < 500; i++) {
                model.predict(requests);
            }
            double hundredUs = (System.nanoTime() - s2) / 1e3 / 500;
            out.printf(Locale.ROOT, "predict_1_row_us=%.0f predict_100_rows_us=%.0f%n", oneRowUs, hundredUs);
        }
    }
}
