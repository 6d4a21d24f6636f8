package io.weft.manager.audit.internal;

import io.weft.manager.audit.InvalidAuditLineException;
import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines that end with '\n', or with the end of input, and rejects a line longer than a
 * maximum before it has read it all, so that one huge line cannot exhaust the heap.
 */
public final class BoundedLineReader {

    private final Reader in;
    private final int maxLength;
    private final char[] buffer = new char[8192];
    private int position;
    private int limit;
    private long lineNumber;

    public BoundedLineReader(Reader in, int maxLength) {
        this.in = in;
        this.maxLength = maxLength;
    }

    /**
     * Returns the next line without its '\n', or null at the end of input.
     *
     * @throws InvalidAuditLineException when the line is longer than the maximum
     */
    public String readLine() throws IOException {
        StringBuilder line = null;
        while (true) {
            if (position == limit && !fill()) {
                if (line == null) {
                    return null;
                }
                lineNumber++;
                return line.toString();
            }
            if (line == null) {
                line = new StringBuilder();
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            if (line.length() + (position - start) > maxLength) {
                throw new InvalidAuditLineException(lineNumber + 1, "the line is longer than the maximum of "
                        + maxLength + " characters.", null);
            }
            line.append(buffer, start, position - start);
            if (position < limit) {
                position++;
                lineNumber++;
                return line.toString();
            }
        }
    }

    /** Returns the number of the line that {@link #readLine} returned last, counting from 1. */
    public long lineNumber() {
        return lineNumber;
    }

    private boolean fill() throws IOException {
        int read = in.read(buffer);
        if (read <= 0) {
            return false;
        }
        position = 0;
        limit = read;
        return true;
    }
}
