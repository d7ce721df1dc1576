package io.modelcycle.core.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.modelcycle.core.Json;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.artifact.ArtifactKeys;
import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.profile.Profile;
import io.modelcycle.core.profile.ProfileBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast line parser of {@link CaptureWindowReader} against its Jackson path: on every input, the same profile,
 * the same counts and the same errors.
 */
class CaptureLineParserTest {

    private static final FeatureSchema SCHEMA = new FeatureSchema(List.of(
            Feature.numeric("age"), Feature.categorical("plan", List.of("free", "pro", "café")), Feature.numeric("spend"),
            Feature.categorical("region", List.of("nord", "sud"))));
    private static final Instant T0 = Instant.parse("2026-11-29T08:00:00Z");

    @TempDir
    Path dir;

    private static Profile baseline(Feature prediction) {
        Random random = new Random(3);
        ProfileBuilder builder = ProfileBuilder.baseline(SCHEMA, prediction).optBins(30);
        for (int i = 0; i < 2_000; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("age", Math.round(random.nextGaussian() * 1000 + 40_000) / 1000.0);
            row.put("plan", List.of("free", "pro", "café").get(random.nextInt(3)));
            row.put("spend", random.nextDouble() * 100);
            row.put("region", random.nextBoolean() ? "nord" : "sud");
            builder.add(row, prediction == null ? null : prediction.isNumeric() ? (Object) random.nextDouble()
                    : (random.nextBoolean() ? "yes" : "no"));
        }
        return builder.build();
    }

    private void write(TempDirArtifactStore store, String key, String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store.put(key, bytes.toByteArray());
    }

