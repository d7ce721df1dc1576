package io.modelcycle.core.feedback;

import io.modelcycle.core.ValidationException;
import io.modelcycle.core.model.Model;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** The hour folders ({@code {root}/{model}/yyyy/MM/dd/HH/}) that can hold records of a time window. */
final class HourFolders {

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);

    /** A window longer than this is refused: it would list thousands of folders for one check. */
    static final Duration MAX_WINDOW = Duration.ofDays(31);

    private HourFolders() {
    }

    static String folder(String root, String model, Instant at) {
        return root + "/" + Model.requireName(model) + "/" + HOUR.format(at) + "/";
    }

    /** Every hour folder that overlaps {@code [from, to)}, oldest first. */
    static List<String> covering(String root, String model, Instant from, Instant to) {
        requireWindow(from, to);
        List<String> folders = new ArrayList<>();
        for (Instant hour = from.truncatedTo(ChronoUnit.HOURS); hour.isBefore(to); hour = hour.plus(Duration.ofHours(1))) {
            folders.add(folder(root, model, hour));
        }
        return folders;
    }

    static void requireWindow(Instant from, Instant to) {
        if (from == null || to == null || !from.isBefore(to)) {
            throw new ValidationException("window", "needs a start before its end, got " + from + " to " + to);
        }
        if (Duration.between(from, to).compareTo(MAX_WINDOW) > 0) {
            throw new ValidationException("window", "must be at most " + MAX_WINDOW.toDays() + " days, got "
                    + Duration.between(from, to));
        }
    }
}
