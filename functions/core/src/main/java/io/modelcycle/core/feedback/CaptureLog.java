package io.modelcycle.core.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.Json;
import io.modelcycle.core.artifact.ArtifactStore;
import io.modelcycle.core.artifact.StoredObject;
import io.modelcycle.core.capture.CaptureRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Streams whole {@link CaptureRecord}s (request id, rows and predictions) of one model and time window from the
 * capture files, for what needs more than a profile: joining predictions with feedback, and collecting labelled
 * rows for retraining. Drift profiles are built by the faster streaming reader of {@code core.capture}.
 *
 * <p>Lines are read as JSON trees and only the contract's fields are taken, so fields added to the format later
 * are skipped; a line that is not a valid record is counted in {@link Scan#skippedLines()}, not fatal, because one
 * bad writer must not stop every drift check.
 */
public final class CaptureLog {

    /** What a scan read. */
    public record Scan(long records, long skippedLines, int files) {
    }

    private final ArtifactStore artifacts;

    public CaptureLog(ArtifactStore artifacts) {
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
    }

    /**
     * Gives {@code sink} every record of {@code model} served in {@code [from, to)}, optionally only those of one
     * version, in file order.
     *
     * @param version null for every version
     */
    public Scan forEach(String model, Integer version, Instant from, Instant to, Consumer<CaptureRecord> sink) {
        long records = 0;
        long skipped = 0;
        int files = 0;
        for (String folder : HourFolders.covering("captures", model, from, to)) {
            for (StoredObject object : artifacts.list(folder)) {
                if (!object.key().endsWith(".jsonl.gz")) {
                    continue;
                }
                files++;
                try (InputStream in = artifacts.open(object.key());
                     BufferedReader lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(in, 64 * 1024),
                             StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (line.isBlank()) {
                            continue;
                        }
                        CaptureRecord record = parse(line);
                        if (record == null) {
                            skipped++;
                            continue;
                        }
                        if (record.timestamp().isBefore(from) || !record.timestamp().isBefore(to)
                                || (version != null && record.version() != version)) {
                            continue;
                        }
                        records++;
                        sink.accept(record);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read capture file " + object.key(), e);
                }
            }
        }
        return new Scan(records, skipped, files);
    }

    /** The record on one line, or null when the line is not one. */
    static CaptureRecord parse(String line) {
        try {
            JsonNode node = Json.tree(line);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (JsonNode row : node.path("rows")) {
                Map<String, Object> values = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    values.put(field.getKey(), scalar(field.getValue()));
                }
                rows.add(values);
            }
            List<Object> predictions = new ArrayList<>();
            for (JsonNode p : node.path("predictions")) {
                predictions.add(scalar(p));
            }
            JsonNode alias = node.get("alias");
            return new CaptureRecord(Instant.parse(node.path("timestamp").asText()), node.path("model").asText(),
                    node.path("version").asInt(), alias == null || alias.isNull() ? null : alias.asText(),
                    node.path("requestId").asText(null), rows, predictions);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Object scalar(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }
}
