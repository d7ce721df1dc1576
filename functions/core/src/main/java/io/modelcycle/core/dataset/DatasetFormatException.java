package io.modelcycle.core.dataset;

import io.modelcycle.core.ModelCycleException;

/**
 * A dataset file that cannot be read as the schema says: malformed CSV or a value of the wrong kind. The message
 * and the accessors name the file, the 1-based line where the record starts and, when known, the column.
 */
public class DatasetFormatException extends ModelCycleException {

    private final String source;
    private final long line;
    private final String column;

    /**
     * @param source the file (or stream) name
     * @param line   1-based physical line where the offending record starts
     * @param column the column's header name, or null when the problem is not in one column
     * @param detail what is wrong
     */
    public DatasetFormatException(String source, long line, String column, String detail) {
        super(source + ": line " + line + (column == null ? "" : ", column '" + column + "'") + ": " + detail);
        this.source = source;
        this.line = line;
        this.column = column;
    }

    public String source() {
        return source;
    }

    public long line() {
        return line;
    }

    /** The column's header name, or null when the problem is not in one column (for example a short row). */
    public String column() {
        return column;
    }

    @Override
    public String code() {
        return "BAD_DATASET";
    }
}