    private static <T> T pick(Random random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    /** A number as people and sinks write it, in every JSON form, or null, or (rarely) a numeric string. */
    private static String number(Random random) {
        double v = random.nextGaussian() * Math.pow(10, random.nextInt(8) - 3) + 40;
        return switch (random.nextInt(14)) {
            case 0 -> "null";
            case 1 -> "-0";
            case 2 -> "0";
            case 3 -> String.format(Locale.ROOT, "%.3e", v);
            case 4 -> String.format(Locale.ROOT, "%.2E", v);
            case 5 -> Long.toString(Math.round(v));
            case 6 -> "\"" + v + "\"";
            case 7 -> "40.00000000000000000001";
            case 8 -> "123456789012345678";
            case 9 -> "-0.0";
            case 10 -> String.format(Locale.ROOT, "%." + random.nextInt(9) + "f", v);
            case 11 -> "1e400";
            default -> Double.toString(v);
        };
    }

    private static String plan(Random random) {
        return pick(random, List.of("\"free\"", "\"pro\"", "\"café\"", "\"caf\\u00e9\"", "\"pr\\u006f\"", "\"enterprise\"",
                "\"日本\"", "\"q\\\"uoted\"", "null", "7", "true", "\"\"", "\"free \"", "\"Free\""));
    }

    private static String key(Random random, String name) {
        if (random.nextInt(20) == 0) {
            // The same name, escaped: Jackson decodes it, the fast path must not misread it.
            return "\"\\u00" + Integer.toHexString(name.charAt(0)) + name.substring(1) + "\"";
        }
        return "\"" + name + "\"";
    }

    private static String sp(Random random) {
        return pick(random, List.of("", "", "", " ", "\t", "  "));
    }

    private static String row(Random random) {
        List<String> fields = new ArrayList<>();
        if (random.nextInt(8) != 0) {
            fields.add(key(random, "age") + ":" + sp(random) + number(random));
        }
        if (random.nextInt(8) != 0) {
            fields.add(key(random, "plan") + ":" + sp(random) + plan(random));
        }
        if (random.nextInt(8) != 0) {
            fields.add(key(random, "spend") + ":" + number(random));
        }
        if (random.nextInt(8) != 0) {
            fields.add("\"region\":" + pick(random, List.of("\"nord\"", "\"sud\"", "\"est\"", "null", "\"r\\u00e9gion\"")));
        }
        if (random.nextInt(6) == 0) {
            fields.add(pick(random, List.of("\"note\":{\"a\":[1,2.5e-3,{\"b\":null}],\"c\":\"x\\ny\"}", "\"flag\":true",
                    "\"ünïcode\":\"x\"", "\"région\":\"nord\"", "\"empty\":[]", "\"n\":-12.5E+2", "\"s\":\"\\\\\\/\\b\\f\\r\\t\"")));
        }
        if (random.nextInt(3) != 0) {
            // Most producers write their fields in one order (the sorted one, for core Json); some do not.
            Collections.shuffle(fields, random);
        }
        return "{" + sp(random) + String.join("," + sp(random), fields) + sp(random) + "}";
    }

    private static String prediction(Random random, boolean labels) {
        int k = random.nextInt(12);
        if (k == 0) {
            return "null";
        }
        if (k == 1) {
            return "{\"p\":[0.2,0.8]}";
        }
        if (labels) {
            return pick(random, List.of("\"yes\"", "\"no\"", "\"maybe\"", "\"y\\u0065s\"", "true"));
        }
        return number(random).replace("\"", "").replace("null", "0.5");
    }

    private static String record(Random random, Instant at, boolean labels) {
        List<String> fields = new ArrayList<>();
        int rows = random.nextInt(6) == 0 ? 1 + random.nextInt(4) : 1;
        List<String> rowTexts = new ArrayList<>();
        List<String> predictions = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            rowTexts.add(row(random));
            predictions.add(prediction(random, labels));
        }
        fields.add("\"rows\":[" + String.join(",", rowTexts) + "]");
        int p = random.nextInt(10);
        if (p == 0) {
            fields.add("\"predictions\":null");
        } else if (p == 1) {
            fields.add("\"predictions\":[]");
        } else if (p != 2) {
            fields.add("\"predictions\":[" + String.join("," + sp(random), predictions) + "]");
        }
        String time = switch (random.nextInt(5)) {
            case 0 -> at.toString();
            case 1 -> at.toString().replaceAll("\\.\\d+Z", "Z");
            case 2 -> at.toString().replace("Z", "").replaceAll("\\.\\d+$", "") + ".1Z";
            case 3 -> at.toString().replace("Z", "").replaceAll("\\.\\d+$", "") + ".123456789Z";
            default -> at.toString().replace("Z", "").replaceAll("\\.\\d+$", "") + ".98765Z";
        };
        fields.add("\"timestamp\":\"" + time + "\"");
        fields.add("\"version\":" + (1 + random.nextInt(2)));
        if (random.nextInt(4) == 0) {
            fields.add(pick(random, List.of("\"alias\":null", "\"requestId\":\"r\\\"1\"", "\"model\":\"churn\"",
                    "\"extra\":[1,\"two\",{\"three\":3.0e0},false]", "\"future\":{\"nested\":{\"deep\":[[[]]]}}")));
        }
        if (random.nextInt(3) == 0) {
            Collections.shuffle(fields, random);
        }
        return sp(random) + "{" + String.join("," + sp(random), fields) + "}" + sp(random);
    }

