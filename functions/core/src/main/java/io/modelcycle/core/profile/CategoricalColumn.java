package io.modelcycle.core.profile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Streaming accumulator of one categorical column: a counter per allowed value. */
final class CategoricalColumn {

    private final String name;
    private final List<String> values;
    private final Map<String, Integer> index = new HashMap<>();
    private final long[] counts;
    private long outOfSet;
    private long missing;
    private long count;

    CategoricalColumn(String name, List<String> values) {
        this.name = name;
        this.values = List.copyOf(values);
        for (int i = 0; i < values.size(); i++) {
            index.put(values.get(i), i);
        }
        counts = new long[values.size()];
    }

    String name() {
        return name;
    }

    void addMissing() {
        missing++;
    }

    void add(String value) {
        if (value == null) {
            missing++;
            return;
        }
        count++;
        Integer i = index.get(value);
        if (i == null) {
            outOfSet++;
        } else {
            counts[i]++;
        }
    }

    /** The position of {@code value} among the allowed values, or -1 when it is not one of them. */
    int indexOf(String value) {
        Integer i = index.get(value);
        return i == null ? -1 : i;
    }

    /**
     * Adds a value already resolved by {@link #indexOf}: its position, {@link ProfileBuilder#OUT_OF_SET} or
     * {@link ProfileBuilder#MISSING}; the same counts as {@link #add} of that value.
     */
    void addIndex(int i) {
        if (i >= 0) {
            count++;
            counts[i]++;
        } else if (i == ProfileBuilder.OUT_OF_SET) {
            count++;
            outOfSet++;
        } else {
            missing++;
        }
    }

    CategoricalProfile snapshot() {
        Map<String, Long> byValue = new TreeMap<>();
        for (int i = 0; i < counts.length; i++) {
            byValue.put(values.get(i), counts[i]);
        }
        return new CategoricalProfile(count, missing, byValue, outOfSet);
    }
}
