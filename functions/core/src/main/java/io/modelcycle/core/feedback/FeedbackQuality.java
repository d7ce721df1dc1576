package io.modelcycle.core.feedback;

import io.modelcycle.core.artifact.ArtifactStore;
import io.modelcycle.core.model.Model;
import io.modelcycle.core.model.Task;
import io.modelcycle.core.registry.Registry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Model quality from ground truth: joins the feedback received in a window with the captured predictions of one
 * version by request id and row, and computes accuracy (classifiers) or RMSE (regression).
 *
 * <p>Labels arrive after predictions, so captures are searched from {@code labelDelay} before the window's start.
 * For a binary classifier whose captures hold the positive class's probability, the predicted class is the
 * positive one (the second of the version's classes) when the probability is at least 0.5.
 */
public final class FeedbackQuality {

    /** How long before the feedback window captures are searched by default. */
    public static final Duration DEFAULT_LABEL_DELAY = Duration.ofDays(1);

    private final Registry registry;
    private final ArtifactStore artifacts;
    private final FeedbackStore feedback;
    private final CaptureLog captures;
    private final Duration labelDelay;

    public FeedbackQuality(Registry registry, ArtifactStore artifacts, FeedbackStore feedback, Duration labelDelay) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
        this.feedback = Objects.requireNonNull(feedback, "feedback");
        this.captures = new CaptureLog(artifacts);
        this.labelDelay = labelDelay == null ? DEFAULT_LABEL_DELAY : labelDelay;
    }

    /** Quality of {@code version}'s predictions judged by the feedback received in {@code [from, to)}. */
    public QualityReport compute(String modelName, int version, Instant from, Instant to) {
        Model model = registry.model(modelName);
        Map<String, FeedbackRecord> latest = latest(feedback.read(modelName, from, to));
        List<String> classes = ModelLabels.ofVersion(artifacts, modelName, version);
        long[] rows = {0};
        long[] correct = {0};
        double[] squared = {0};
        Set<String> matched = new HashSet<>();
        joined(modelName, version, from.minus(labelDelay), to, latest, (prediction, actual) -> {
            if (prediction == null || !matched.add(actual.joinKey())) {
                return;
            }
            if (model.task() == Task.REGRESSION) {
                if (!(prediction instanceof Number p)) {
                    return;
                }
                double error = p.doubleValue() - (Double) actual.actual();
                squared[0] += error * error;
            } else if (predictedClass(model.task(), classes, prediction).equals(actual.actual())) {
                correct[0]++;
            }
            rows[0]++;
        });
        Double accuracy = null;
        Double rmse = null;
        if (rows[0] > 0) {
            if (model.task() == Task.REGRESSION) {
                rmse = Math.sqrt(squared[0] / rows[0]);
            } else {
                accuracy = (double) correct[0] / rows[0];
            }
        }
        return new QualityReport(modelName, version, model.task(), from, to, rows[0],
                latest.size() - matched.size(), accuracy, rmse);
    }

    /** The latest feedback per request and row. */
    static Map<String, FeedbackRecord> latest(List<FeedbackRecord> records) {
        Map<String, FeedbackRecord> latest = new HashMap<>();
        for (FeedbackRecord r : records) {
            latest.merge(r.joinKey(), r, (a, b) -> b.receivedAt().isBefore(a.receivedAt()) ? a : b);
        }
        return latest;
    }

    /**
     * Calls {@code pair} with (prediction, feedback) for each captured row of {@code version} in {@code [from, to)}
     * that has feedback; the prediction is null when the response failed.
     */
    void joined(String model, int version, Instant from, Instant to, Map<String, FeedbackRecord> feedbackByKey,
                BiConsumer<Object, FeedbackRecord> pair) {
        if (feedbackByKey.isEmpty()) {
            return;
        }
        captures.forEach(model, version, from, to, record -> {
            for (int i = 0; i < record.rows().size(); i++) {
                FeedbackRecord actual = feedbackByKey.get(FeedbackRecord.joinKey(record.requestId(), i));
                if (actual != null) {
                    pair.accept(record.predictions().isEmpty() ? null : record.predictions().get(i), actual);
                }
            }
        });
    }

    /** The class a captured prediction stands for. */
    static String predictedClass(Task task, List<String> classes, Object prediction) {
        if (prediction instanceof Number p && task == Task.BINARY_CLASSIFICATION) {
            List<String> labels = classes.size() == 2 ? classes : ModelLabels.DEFAULT_BINARY;
            return p.doubleValue() >= 0.5 ? labels.get(1) : labels.get(0);
        }
        if (prediction instanceof Number p && p.doubleValue() == Math.rint(p.doubleValue())) {
            return Long.toString((long) p.doubleValue());
        }
        return String.valueOf(prediction);
    }
}
