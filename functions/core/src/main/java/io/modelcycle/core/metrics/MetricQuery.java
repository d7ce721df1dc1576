package io.modelcycle.core.metrics;

import io.modelcycle.core.ValidationException;
import java.time.Duration;
import java.time.Instant;

/**
 * A read of one series: the {@code statistic} of the points in each {@code period} from {@code start} (inclusive) to
 * {@code end} (exclusive).
 *
 * <p>Periods are aligned to the epoch: {@code start} and {@code end} must be whole multiples of the period (use
 * {@link #covering} to round a free time range outwards). Both adapters then cut the range into exactly the same
 * periods: CloudWatch's {@code GetMetricData} starts its periods at the (minute-rounded) start time, and the SQLite
 * store buckets from {@code start}, so an aligned start gives both the epoch-aligned periods an alarm evaluates.
 *
 * @param metric    the series, with all of its dimensions
 * @param statistic how each period is reduced
 * @param period    1, 5, 10, 20 or 30 seconds, or a whole number of minutes (CloudWatch's allowed periods)
 * @param start     first instant read, a multiple of {@code period} since the epoch
 * @param end       first instant not read, after {@code start}, a multiple of {@code period}
 */
public record MetricQuery(MetricId metric, Statistic statistic, Duration period, Instant start, Instant end) {

    public MetricQuery {
        if (metric == null) {
            throw new ValidationException("query.metric", "is required");
        }
        if (statistic == null) {
            throw new ValidationException("query.statistic", "is required: Average, Sum, Minimum, Maximum or SampleCount");
        }
        requirePeriod("query.period", period);
        if (start == null || end == null) {
            throw new ValidationException("query.start", "start and end are both required");
        }
        if (!end.isAfter(start)) {
            throw new ValidationException("query.end", "must be after start (" + start + "), got " + end);
        }
        long seconds = period.getSeconds();
        if (start.getNano() != 0 || start.getEpochSecond() % seconds != 0) {
            throw new ValidationException("query.start", "must be a multiple of the period (" + seconds
                    + " s) since the epoch, got " + start + "; use MetricQuery.covering to align a range");
        }
        if (end.getNano() != 0 || end.getEpochSecond() % seconds != 0) {
            throw new ValidationException("query.end", "must be a multiple of the period (" + seconds
                    + " s) since the epoch, got " + end + "; use MetricQuery.covering to align a range");
        }
    }

    /** The aligned query whose periods cover {@code [from, to)}: start rounded down, end rounded up. */
    public static MetricQuery covering(MetricId metric, Statistic statistic, Duration period, Instant from, Instant to) {
        requirePeriod("query.period", period);
        if (from == null || to == null) {
            throw new ValidationException("query.start", "start and end are both required");
        }
        Instant start = floor(from, period);
        Instant end = floor(to, period);
        if (end.isBefore(to)) {
            end = end.plus(period);
        }
        if (!end.isAfter(start)) {
            end = start.plus(period);
        }
        return new MetricQuery(metric, statistic, period, start, end);
    }

    /** The start of the epoch-aligned period containing {@code instant}. */
    public static Instant floor(Instant instant, Duration period) {
        long seconds = period.getSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(instant.getEpochSecond(), seconds) * seconds);
    }

    /** The number of periods in the range. */
    public long periods() {
        return Duration.between(start, end).getSeconds() / period.getSeconds();
    }

    /**
     * Checks a period against CloudWatch's rule: 1, 5, 10, 20 or 30 seconds (high resolution) or a positive whole
     * number of minutes.
     */
    public static Duration requirePeriod(String field, Duration period) {
        if (period == null) {
            throw new ValidationException(field, "is required");
        }
        long seconds = period.getSeconds();
        boolean valid = period.getNano() == 0 && seconds > 0
                && (seconds % 60 == 0 || seconds == 1 || seconds == 5 || seconds == 10 || seconds == 20 || seconds == 30);
        if (!valid) {
            throw new ValidationException(field, "must be 1, 5, 10, 20 or 30 seconds or a whole number of minutes, got "
                    + period);
        }
        return period;
    }
}
