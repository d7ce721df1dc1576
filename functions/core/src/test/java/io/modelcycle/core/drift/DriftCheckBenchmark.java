package io.modelcycle.core.drift;

import io.modelcycle.core.Json;
import io.modelcycle.core.artifact.ArtifactKeys;
import io.modelcycle.core.capture.CaptureRecord;
import io.modelcycle.core.capture.CaptureWindowReader;
import io.modelcycle.core.capture.TempDirArtifactStore;
import io.modelcycle.core.capture.WindowProfile;
import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.model.Policies.DriftPolicy;
import io.modelcycle.core.profile.Profile;
import io.modelcycle.core.profile.ProfileBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

/**
 * Benchmark (a main, never run by the build): a drift check over 1 000 000 captured rows x 20 features read from
 * gzip JSON-lines files, end to end (list, gunzip, parse, profile on 2 threads, merge, detect), and our exact KS
 * against commons-math3's {@code KolmogorovSmirnovTest} on the same data. Each run prints wall time and the process's
 * CPU time (OperatingSystemMXBean), and the rows per second two dedicated cores would give at that CPU time (the
 * figure to read on a shared, loaded machine), and the peak heap (sum of the heap pools' peaks, reset per run).
 *
 * <pre>
 * mvn -B -q -o -pl functions/core test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx256m -cp functions/core/target/classes:functions/core/target/test-classes:$(cat functions/core/target/cp.txt) \
 *     io.modelcycle.core.drift.DriftCheckBenchmark [rows] [threads]
 * </pre>
 */
public final class DriftCheckBenchmark {

    private static final int NUMERIC = 16;
    private static final List<String> PLANS = List.of("free", "pro", "team", "enterprise");
    private static final Instant START = Instant.parse("2026-11-29T00:00:00Z");
    private static final int FILES = 16;

    private DriftCheckBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        List<Feature> features = new ArrayList<>();
        for (int i = 0; i < NUMERIC; i++) {
            features.add(Feature.numeric("x" + i));
        }
        for (int i = 0; i < 20 - NUMERIC; i++) {
            features.add(Feature.categorical("c" + i, PLANS));
        }
        FeatureSchema schema = new FeatureSchema(features);
        System.out.printf("JVM max heap %d MiB, %d processors, %d rows x %d features, %d reader threads%n",
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(), rows,
                schema.size(), threads);

        // Baseline: 200 000 rows from the reference distribution.
        SplittableRandom random = new SplittableRandom(42);
        ProfileBuilder baselineBuilder = ProfileBuilder.baseline(schema, Feature.numeric("score"));
        for (int r = 0; r < 200_000; r++) {
            baselineBuilder.add(row(random, 0), score(random));
        }
        Profile baseline = baselineBuilder.build();
        System.out.printf("baseline profile of 200000 rows: %d KiB as JSON%n", Json.write(baseline).length() / 1024);

        // Current window: half the numeric features shifted, written as 16 gzip JSON-lines objects over 2 hours.
        Path dir = Files.createTempDirectory("drift-bench");
        TempDirArtifactStore store = new TempDirArtifactStore(dir);
        long written = 0;
        long started = System.nanoTime();
        int perFile = rows / FILES;
        for (int f = 0; f < FILES; f++) {
            Instant hour = START.plusSeconds((f * 2L / FILES) * 3600);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (Writer out = new OutputStreamWriter(new GZIPOutputStream(bytes, 1 << 16), StandardCharsets.UTF_8)) {
                int n = f == FILES - 1 ? rows - perFile * (FILES - 1) : perFile;
                for (int r = 0; r < n; r++) {
                    Instant at = hour.plusMillis(r % 3_600_000);
                    Map<String, Object> row = row(random, 0.3);
                    out.write(Json.write(CaptureRecord.single(at, "bench", 1, "production", "req-" + f + "-" + r, row,
                            score(random))));
                    out.write('\n');
                }
            }
            written += bytes.size();
            store.put(ArtifactKeys.capturePrefix("bench", hour) + "part-" + f + ".jsonl.gz", bytes.toByteArray());
        }
        System.out.printf("generated %d capture records in %d gzip objects, %.1f MiB compressed, in %.1f s%n", rows, FILES,
                written / 1048576.0, (System.nanoTime() - started) / 1e9);

