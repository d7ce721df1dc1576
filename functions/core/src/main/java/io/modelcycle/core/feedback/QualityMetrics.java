package io.modelcycle.core.feedback;

import io.modelcycle.core.metrics.MetricId;
import io.modelcycle.core.metrics.MetricPoint;
import io.modelcycle.core.metrics.MetricUnit;
import io.modelcycle.core.model.Model;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The model-quality metrics the drift check publishes beside the drift metrics, in namespace {@value #NAMESPACE},
 * each with dimensions {@code model} and {@code version}: {@value #ACCURACY} (classifiers) or {@value #RMSE}
 * (regression) over the labelled rows, {@value #LABELLED_ROWS} (how many rows that is) and
 * {@value #UNMATCHED_FEEDBACK}. Accuracy and RMSE are left out when no row was labelled: a value computed from
 * nothing would be noise on a dashboard and could trip an alarm.
 */
public final class QualityMetrics {

    public static final String NAMESPACE = "modelcycle/quality";
    public static final String ACCURACY = "Accuracy";
    public static final String RMSE = "RMSE";
    public static final String LABELLED_ROWS = "LabelledRows";
    public static final String UNMATCHED_FEEDBACK = "UnmatchedFeedback";
    public static final String MODEL = "model";
    public static final String VERSION = "version";

    private QualityMetrics() {
    }

    public static MetricId metric(String name, String model, int version) {
        return new MetricId(NAMESPACE, name, Map.of(MODEL, Model.requireName(model), VERSION, Integer.toString(version)));
    }

    /** The points of one quality report, stamped {@code at}. */
    public static List<MetricPoint> points(QualityReport report, Instant at) {
        List<MetricPoint> points = new ArrayList<>(4);
        points.add(new MetricPoint(metric(LABELLED_ROWS, report.model(), report.version()), report.labelledRows(),
                MetricUnit.COUNT, at));
        points.add(new MetricPoint(metric(UNMATCHED_FEEDBACK, report.model(), report.version()), report.unmatched(),
                MetricUnit.COUNT, at));
        if (report.accuracy() != null) {
            points.add(new MetricPoint(metric(ACCURACY, report.model(), report.version()), report.accuracy(),
                    MetricUnit.NONE, at));
        }
        if (report.rmse() != null) {
            points.add(new MetricPoint(metric(RMSE, report.model(), report.version()), report.rmse(), MetricUnit.NONE, at));
        }
        return points;
    }
}
