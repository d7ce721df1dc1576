package io.modelcycle.core.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.modelcycle.core.IntegrityException;
import io.modelcycle.core.Json;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.artifact.ArtifactKeys;
import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.profile.FeatureProfile;
import io.modelcycle.core.profile.Profile;
import io.modelcycle.core.profile.ProfileBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureWindowReaderTest {

    private static final FeatureSchema SCHEMA = new FeatureSchema(List.of(
            Feature.numeric("age"), Feature.categorical("plan", List.of("free", "pro")), Feature.numeric("spend")));
    private static final Instant T0 = Instant.parse("2026-11-29T08:00:00Z");

    @TempDir
    Path dir;
    private TempDirArtifactStore store;
    private Profile baseline;

    @BeforeEach
    void setUp() {
        store = new TempDirArtifactStore(dir);
        Random random = new Random(11);
        ProfileBuilder builder = ProfileBuilder.baseline(SCHEMA, Feature.numeric("score")).optBins(20);
        for (int i = 0; i < 3_000; i++) {
            builder.add(row(random.nextGaussian() * 10 + 40, random.nextBoolean() ? "free" : "pro", random.nextDouble()),
                    random.nextDouble());
        }
        baseline = builder.build();
    }

    private static Map<String, Object> row(Object age, Object plan, Object spend) {
        Map<String, Object> row = new HashMap<>();
        row.put("age", age);
        row.put("plan", plan);
        row.put("spend", spend);
        return row;
    }

    private void write(String key, List<String> lines) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            for (String line : lines) {
                gz.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store.put(key, bytes.toByteArray());
    }

    /** Three hours of captures, 08:00 to 11:00, 1 record a minute; versions 1 and 2 alternate; some are batches. */
    private ProfileBuilder writeCaptures(Instant from, Instant to, int version) {
        Random random = new Random(5);
        ProfileBuilder expected = ProfileBuilder.against(baseline);
        for (int hour = 0; hour < 3; hour++) {
            List<String> lines = new ArrayList<>();
            for (int minute = 0; minute < 60; minute++) {
                Instant at = T0.plusSeconds(hour * 3600L + minute * 60L + 30);
                int v = minute % 2 == 0 ? 1 : 2;
                int rows = minute % 7 == 0 ? 3 : 1;
                List<Map<String, Object>> batch = new ArrayList<>();
                List<Object> predictions = new ArrayList<>();
                for (int r = 0; r < rows; r++) {
                    batch.add(row(minute % 11 == 0 ? null : random.nextGaussian() * 10 + 50,
                            minute % 13 == 0 ? "enterprise" : "pro", random.nextDouble()));
                    predictions.add(random.nextDouble());
                }
                CaptureRecord record = new CaptureRecord(at, "churn", v, "production", "req-" + hour + "-" + minute,
                        batch, predictions);
                lines.add(Json.write(record));
                if (v == version && !at.isBefore(from) && at.isBefore(to)) {
                    for (int r = 0; r < rows; r++) {
                        expected.add(batch.get(r), predictions.get(r));
                    }
                }
            }
            write(ArtifactKeys.capturePrefix("churn", T0.plusSeconds(hour * 3600L)) + "part-0.jsonl.gz", lines.subList(0, 30));
            write(ArtifactKeys.capturePrefix("churn", T0.plusSeconds(hour * 3600L)) + "part-1.jsonl.gz", lines.subList(30, 60));
        }
        return expected;
    }

    @Test
    void profiles_exactly_the_records_of_the_window_and_version() {
        // GIVEN three hours of captures and a window that cuts the first and last hour
        Instant from = T0.plusSeconds(20 * 60);
        Instant to = T0.plusSeconds(2 * 3600 + 40 * 60);
        Profile expected = writeCaptures(from, to, 2).build();

        // WHEN the window is read for version 2 on two threads
        WindowProfile window = new CaptureWindowReader(store, 2).read("churn", from, to, 2, baseline);

        // THEN the profile is the one of exactly those rows: same counts per bin and category, same moments
        assertThat(window.files()).isEqualTo(6);
        assertThat(window.rows()).isEqualTo(expected.rows()).isGreaterThan(60);
        assertThat(window.records() + window.skippedRecords()).isEqualTo(180);
        for (FeatureProfile f : expected.features()) {
            FeatureProfile actual = window.profile().feature(f.name()).orElseThrow();
            if (f.numericType()) {
                assertThat(actual.numeric().histogram().counts()).isEqualTo(f.numeric().histogram().counts());
                assertThat(actual.numeric().missing()).isEqualTo(f.numeric().missing());
                assertThat(actual.numeric().mean()).isCloseTo(f.numeric().mean(), within(1e-9));
                assertThat(actual.numeric().sample()).isEqualTo(f.numeric().sample());
            } else {
                assertThat(actual.categorical()).isEqualTo(f.categorical());
            }
        }
        assertThat(window.profile().prediction().numeric().histogram().counts())
                .isEqualTo(expected.prediction().numeric().histogram().counts());
    }

    @Test
    void one_thread_and_two_threads_read_the_same_profile() {
        Instant from = T0;
        Instant to = T0.plusSeconds(3 * 3600);
        writeCaptures(from, to, 1);
        WindowProfile one = new CaptureWindowReader(store, 1).read("churn", from, to, null, baseline);
        WindowProfile two = new CaptureWindowReader(store, 2).read("churn", from, to, null, baseline);
        assertThat(one.records()).isEqualTo(180);
        assertThat(one.skippedRecords()).isZero();
        assertThat(two.profile().feature("plan")).isEqualTo(one.profile().feature("plan"));
        assertThat(two.profile().feature("age").orElseThrow().numeric().histogram().counts())
                .isEqualTo(one.profile().feature("age").orElseThrow().numeric().histogram().counts());
    }

    @Test
    void an_empty_window_gives_an_empty_profile() {
        WindowProfile window = new CaptureWindowReader(store, 2).read("churn", T0, T0.plusSeconds(3600), null, baseline);
        assertThat(window.rows()).isZero();
        assertThat(window.files()).isZero();
    }

    @Test
    void a_damaged_line_is_reported_with_its_object_and_line() {
        String key = ArtifactKeys.capturePrefix("churn", T0) + "bad.jsonl.gz";
        write(key, List.of(Json.write(CaptureRecord.single(T0.plusSeconds(5), "churn", 1, null, "r1",
                row(1, "pro", 2), 0.5)), "{\"rows\":[{\"age\":\"old\"}]}"));
        assertThatThrownBy(() -> new CaptureWindowReader(store, 1).read("churn", T0, T0.plusSeconds(3600), null, baseline))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(key).hasMessageContaining("line 2").hasMessageContaining("age");
    }

    @Test
    void a_tampered_object_fails_its_hash_check() throws IOException {
        String key = ArtifactKeys.capturePrefix("churn", T0) + "part.jsonl.gz";
        write(key, List.of(Json.write(CaptureRecord.single(T0.plusSeconds(5), "churn", 1, null, "r1", row(1, "pro", 2), 0.5))));
        byte[] bytes = Files.readAllBytes(store.pathOf(key));
        write(key + ".tmp", List.of(Json.write(CaptureRecord.single(T0.plusSeconds(5), "churn", 1, null, "r1",
                row(9, "free", 9), 0.1))));
        Files.write(store.pathOf(key), Files.readAllBytes(store.pathOf(key + ".tmp")));
        store.delete(key + ".tmp");
        assertThat(Files.readAllBytes(store.pathOf(key))).isNotEqualTo(bytes);
        assertThatThrownBy(() -> new CaptureWindowReader(store, 1).read("churn", T0, T0.plusSeconds(3600), null, baseline))
                .isInstanceOf(IntegrityException.class);
    }

    @Test
    void a_backwards_window_is_refused() {
        assertThatThrownBy(() -> new CaptureWindowReader(store, 1).read("churn", T0, T0, null, baseline))
                .isInstanceOf(ValidationException.class).hasMessageContaining("from < to");
    }

    @Test
    void numbers_parse_bit_identical_to_the_jdk() throws IOException {
        // GIVEN numbers written the ways capture sinks and people write them
        Random random = new Random(17);
        StringBuilder json = new StringBuilder("[");
        List<String> texts = new ArrayList<>(List.of("0", "-0", "-0.0", "1", "123456789012345", "1234567890123456789",
                "0.1", "0.30000000000000004", "1e3", "-2.5E-7", "9007199254740993", "0.000001", "3.14159265358979323846"));
        for (int i = 0; i < 5_000; i++) {
            double v = random.nextGaussian() * Math.pow(10, random.nextInt(12) - 4);
            texts.add(i % 3 == 0 ? Double.toString(v) : String.format(java.util.Locale.ROOT, "%." + random.nextInt(9) + "f", v));
        }
        json.append(String.join(",", texts)).append(']');
        // WHEN each is read with the fast path THEN it is exactly what Double.parseDouble gives
        try (com.fasterxml.jackson.core.JsonParser p = new com.fasterxml.jackson.core.JsonFactory().createParser(json.toString())) {
            p.nextToken();
            int i = 0;
            while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                double expected = Double.parseDouble(texts.get(i++));
                assertThat(Double.doubleToRawLongBits(CaptureWindowReader.parseNumber(p)))
                        .as(texts.get(i - 1)).isEqualTo(Double.doubleToRawLongBits(expected));
            }
            assertThat(i).isEqualTo(texts.size());
        }
    }
}
