package io.modelcycle.core.artifact;

import io.modelcycle.core.ValidationException;
import io.modelcycle.core.model.Model;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * The one key layout of the artifact store, shared by every stage and both adapters:
 * {@code models/{model}/versions/{n}/{file}}, {@code datasets/{model}/…} (uploads: each starts a training pipeline),
 * {@code retraining/{model}/…} (datasets the drift check prepares; they start no pipeline by upload, because the
 * drift check starts one itself), {@code captures/{model}/yyyy/mm/dd/hh/…},
 * {@code reports/{model}/drift/…}, {@code archive/…}.
 */
public final class ArtifactKeys {

    /** Keys are relative, '/'-separated, with no empty, '.' or '..' segments, and a portable character set. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._=+-]+(/[A-Za-z0-9._=+-]+)*");
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);

    public static final String MODEL_ARCHIVE = "model.tar.gz";
    public static final String MODEL_JSON = "model.json";
    public static final String METRICS = "metrics.json";
    public static final String PROFILE = "profile.json";
    public static final String CARD = "card.md";

    private ArtifactKeys() {
    }

    /** Returns {@code key} if it is a valid key, else throws a {@link ValidationException} saying why. */
    public static String require(String key) {
        if (key == null || key.isEmpty() || key.length() > 1024) {
            throw new ValidationException("key", "an artifact key must be 1 to 1024 characters");
        }
        if (!KEY.matcher(key).matches()) {
            throw new ValidationException("key", "artifact key '" + key + "' must be '/'-separated segments of "
                    + "[A-Za-z0-9._=+-], with no leading or trailing '/'");
        }
        for (String segment : key.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new ValidationException("key", "artifact key '" + key + "' must not contain '.' or '..' segments");
            }
        }
        return key;
    }

    public static String versionPrefix(String model, int version) {
        return "models/" + Model.requireName(model) + "/versions/" + version + "/";
    }

    public static String versionFile(String model, int version, String file) {
        return versionPrefix(model, version) + file;
    }

    public static String datasetPrefix(String model) {
        return "datasets/" + Model.requireName(model) + "/";
    }

    /** Where the drift check writes retraining datasets: outside {@code datasets/}, so no upload rule fires. */
    public static String retrainingPrefix(String model) {
        return "retraining/" + Model.requireName(model) + "/";
    }

    /** The capture folder of the hour containing {@code at} (UTC). */
    public static String capturePrefix(String model, Instant at) {
        return "captures/" + Model.requireName(model) + "/" + HOUR.format(at) + "/";
    }

    public static String driftReportPrefix(String model) {
        return "reports/" + Model.requireName(model) + "/drift/";
    }

    /** Where an archived object goes: the same key under {@code archive/}. */
    public static String archived(String key) {
        return "archive/" + require(key);
    }
}
