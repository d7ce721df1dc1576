package io.modelcycle.core.capture;

import io.modelcycle.core.model.FeatureType;
import io.modelcycle.core.profile.FeatureProfile;
import io.modelcycle.core.profile.Profile;
import io.modelcycle.core.profile.ProfileBuilder;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fast path of {@link CaptureWindowReader}: parses one capture line straight from the inflated bytes, without
 * tokens or Strings, into per-row arrays resolved to the builder's columns.
 *
 * <p>It accepts a strict subset of JSON, the shape {@link CaptureRecord} is written in, and checks all of it: one
 * object per line, field names and category values without escapes, numbers in JSON's grammar, ASCII everywhere
 * except in names and values that match the schema byte for byte. Anything else (an escape, a number where a category
 * is expected, a bad timestamp, a value the line's record cannot hold, malformed JSON) makes {@link #parse} answer
 * {@link #FALLBACK} without having touched the builder, and the reader gives the line to Jackson, which either reads
 * it or reports the error. So correctness never depends on this class: what it accepts it reads exactly as Jackson
 * does (numbers bit-identical to {@link Double#parseDouble}), and what it is unsure of it leaves alone.
 *
 * <p>The line must end with {@code '\n'} at {@code newline} in the array: that byte is the sentinel every scan stops
 * at, so no scan needs a bounds check of its own.
 */
final class CaptureLineParser {

    /** A record was parsed; its values are in the fields below. */
    static final int RECORD = 0;
    /** The line holds only whitespace. */
    static final int BLANK = 1;
    /** The line is not in the subset this parser reads: give it to Jackson. */
    static final int FALLBACK = 2;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final double[] POW10 = new double[23];
    private static final long[] LONG_POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000};
    private static final int MAX_DEPTH = 64;
    private static final byte[] ROWS = ascii("rows");
    private static final byte[] PREDICTIONS = ascii("predictions");
    private static final byte[] VERSION = ascii("version");
    private static final byte[] TIMESTAMP = ascii("timestamp");
    private static final long ROWS_HEAD = head(ROWS);
    private static final long PREDICTIONS_HEAD = head(PREDICTIONS);
    private static final long VERSION_HEAD = head(VERSION);
    private static final long TIMESTAMP_HEAD = head(TIMESTAMP);

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private final int width;
    private final boolean[] numericColumn;
    private final byte[][] names;
    private final long[] nameHeads;
    /** Per categorical column, its allowed values as UTF-8 and their {@link ProfileBuilder#categoryIndex}. */
    private final byte[][][] categories;
    private final long[][] categoryHeads;
    private final int[][] categoryIndex;
    private final FeatureType predictionType;
    /** The column last seen at each position of a row: producers write their fields in the same order. */
    private int[] columnAt = new int[8];

    // The record just parsed.
    int version;
    long timestamp;
    int rowCount;
    double[][] num = new double[4][];
    int[][] cat = new int[4][];
    int predCount;
    double[] predNum = new double[4];
    String[] predLabel = new String[4];
    boolean[] predPresent = new boolean[4];

    /** A parser for the rows of {@code baseline}'s features, resolved to the columns of {@code builder} (built against it). */
    CaptureLineParser(ProfileBuilder builder, Profile baseline) {
        this.width = baseline.features().size();
        this.numericColumn = new boolean[width];
        this.names = new byte[width][];
        this.nameHeads = new long[width];
        this.categoryHeads = new long[width][];
        this.categories = new byte[width][][];
        this.categoryIndex = new int[width][];
        for (int i = 0; i < width; i++) {
            FeatureProfile feature = baseline.features().get(i);
            names[i] = feature.name().getBytes(StandardCharsets.UTF_8);
            nameHeads[i] = head(names[i]);
            numericColumn[i] = builder.isNumeric(i);
            if (!numericColumn[i]) {
                List<String> values = new ArrayList<>(feature.categorical().counts().keySet());
                categories[i] = new byte[values.size()][];
                categoryIndex[i] = new int[values.size()];
                categoryHeads[i] = new long[values.size()];
                for (int k = 0; k < values.size(); k++) {
                    categories[i][k] = values.get(k).getBytes(StandardCharsets.UTF_8);
                    categoryHeads[i][k] = head(categories[i][k]);
                    categoryIndex[i][k] = builder.categoryIndex(i, values.get(k));
                }
            }
        }
        this.predictionType = builder.predictionType();
        Arrays.fill(columnAt, -1);
        for (int i = 0; i < num.length; i++) {
            num[i] = new double[width];
            cat[i] = new int[width];
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The first {@code '\n'} in {@code [from, to)}, or -1; eight bytes at a time. */
    static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long w = (long) LONGS.get(b, i) ^ 0x0A0A0A0A0A0A0A0AL;
            long t = (w - 0x0101010101010101L) & ~w & 0x8080808080808080L;
            if (t != 0) {
                return i + (Long.numberOfTrailingZeros(t) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Parses the line {@code b[from, newline)}, {@code b[newline] == '\n'}.
     *
     * @param checkTime whether the timestamp is needed (it is parsed then, and skipped otherwise)
     * @return {@link #RECORD}, {@link #BLANK} or {@link #FALLBACK}
     */
    int parse(byte[] b, int from, int newline, boolean checkTime) {
        int p = ws(b, from);
        if (b[p] == '\n') {
            return BLANK;
        }
        if (b[p] != '{') {
            return FALLBACK;
        }
        rowCount = 0;
        predCount = 0;
        version = -1;
        timestamp = Long.MIN_VALUE;
        boolean seenRows = false;
        boolean seenPredictions = false;
        boolean seenVersion = false;
        boolean seenTimestamp = false;
        p = ws(b, p + 1);
        if (b[p] == '}') {
            p++;
        } else {
            while (true) {
                if (b[p] != '"') {
                    return FALLBACK;
                }
                int start = p + 1;
                int end = asciiString(b, start);
                if (end < 0) {
                    return FALLBACK;
                }
                p = ws(b, end + 1);
                if (b[p] != ':') {
                    return FALLBACK;
                }
                p = ws(b, p + 1);
                int len = end - start;
                if (matches(b, start, len, ROWS, ROWS_HEAD)) {
                    if (seenRows) {
                        return FALLBACK;
                    }
                    seenRows = true;
                    p = rows(b, p);
                } else if (matches(b, start, len, PREDICTIONS, PREDICTIONS_HEAD)) {
                    if (seenPredictions) {
                        return FALLBACK;
                    }
                    seenPredictions = true;
                    p = predictions(b, p);
                } else if (matches(b, start, len, VERSION, VERSION_HEAD)) {
                    if (seenVersion) {
                        return FALLBACK;
                    }
                    seenVersion = true;
                    p = version(b, p);
                } else if (matches(b, start, len, TIMESTAMP, TIMESTAMP_HEAD)) {
                    if (seenTimestamp || b[p] != '"') {
                        return FALLBACK;
                    }
                    seenTimestamp = true;
                    int s = p + 1;
                    int e = asciiString(b, s);
                    if (e < 0) {
                        return FALLBACK;
                    }
                    if (checkTime) {
                        timestamp = instant(b, s, e);
                        if (timestamp == Long.MIN_VALUE) {
                            return FALLBACK;
                        }
                    }
                    p = e + 1;
                } else {
                    p = skip(b, p, 0);
                }
                if (p < 0) {
                    return FALLBACK;
                }
                p = ws(b, p);
                if (b[p] == ',') {
                    p = ws(b, p + 1);
                } else if (b[p] == '}') {
                    p++;
                    break;
                } else {
                    return FALLBACK;
                }
            }
        }
        p = ws(b, p);
        if (p != newline || (predCount != 0 && predCount != rowCount)) {
            // Trailing content, or predictions that do not pair with the rows: Jackson's path reports it.
            return FALLBACK;
        }
        return RECORD;
    }

    private static int ws(byte[] b, int p) {
        byte c = b[p];
        while (c == ' ' || c == '\t' || c == '\r') {
            c = b[++p];
        }
        return p;
    }

    /** The first (up to) 8 bytes of {@code name} as a little-endian long, for {@link #matches}. */
    private static long head(byte[] name) {
        long h = 0;
        for (int k = Math.min(8, name.length) - 1; k >= 0; k--) {
            h = (h << 8) | (name[k] & 0xFF);
        }
        return h;
    }

    /**
     * Whether {@code b[start, start + len)} is {@code name}. Names and categories are short: one 8-byte load and
     * compare against the name's {@link #head} decides most of them (Arrays.equals costs more to set up).
     */
    private static boolean matches(byte[] b, int start, int len, byte[] name, long head) {
        if (len != name.length) {
            return false;
        }
        int k = 0;
        if (start + 8 <= b.length) {
            long w = (long) LONGS.get(b, start);
            if (len < 8) {
                return ((w ^ head) & ((1L << (len << 3)) - 1)) == 0;
            }
            if (w != head) {
                return false;
            }
            k = 8;
        }
        for (; k < len; k++) {
            if (b[start + k] != name[k]) {
                return false;
            }
        }
        return true;
    }

    /** The closing quote of a string of printable ASCII without escapes starting at {@code p}, or -1. */
    private static int asciiString(byte[] b, int p) {
        byte c = b[p];
        while (c != '"') {
            if (c < 0x20 || c == '\\') {
                return -1;
            }
            c = b[++p];
        }
        return p;
    }

    /** Whether the last {@link #rawString} held a byte above 0x7F. */
    private boolean nonAscii;

    /**
     * The closing quote of a string without escapes or control characters starting at {@code p}, or -1;
     * {@link #nonAscii} tells whether it held a byte above 0x7F (such a string is trusted only where it matches a
     * name or value of the schema byte for byte, which is valid UTF-8 by construction).
     */
    private int rawString(byte[] b, int p) {
        boolean high = false;
        byte c = b[p];
        while (c != '"') {
            if (c < 0x20) {
                if (c >= 0) {
                    return -1;
                }
                high = true;
            } else if (c == '\\') {
                return -1;
            }
            c = b[++p];
        }
        nonAscii = high;
        return p;
    }

    private int rows(byte[] b, int p) {
        if (b[p] != '[') {
            return -1;
        }
        p = ws(b, p + 1);
        if (b[p] == ']') {
            return p + 1;
        }
        while (true) {
            if (b[p] != '{') {
                return -1;
            }
            p = row(b, p + 1);
            if (p < 0) {
                return -1;
            }
            p = ws(b, p);
            if (b[p] == ',') {
                p = ws(b, p + 1);
            } else if (b[p] == ']') {
                return p + 1;
            } else {
                return -1;
            }
        }
    }

    private int row(byte[] b, int p) {
        if (rowCount == num.length) {
            int size = num.length * 2;
            num = Arrays.copyOf(num, size);
            cat = Arrays.copyOf(cat, size);
            for (int i = size / 2; i < size; i++) {
                num[i] = new double[width];
                cat[i] = new int[width];
            }
        }
        double[] n = num[rowCount];
        int[] c = cat[rowCount];
        rowCount++;
        Arrays.fill(n, Double.NaN);
        Arrays.fill(c, ProfileBuilder.MISSING);
        p = ws(b, p);
        if (b[p] == '}') {
            return p + 1;
        }
        int position = 0;
        while (true) {
            if (b[p] != '"') {
                return -1;
            }
            int start = p + 1;
            int end = rawString(b, start);
            if (end < 0) {
                return -1;
            }
            int column = column(b, start, end - start, position++);
            if (column < 0 && nonAscii) {
                return -1;
            }
            p = ws(b, end + 1);
            if (b[p] != ':') {
                return -1;
            }
            p = ws(b, p + 1);
            if (column < 0) {
                p = skip(b, p, 1);
            } else if (numericColumn[column]) {
                byte v = b[p];
                if (v == 'n') {
                    p = literal(b, p, 'n');
                    n[column] = Double.NaN;
                } else {
                    p = number(b, p);
                    n[column] = parsed;
                }
            } else {
                byte v = b[p];
                if (v == '"') {
                    int s = p + 1;
                    int e = rawString(b, s);
                    if (e < 0) {
                        return -1;
                    }
                    int k = category(column, b, s, e - s);
                    if (k == ProfileBuilder.OUT_OF_SET && nonAscii) {
                        return -1;
                    }
                    c[column] = k;
                    p = e + 1;
                } else if (v == 'n') {
                    p = literal(b, p, 'n');
                    c[column] = ProfileBuilder.MISSING;
                } else {
                    return -1;
                }
            }
            if (p < 0) {
                return -1;
            }
            p = ws(b, p);
            if (b[p] == ',') {
                p = ws(b, p + 1);
            } else if (b[p] == '}') {
                return p + 1;
            } else {
                return -1;
            }
        }
    }

    private int column(byte[] b, int start, int len, int position) {
        if (position >= columnAt.length) {
            int old = columnAt.length;
            columnAt = Arrays.copyOf(columnAt, Math.max(position + 1, old * 2));
            Arrays.fill(columnAt, old, columnAt.length, -1);
        }
        int guess = columnAt[position];
        if (guess >= 0 && matches(b, start, len, names[guess], nameHeads[guess])) {
            return guess;
        }
        for (int i = 0; i < width; i++) {
            if (matches(b, start, len, names[i], nameHeads[i])) {
                columnAt[position] = i;
                return i;
            }
        }
        return -1;
    }

    private int category(int column, byte[] b, int start, int len) {
        byte[][] values = categories[column];
        long[] heads = categoryHeads[column];
        for (int k = 0; k < values.length; k++) {
            if (matches(b, start, len, values[k], heads[k])) {
                return categoryIndex[column][k];
            }
        }
        return ProfileBuilder.OUT_OF_SET;
    }

    private int predictions(byte[] b, int p) {
        if (b[p] == 'n') {
            return literal(b, p, 'n');
        }
        if (b[p] != '[') {
            return -1;
        }
        p = ws(b, p + 1);
        if (b[p] == ']') {
            return p + 1;
        }
        while (true) {
            if (predCount == predNum.length) {
                predNum = Arrays.copyOf(predNum, predCount * 2);
                predLabel = Arrays.copyOf(predLabel, predCount * 2);
                predPresent = Arrays.copyOf(predPresent, predCount * 2);
            }
            int i = predCount++;
            predLabel[i] = null;
            predPresent[i] = true;
            byte v = b[p];
            if (v == '-' || (v >= '0' && v <= '9')) {
                if (predictionType == FeatureType.CATEGORICAL) {
                    return -1;
                }
                p = number(b, p);
                predNum[i] = parsed;
            } else if (v == '"') {
                if (predictionType == FeatureType.NUMERIC) {
                    return -1;
                }
                int s = p + 1;
                int e = asciiString(b, s);
                if (e < 0) {
                    return -1;
                }
                if (predictionType == FeatureType.CATEGORICAL) {
                    predLabel[i] = new String(b, s, e - s, StandardCharsets.ISO_8859_1);
                }
                p = e + 1;
            } else if (v == 'n') {
                p = literal(b, p, 'n');
                predPresent[i] = false;
            } else if (v == '{' || v == '[') {
                // A structured prediction (class probabilities, say) is not profiled; it counts as missing.
                p = skip(b, p, 1);
                predPresent[i] = false;
            } else {
                return -1;
            }
            if (p < 0) {
                return -1;
            }
            p = ws(b, p);
            if (b[p] == ',') {
                p = ws(b, p + 1);
            } else if (b[p] == ']') {
                return p + 1;
            } else {
                return -1;
            }
        }
    }

    private int version(byte[] b, int p) {
        int v = 0;
        int start = p;
        byte c = b[p];
        while (c >= '0' && c <= '9') {
            v = v * 10 + (c - '0');
            c = b[++p];
        }
        int digits = p - start;
        if (digits == 0 || digits > 9 || (digits > 1 && b[start] == '0') || c == '.' || c == 'e' || c == 'E') {
            return -1;
        }
        version = v;
        return p;
    }

    /** The end of {@code null} (or {@code true}, {@code false}) at {@code p}, or -1. */
    private static int literal(byte[] b, int p, char first) {
        if (first == 'n' && b[p] == 'n' && b[p + 1] == 'u' && b[p + 2] == 'l' && b[p + 3] == 'l') {
            return p + 4;
        }
        return -1;
    }

    /** The value of the last {@link #number}. */
    private double parsed;

    /**
     * Reads a JSON number at {@code p} into {@link #parsed} and answers its end, or -1 if it breaks JSON's grammar.
     * Plain decimals whose digits make an integer up to 2^53 with at most 22 after the point take Clinger's fast
     * path (an exact mantissa divided by an exact power of ten is correctly rounded); the rest go to
     * {@link Double#parseDouble}: bit-identical either way.
     */
    private int number(byte[] b, int p) {
        int start = p;
        boolean negative = b[p] == '-';
        if (negative) {
            p++;
        }
        int intStart = p;
        long mantissa;
        int scale = 0;
        int digits;
        int d = b[p] - '0';
        if (d < 0 || d > 9) {
            return -1;
        }
        int n;
        if (p + 16 <= b.length && (n = leadingDigits(b, p)) < 8 && (d != 0 || n == 1)) {
            // The common case, eight bytes at a time: an integer part and a fraction of fewer than 8 digits each.
            mantissa = digitsValue(b, p, n);
            p += n;
            digits = n;
            if (b[p] == '.') {
                int f = leadingDigits(b, p + 1);
                if (f == 0) {
                    return -1;
                }
                if (f < 8) {
                    mantissa = mantissa * LONG_POW10[f] + digitsValue(b, p + 1, f);
                    p += 1 + f;
                    scale = f;
                    digits += f;
                } else {
                    int fractionStart = ++p;
                    d = b[p] - '0';
                    do {
                        mantissa = mantissa * 10 + d;
                        d = b[++p] - '0';
                    } while (d >= 0 && d <= 9);
                    scale = p - fractionStart;
                    digits += scale;
                }
            }
        } else {
            mantissa = 0;
            if (d == 0) {
                d = b[++p] - '0';
                if (d >= 0 && d <= 9) {
                    return -1;
                }
            } else {
                do {
                    mantissa = mantissa * 10 + d;
                    d = b[++p] - '0';
                } while (d >= 0 && d <= 9);
            }
            digits = p - intStart;
            if (b[p] == '.') {
                int fractionStart = ++p;
                d = b[p] - '0';
                if (d < 0 || d > 9) {
                    return -1;
                }
                do {
                    mantissa = mantissa * 10 + d;
                    d = b[++p] - '0';
                } while (d >= 0 && d <= 9);
                scale = p - fractionStart;
                digits += scale;
            }
        }
        byte c = b[p];
        // 18 digits cannot overflow the long; beyond, or with an exponent, the JDK decides.
        boolean slow = digits > 18;
        if (c == 'e' || c == 'E') {
            slow = true;
            c = b[++p];
            if (c == '+' || c == '-') {
                c = b[++p];
            }
            if (c < '0' || c > '9') {
                return -1;
            }
            do {
                c = b[++p];
            } while (c >= '0' && c <= '9');
        }
        if (slow || scale >= POW10.length || mantissa > (1L << 53)) {
            parsed = Double.parseDouble(new String(b, start, p - start, StandardCharsets.ISO_8859_1));
        } else {
            double value = mantissa / POW10[scale];
            parsed = negative ? -value : value;
        }
        return p;
    }

    /** How many of the 8 bytes at {@code p} are ASCII digits before the first that is not; needs {@code p + 8 <= b.length}. */
    private static int leadingDigits(byte[] b, int p) {
        long sub = (long) LONGS.get(b, p) - 0x3030303030303030L;
        // A byte below '0' borrows (high bit set), one above '9' overflows 0x76 (high bit set); a borrow or carry only
        // disturbs the bytes after the first non-digit, which do not count.
        long nonDigit = (sub | (sub + 0x7676767676767676L)) & 0x8080808080808080L;
        return Long.numberOfTrailingZeros(nonDigit) >>> 3;
    }

    /** The value of the {@code n} (1 to 7) ASCII digits at {@code p}, combined eight bytes at a time. */
    private static long digitsValue(byte[] b, int p, int n) {
        // Shift the digits to the top of the word (the first digit most significant), leaving zeros before them.
        long v = ((long) LONGS.get(b, p) & 0x0F0F0F0F0F0F0F0FL) << ((8 - n) << 3);
        v = (v * 10 + (v >>> 8)) & 0x00FF00FF00FF00FFL;
        v = (v * 100 + (v >>> 16)) & 0x0000FFFF0000FFFFL;
        return (v * 10000 + (v >>> 32)) & 0xFFFFFFFFL;
    }

    /** The value of the JSON number {@code text} as this parser reads it, or NaN when it does not take it: for tests. */
    double readNumber(String text) {
        // Digits after the line's end, where the 8-byte reads see them and must ignore them.
        byte[] b = (text + "\n1234567890123456").getBytes(StandardCharsets.ISO_8859_1);
        return number(b, 0) == text.length() ? parsed : Double.NaN;
    }

    /** Skips any JSON value of printable ASCII at {@code p}, checking its grammar; its end, or -1. */
    private int skip(byte[] b, int p, int depth) {
        byte c = b[p];
        switch (c) {
            case '"' -> {
                return skipString(b, p + 1);
            }
            case '{' -> {
                if (depth >= MAX_DEPTH) {
                    return -1;
                }
                p = ws(b, p + 1);
                if (b[p] == '}') {
                    return p + 1;
                }
                while (true) {
                    if (b[p] != '"') {
                        return -1;
                    }
                    p = skipString(b, p + 1);
                    if (p < 0) {
                        return -1;
                    }
                    p = ws(b, p);
                    if (b[p] != ':') {
                        return -1;
                    }
                    p = skip(b, ws(b, p + 1), depth + 1);
                    if (p < 0) {
                        return -1;
                    }
                    p = ws(b, p);
                    if (b[p] == ',') {
                        p = ws(b, p + 1);
                    } else if (b[p] == '}') {
                        return p + 1;
                    } else {
                        return -1;
                    }
                }
            }
            case '[' -> {
                if (depth >= MAX_DEPTH) {
                    return -1;
                }
                p = ws(b, p + 1);
                if (b[p] == ']') {
                    return p + 1;
                }
                while (true) {
                    p = skip(b, p, depth + 1);
                    if (p < 0) {
                        return -1;
                    }
                    p = ws(b, p);
                    if (b[p] == ',') {
                        p = ws(b, p + 1);
                    } else if (b[p] == ']') {
                        return p + 1;
                    } else {
                        return -1;
                    }
                }
            }
            case 'n' -> {
                return literal(b, p, 'n');
            }
            case 't' -> {
                return b[p + 1] == 'r' && b[p + 2] == 'u' && b[p + 3] == 'e' ? p + 4 : -1;
            }
            case 'f' -> {
                return b[p + 1] == 'a' && b[p + 2] == 'l' && b[p + 3] == 's' && b[p + 4] == 'e' ? p + 5 : -1;
            }
            default -> {
                return c == '-' || (c >= '0' && c <= '9') ? number(b, p) : -1;
            }
        }
    }

    /** Skips a string of printable ASCII, checking its escapes; the position after its closing quote, or -1. */
    private static int skipString(byte[] b, int p) {
        while (true) {
            byte c = b[p];
            if (c == '"') {
                return p + 1;
            }
            if (c < 0x20) {
                return -1;
            }
            if (c == '\\') {
                byte e = b[p + 1];
                if (e == 'u') {
                    for (int k = 2; k < 6; k++) {
                        if (Character.digit(b[p + k], 16) < 0) {
                            return -1;
                        }
                    }
                    p += 6;
                } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
                    p += 2;
                } else {
                    return -1;
                }
            } else {
                p++;
            }
        }
    }

    /**
     * Epoch millis of an instant written {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, as {@code Instant.parse(..)
     * .toEpochMilli()} gives; {@link Long#MIN_VALUE} for any other form (Jackson's path then decides).
     */
    private static long instant(byte[] b, int s, int e) {
        int len = e - s;
        if (len < 20 || len > 30 || b[e - 1] != 'Z' || b[s + 4] != '-' || b[s + 7] != '-' || b[s + 10] != 'T'
                || b[s + 13] != ':' || b[s + 16] != ':') {
            return Long.MIN_VALUE;
        }
        int year = digits(b, s, 4);
        int month = digits(b, s + 5, 2);
        int day = digits(b, s + 8, 2);
        int hour = digits(b, s + 11, 2);
        int minute = digits(b, s + 14, 2);
        int second = digits(b, s + 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59) {
            return Long.MIN_VALUE;
        }
        int millis = 0;
        if (len > 20) {
            int fraction = len - 21;
            if (b[s + 19] != '.' || fraction < 1 || fraction > 9 || digits(b, s + 20, fraction) < 0) {
                return Long.MIN_VALUE;
            }
            for (int k = 0; k < 3; k++) {
                millis = millis * 10 + (k < fraction ? b[s + 20 + k] - '0' : 0);
            }
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException ex) {
            return Long.MIN_VALUE;
        }
        return ((epochDay * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    private static int digits(byte[] b, int p, int n) {
        int v = 0;
        for (int k = 0; k < n; k++) {
            byte c = b[p + k];
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