    /** Captures for hours 08, 09 and 10, in several objects, each with its odd lines; the window cuts 08 and 10. */
    private TempDirArtifactStore writeMixedCaptures(boolean labels) {
        TempDirArtifactStore store = new TempDirArtifactStore(dir.resolve(labels ? "labels" : "scores"));
        Random random = new Random(labels ? 23 : 29);
        for (int hour = 0; hour < 3; hour++) {
            for (int part = 0; part < 3; part++) {
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < 400; i++) {
                    Instant at = T0.plusSeconds(hour * 3600L).plusNanos(random.nextLong(3_600_000_000_000L));
                    text.append(record(random, at, labels));
                    int end = random.nextInt(40);
                    text.append(end == 0 ? "\r\n" : end == 1 ? "\n\n" : end == 2 ? "\n  \n" : "\n");
                }
                // A record spread over lines, two records on one line, and a last line without '\n'.
                Instant at = T0.plusSeconds(hour * 3600L + 1800);
                text.append("{\n  \"rows\" : [ {\"age\": 41.5,\n \"plan\":\"pro\"} ],\n  \"timestamp\":\"").append(at)
                        .append("\",\n  \"version\":1\n}\n");
                text.append(record(random, at, labels)).append(record(random, at, labels)).append('\n');
                text.append(record(random, at, labels));
                write(store, ArtifactKeys.capturePrefix("churn", T0.plusSeconds(hour * 3600L)) + "part-" + part
                        + ".jsonl.gz", text.toString());
            }
        }
        return store;
    }

    @Test
    void fast_path_and_jackson_read_identical_profiles_from_every_form_of_record() {
        for (Feature prediction : List.of(Feature.numeric("score"), Feature.categorical("label", List.of("yes", "no")))) {
            // GIVEN capture files with missing keys, nulls, escapes, unicode, numbers in every JSON form, unknown
            // fields, out-of-set categories, odd whitespace and line ends
            boolean labels = !prediction.isNumeric();
            Profile baseline = baseline(prediction);
            TempDirArtifactStore store = writeMixedCaptures(labels);
            Instant from = T0.plusSeconds(600);
            Instant to = T0.plusSeconds(2 * 3600 + 3000);
            for (Integer version : new Integer[] {null, 2}) {
                // WHEN the window is read through the fast path and through Jackson alone
                CaptureWindowReader fastReader = new CaptureWindowReader(store, 1, true);
                WindowProfile fast = fastReader.read("churn", from, to, version, baseline);
                WindowProfile jackson = new CaptureWindowReader(store, 1, false).read("churn", from, to, version, baseline);
                // THEN the profiles are identical to the bit, and so are the record counts
                assertThat(Json.write(fast.profile())).isEqualTo(Json.write(jackson.profile()));
                assertThat(fast.profile()).isEqualTo(jackson.profile());
                assertThat(fast.records()).isEqualTo(jackson.records()).isGreaterThan(1000);
                assertThat(fast.skippedRecords()).isEqualTo(jackson.skippedRecords()).isGreaterThan(100);
                // AND the fast path took most lines itself, and left the odd ones to Jackson
                assertThat(fastReader.fallbackLines.get()).isBetween(100L, fast.records() + fast.skippedRecords() - 500);
            }
        }
    }

    @Test
    void every_line_the_sink_writes_takes_the_fast_path() {
        // GIVEN records as core Json writes them, with the rows' fields in whatever order the caller built them
        Profile baseline = baseline(Feature.numeric("score"));
        TempDirArtifactStore store = new TempDirArtifactStore(dir);
        Random random = new Random(7);
        StringBuilder text = new StringBuilder();
        ProfileBuilder expected = ProfileBuilder.against(baseline);
        for (int i = 0; i < 2_000; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("spend", random.nextDouble() * Math.pow(10, random.nextInt(12) - 6));
            if (i % 5 != 0) {
                row.put("age", random.nextGaussian() * 10 + 40);
            }
            row.put("plan", List.of("free", "pro", "café", "other").get(random.nextInt(4)));
            row.put("region", random.nextBoolean() ? "nord" : "sud");
            double score = random.nextDouble();
            Instant at = T0.plusMillis(random.nextInt(3_600_000));
            text.append(Json.write(CaptureRecord.single(at, "churn", 1, i % 2 == 0 ? null : "production", "req-" + i,
                    row, score))).append('\n');
            expected.add(row, score);
        }
        write(store, ArtifactKeys.capturePrefix("churn", T0) + "part.jsonl.gz", text.toString());
        // WHEN an hour-cutting window that still holds every record is read
        CaptureWindowReader reader = new CaptureWindowReader(store, 2);
        WindowProfile window = reader.read("churn", T0, T0.plusSeconds(3600), null, baseline);
        // THEN no line fell back to Jackson, and the profile is the one built from the records themselves
        assertThat(reader.fallbackLines.get()).isZero();
        assertThat(window.records()).isEqualTo(2_000);
        assertThat(window.profile()).isEqualTo(expected.build());
    }

    @Test
    void a_line_longer_than_the_read_buffer_is_read_whole() {
        // GIVEN a record with a 600 KB unknown field between two ordinary records
        Profile baseline = baseline(Feature.numeric("score"));
        TempDirArtifactStore store = new TempDirArtifactStore(dir);
        String ordinary = "{\"rows\":[{\"age\":40.5,\"plan\":\"pro\"}],\"predictions\":[0.25],\"version\":1}\n";
        String big = "{\"blob\":\"" + "x".repeat(600_000) + "\",\"rows\":[{\"age\":38,\"plan\":\"free\"}],\"version\":1}\n";
        write(store, ArtifactKeys.capturePrefix("churn", T0) + "part.jsonl.gz", ordinary + big + ordinary);
        // WHEN it is read through the fast path and through Jackson alone
        WindowProfile fast = new CaptureWindowReader(store, 1, true).read("churn", T0, T0.plusSeconds(3600), null, baseline);
        WindowProfile jackson = new CaptureWindowReader(store, 1, false).read("churn", T0, T0.plusSeconds(3600), null,
                baseline);
        // THEN all three rows are profiled, identically
        assertThat(fast.rows()).isEqualTo(3);
        assertThat(fast.profile()).isEqualTo(jackson.profile());
        assertThat(fast.profile().feature("age").orElseThrow().numeric().max()).isEqualTo(40.5);
    }

    @Test
    void a_bad_line_gets_the_same_error_from_both_paths() {
        Profile baseline = baseline(Feature.numeric("score"));
        String good = "{\"rows\":[{\"age\":40.5,\"plan\":\"pro\"}],\"predictions\":[0.25],\"timestamp\":\"" + T0.plusSeconds(60)
                + "\",\"version\":1}";
        List<String> bad = List.of(
                "{\"rows\":[{\"age\":\"old\"}]}",
                "{\"rows\":[{\"plan\":{\"tier\":1}}]}",
                "{\"rows\":{\"age\":1}}",
                "{\"rows\":[{\"age\":1},{\"age\":2}],\"predictions\":[0.5],\"timestamp\":\"" + T0.plusSeconds(9) + "\"}",
                "{\"rows\":[{\"age\":1}],\"timestamp\":\"yesterday\"}",
                "{\"rows\":[{\"age\":1}],\"predictions\":[\"yes\"],\"timestamp\":\"" + T0.plusSeconds(9) + "\"}",
                "{\"rows\":[{\"age\":01}]}",
                "{\"rows\":[{\"age\":1.}]}",
                "{\"rows\":[{\"age\":1}]",
                "[{\"rows\":[]}]",
                "{\"rows\":[{\"age\":1}]} x",
                "{\"rows\":[{\"age\":tru}]}",
                "{\"rows\":[{\"x\":\"a\\qb\"}]}");
        int n = 0;
        for (String line : bad) {
            // GIVEN an object whose third line is bad
            TempDirArtifactStore store = new TempDirArtifactStore(dir.resolve("bad-" + n++));
            String key = ArtifactKeys.capturePrefix("churn", T0) + "part.jsonl.gz";
            write(store, key, good + "\n" + good + "\n" + line + "\n" + good + "\n");
            // WHEN it is read through the fast path and through Jackson alone
            Throwable fast = catchThrowable(() -> new CaptureWindowReader(store, 1, true)
                    .read("churn", T0.plusSeconds(1), T0.plusSeconds(3600), null, baseline));
            Throwable jackson = catchThrowable(() -> new CaptureWindowReader(store, 1, false)
                    .read("churn", T0.plusSeconds(1), T0.plusSeconds(3600), null, baseline));
            // THEN both refuse it with the same message, naming the object and line 3 (except the builder's refusal
            // of a label for a numeric prediction, which names the prediction)
            assertThat(fast).as(line).isInstanceOf(ValidationException.class);
            assertThat(fast.getMessage()).as(line).isEqualTo(jackson.getMessage());
            if (!line.contains("\"yes\"")) {
                // An unclosed object runs on into line 4, where Jackson finds what is wrong.
                String where = line.equals("{\"rows\":[{\"age\":1}]") ? "line 4" : "line 3";
                assertThat(fast.getMessage()).as(line).contains(key).contains(where);
            }
        }
    }

    @Test
    void numbers_read_bit_identical_to_the_jdk() {
        // GIVEN numbers in every JSON form, around the fast path's limits (2^53, 18 digits, 22 decimals) and random
        Profile baseline = baseline(Feature.numeric("score"));
        CaptureLineParser parser = new CaptureLineParser(ProfileBuilder.against(baseline), baseline);
        List<String> texts = new ArrayList<>(List.of("0", "-0", "-0.0", "1", "123456789012345", "1234567890123456789",
                "9007199254740992", "9007199254740993", "9007199254740993.0", "0.9007199254740993", "900719925474099.3",
                "999999999999999999", "99999999999999999.9", "0.1", "0.30000000000000004", "1e3", "-2.5E-7", "1E+308",
                "1e400", "0.0000000000000000000001", "0.00000000000000000000001", "1.0000000000000000000000",
                "3.14159265358979323846", "4.9e-324", "2.2250738585072014E-308", "-123.456e-2"));
        Random random = new Random(31);
        for (int i = 0; i < 20_000; i++) {
            double v = random.nextGaussian() * Math.pow(10, random.nextInt(30) - 12);
            texts.add(switch (i % 4) {
                case 0 -> Double.toString(v);
                case 1 -> String.format(Locale.ROOT, "%." + random.nextInt(19) + "f", v);
                case 2 -> Long.toString(random.nextLong() >>> random.nextInt(64));
                default -> new java.math.BigDecimal(v).round(new java.math.MathContext(1 + random.nextInt(20))).toPlainString();
            });
        }
        for (String text : texts) {
            // WHEN the fast path reads it THEN it is exactly what Double.parseDouble gives
            assertThat(Double.doubleToRawLongBits(parser.readNumber(text))).as(text)
                    .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
        }
        // AND what JSON's grammar refuses, it refuses too
        for (String text : List.of("01", "-", "1.", ".5", "+1", "1e", "1e+", "--1", "0x10", "1.5.3")) {
            assertThat(parser.readNumber(text)).as(text).isNaN();
        }
    }

    @Test
    void newlines_are_found_in_every_position() {
        // GIVEN buffers with one '\n' at every offset, and bytes that look like it in a word-at-a-time scan
        for (int length = 0; length < 40; length++) {
            byte[] bytes = new byte[length];
            java.util.Arrays.fill(bytes, (byte) 0x8A);
            // WHEN there is no newline THEN none is found
            assertThat(CaptureLineParser.indexOfNewline(bytes, 0, length)).isEqualTo(-1);
            for (int at = 0; at < length; at++) {
                byte[] copy = bytes.clone();
                copy[at] = '\n';
                if (at + 1 < length) {
                    copy[at + 1] = '\n';
                }
                // WHEN one is at {@code at} THEN it is found there, from any start before it
                for (int from = 0; from <= at; from++) {
                    assertThat(CaptureLineParser.indexOfNewline(copy, from, length)).isEqualTo(at);
                }
            }
        }
    }
}