        // Decompression alone, one thread, to show what share of the cost is gunzip.
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        java.lang.management.ThreadMXBean threadsBean = java.lang.management.ManagementFactory.getThreadMXBean();
        long gunzipCpu = threadsBean.getCurrentThreadCpuTime();
        long inflated = 0;
        byte[] buffer = new byte[1 << 16];
        for (io.modelcycle.core.artifact.StoredObject o : store.list("captures/bench/")) {
            try (java.io.InputStream in = new java.util.zip.GZIPInputStream(store.open(o.key()), 1 << 16)) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    inflated += n;
                }
            }
        }
        gunzipCpu = threadsBean.getCurrentThreadCpuTime() - gunzipCpu;
        System.out.printf("gunzip only: %.1f MiB of JSON lines (%.0f bytes/row) in %.3f CPU s%n", inflated / 1048576.0,
                (double) inflated / rows, gunzipCpu / 1e9);

        CaptureWindowReader reader = new CaptureWindowReader(store, threads);
        DriftDetector detector = new DriftDetector(DriftPolicy.DEFAULT);
        List<java.lang.management.MemoryPoolMXBean> heapPools = java.lang.management.ManagementFactory
                .getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == java.lang.management.MemoryType.HEAP).toList();
        for (int run = 1; run <= 5; run++) {
            System.gc();
            heapPools.forEach(java.lang.management.MemoryPoolMXBean::resetPeakUsage);
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            WindowProfile window = reader.read("bench", START, START.plusSeconds(2 * 3600), null, baseline);
            DriftReport report = detector.detect(baseline, window.profile());
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            System.out.printf("run %d: drift check of %d rows in %.3f s wall = %,.0f rows/s; %.3f CPU s = %,.0f rows per "
                            + "CPU s (%,.0f rows/s on 2 dedicated cores); %d of %d features drifted "
                            + "(dataset drift %s), prediction drift %s; peak heap %d MiB (sum of pool peaks)%n",
                    run, window.rows(), seconds, window.rows() / seconds, cpu, window.rows() / cpu,
                    2 * window.rows() / cpu, report.driftedFeatures(),
                    report.features().size(), report.datasetDrift(), report.predictionDrift(),
                    heapPools.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum() >> 20);
        }

        compareKs(random, 1_000_000, 200_000);
        compareKs(random, 1_000, 1_000);

        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void compareKs(SplittableRandom random, int n1, int n2) {
        double[] a = new double[n1];
        double[] b = new double[n2];
        for (int i = 0; i < n1; i++) {
            a[i] = Math.round(random.nextDouble() * 1e6) / 1e4;
        }
        for (int i = 0; i < n2; i++) {
            b[i] = Math.round((random.nextDouble() * 1.01) * 1e6) / 1e4;
        }
        KolmogorovSmirnovTest commons = new KolmogorovSmirnovTest();
        Measurement ours = null;
        double theirsP = 0;
        double theirsD = 0;
        int reps = n1 >= 100_000 ? 5 : 200;
        long[] oursNs = new long[reps];
        long[] theirsNs = new long[reps];
        for (int rep = 0; rep < reps; rep++) {
            long t0 = System.nanoTime();
            ours = DriftStatistics.ks(a, b);
            oursNs[rep] = System.nanoTime() - t0;
            // kolmogorovSmirnovTest computes the statistic and the p-value, as ours does.
            t0 = System.nanoTime();
            theirsP = commons.kolmogorovSmirnovTest(a, b);
            theirsNs[rep] = System.nanoTime() - t0;
            theirsD = commons.kolmogorovSmirnovStatistic(a, b);
        }
        Arrays.sort(oursNs);
        Arrays.sort(theirsNs);
        double oursMs = oursNs[reps / 2] / 1e6;
        double theirsMs = theirsNs[reps / 2] / 1e6;
        System.out.printf("KS %d x %d: ours D=%.6f p=%.6g in %.2f ms (median of %d); commons-math3 D=%.6f p=%.6g in "
                        + "%.2f ms (kolmogorovSmirnovTest); commons/ours time ratio %.2f%n",
                n1, n2, ours.value(), ours.pValue(), oursMs, reps, theirsD, theirsP, theirsMs, theirsMs / oursMs);
    }

    private static Map<String, Object> row(SplittableRandom random, double shift) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < NUMERIC; i++) {
            double s = i % 2 == 0 ? shift : 0;
            double v = i % 4 == 3 ? Math.exp(random.nextGaussian() * 0.5 + s) : random.nextGaussian() * (1 + i) + s * (1 + i);
            row.put("x" + i, Math.round(v * 1e4) / 1e4);
        }
        for (int i = 0; i < 20 - NUMERIC; i++) {
            double u = random.nextDouble();
            row.put("c" + i, PLANS.get(u < 0.5 ? 0 : u < 0.8 ? 1 : u < 0.95 ? 2 : 3));
        }
        return row;
    }

    private static double score(SplittableRandom random) {
        return Math.round(random.nextDouble() * 1e4) / 1e4;
    }
}
