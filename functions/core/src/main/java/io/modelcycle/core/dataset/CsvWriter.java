package io.modelcycle.core.dataset;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes RFC 4180 CSV: fields that hold a comma, a quote, CR or LF, or that start or end with a space, are quoted;
 * records end with LF. A null field is written empty (a missing value). Not thread-safe.
 */
public final class CsvWriter implements Closeable, Flushable {

    private final Writer out;

    public CsvWriter(Writer out) {
        this.out = out;
    }

    public void writeRecord(List<?> fields) {
        try {
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                Object value = fields.get(i);
                out.write(value == null ? "" : quote(value.toString()));
            }
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write CSV", e);
        }
    }

    /** The field as it must appear in CSV: quoted (quotes doubled) only when needed. */
    public static String quote(String field) {
        boolean needs = !field.isEmpty() && (field.charAt(0) == ' ' || field.charAt(field.length() - 1) == ' ');
        for (int i = 0; !needs && i < field.length(); i++) {
            char c = field.charAt(i);
            needs = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        return needs ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }

    @Override
    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write CSV", e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write CSV", e);
        }
    }
}
