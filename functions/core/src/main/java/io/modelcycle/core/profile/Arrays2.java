package io.modelcycle.core.profile;

import java.util.ArrayList;
import java.util.List;

/** Boxing helpers: records expose lists (value equality, JSON), the arithmetic runs on primitive arrays. */
final class Arrays2 {

    private Arrays2() {
    }

    static List<Double> boxed(double[] values) {
        List<Double> list = new ArrayList<>(values.length);
        for (double v : values) {
            list.add(v);
        }
        return list;
    }

    static List<Long> boxed(long[] values) {
        List<Long> list = new ArrayList<>(values.length);
        for (long v : values) {
            list.add(v);
        }
        return list;
    }

    static double[] unboxed(List<Double> values) {
        double[] array = new double[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }

    static long[] unboxedLongs(List<Long> values) {
        long[] array = new long[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }
}
