package io.modelcycle.core.profile;

import io.modelcycle.core.ValidationException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Frequencies of one categorical column.
 *
 * @param count    non-missing values, including out-of-set ones
 * @param missing  missing values (null or absent)
 * @param counts   occurrences of every allowed value (zeros included), keyed by value
 * @param outOfSet values that are not among the allowed ones
 */
public record CategoricalProfile(long count, long missing, Map<String, Long> counts, long outOfSet) {

    public CategoricalProfile {
        if (counts == null || counts.isEmpty()) {
            throw new ValidationException("categorical.counts", "needs the allowed values");
        }
        counts = new TreeMap<>(counts);
        long total = outOfSet;
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            if (e.getValue() == null || e.getValue() < 0) {
                throw new ValidationException("categorical.counts." + e.getKey(), "must be >= 0");
            }
            total += e.getValue();
        }
        if (count < 0 || missing < 0 || outOfSet < 0) {
            throw new ValidationException("categorical.count", "count, missing and outOfSet must be >= 0");
        }
        if (total != count) {
            throw new ValidationException("categorical.count", "counts and outOfSet add up to " + total + ", count is " + count);
        }
        counts = java.util.Collections.unmodifiableMap(counts);
    }

    public double missingShare() {
        long rows = count + missing;
        return rows == 0 ? 0 : (double) missing / rows;
    }

    /** The summary of both data sets together; both must list the same allowed values. */
    public CategoricalProfile merge(CategoricalProfile other) {
        if (!counts.keySet().equals(other.counts.keySet())) {
            throw new ValidationException("categorical.counts", "cannot merge profiles with different allowed values: "
                    + counts.keySet() + " and " + other.counts.keySet());
        }
        Map<String, Long> merged = new TreeMap<>(counts);
        other.counts.forEach((k, v) -> merged.merge(k, v, Long::sum));
        return new CategoricalProfile(count + other.count, missing + other.missing, merged, outOfSet + other.outOfSet);
    }
}
