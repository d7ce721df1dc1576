package io.modelcycle.core.dataset;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A streaming RFC 4180 reader: comma-separated, fields optionally in double quotes, {@code ""} for a quote inside
 * a quoted field, line breaks (LF or CRLF) allowed inside quotes. The first record is the header; every later record
 * must have as many fields. Blank lines are skipped. Errors are {@link DatasetFormatException}s naming the line where
 * the record starts and the column. Not thread-safe; one reader per file.
 */
public final class CsvReader implements Closeable {

    private static final int EOF = -1;

    private final Reader in;
    private final String source;
    private final List<String> header;
    private final Map<String, Integer> index = new HashMap<>();
    private long line = 1;
    private long recordLine;
    private int pushedBack = Integer.MIN_VALUE;

    /** Reads the header at once; {@code source} names the input in error messages. */
    public CsvReader(Reader reader, String source) {
        this.in = reader instanceof BufferedReader ? reader : new BufferedReader(reader, 1 << 16);
        this.source = source;
        int first = read();
        if (first != '\uFEFF') { // a UTF-8 byte order mark is not part of the first column's name
            unread(first);
        }
        List<String> names = nextRecord(-1);
        if (names == null) {
            throw new DatasetFormatException(source, 1, null, "the file is empty; expected a header row");
        }
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).strip();
            if (name.isEmpty()) {
                throw new DatasetFormatException(source, recordLine, null, "header column " + (i + 1) + " has no name");
            }
            if (index.put(name, i) != null) {
                throw new DatasetFormatException(source, recordLine, name, "the header names this column twice");
            }
            names.set(i, name);
        }
        this.header = Collections.unmodifiableList(names);
    }

    /** Opens a UTF-8 file. */
    public static CsvReader open(Path file) {
        try {
            return new CsvReader(Files.newBufferedReader(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
    }

    public List<String> header() {
        return header;
    }

    /** The position of a header column, or -1 when the header does not have it. */
    public int columnIndex(String name) {
        return index.getOrDefault(name, -1);
    }

    public String source() {
        return source;
    }

    /** The 1-based line where the record last returned by {@link #next()} starts. */
    public long recordLine() {
        return recordLine;
    }

    /** The next record (as many fields as the header), or null at the end of the input. */
    public List<String> next() {
        return nextRecord(header.size());
    }

    private List<String> nextRecord(int expected) {
        int c = read();
        while (c == '\n' || c == '\r') { // blank lines carry no record
            if (c == '\r') {
                int n = read();
                if (n != '\n') {
                    unread(n);
                }
            }
            line++;
            c = read();
        }
        if (c == EOF) {
            return null;
        }
        recordLine = line;
        List<String> fields = new ArrayList<>(expected > 0 ? expected : 16);
        StringBuilder field = new StringBuilder();
        while (true) {
            field.setLength(0);
            if (c == '"') {
                while (true) {
                    c = read();
                    if (c == EOF) {
                        throw error(fields.size(), "a quoted field is not closed before the end of the file");
                    }
                    if (c == '"') {
                        c = read();
                        if (c == '"') {
                            field.append('"');
                            continue;
                        }
                        break;
                    }
                    if (c == '\n') {
                        line++;
                    }
                    field.append((char) c);
                }
                if (c != ',' && c != '\n' && c != '\r' && c != EOF) {
                    throw error(fields.size(), "unexpected character '" + (char) c + "' after a closing quote");
                }
            } else {
                while (c != ',' && c != '\n' && c != '\r' && c != EOF) {
                    if (c == '"') {
                        throw error(fields.size(), "a quote inside an unquoted field; quote the whole field and double the quote");
                    }
                    field.append((char) c);
                    c = read();
                }
            }
            fields.add(field.toString());
            if (c == ',') {
                c = read();
                continue;
            }
            if (c == '\r') {
                int n = read();
                if (n != '\n') {
                    unread(n);
                }
            }
            if (c != EOF) {
                line++;
            }
            break;
        }
        if (expected >= 0 && fields.size() != expected) {
            throw new DatasetFormatException(source, recordLine, null,
                    "expected " + expected + " fields as in the header, found " + fields.size());
        }
        return fields;
    }

    private DatasetFormatException error(int fieldIndex, String detail) {
        String column = header != null && fieldIndex < header.size() ? header.get(fieldIndex) : "#" + (fieldIndex + 1);
        return new DatasetFormatException(source, recordLine, column, detail);
    }

    private int read() {
        if (pushedBack != Integer.MIN_VALUE) {
            int c = pushedBack;
            pushedBack = Integer.MIN_VALUE;
            return c;
        }
        try {
            return in.read();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        }
    }

    private void unread(int c) {
        pushedBack = c;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + source, e);
        }
    }
}
