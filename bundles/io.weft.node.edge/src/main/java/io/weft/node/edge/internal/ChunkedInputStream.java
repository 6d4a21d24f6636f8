package io.weft.node.edge.internal;

import java.io.IOException;
import java.io.InputStream;

/**
 * Decodes the chunked transfer coding of HTTP/1.1 (RFC 9112, section 7.1). A read returns the
 * bytes of the current chunk as soon as they arrive, so server-sent events pass through
 * without waiting for a chunk to end. Trailer fields are read and dropped.
 */
final class ChunkedInputStream extends InputStream {

    /** Maximum chunk size that a chunk header may declare, in bytes. */
    static final long MAX_CHUNK_BYTES = 16L * 1024 * 1024;

    private final InputStream in;
    private final RelayedResponse.HeaderReader lines;
    private long remaining;
    private boolean done;

    ChunkedInputStream(InputStream in) {
        this.in = in;
        this.lines = new RelayedResponse.HeaderReader(in);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (remaining == 0 && !nextChunk()) {
            return -1;
        }
        int read = in.read(buffer, offset, (int) Math.min(length, remaining));
        if (read < 0) {
            throw new IOException("The relayed response ended within a chunk");
        }
        remaining -= read;
        if (remaining == 0) {
            requireEmpty(lines.line());
        }
        return read;
    }

    /** Reads the next chunk header; returns false after the last chunk and its trailer. */
    private boolean nextChunk() throws IOException {
        if (done) {
            return false;
        }
        String header = lines.line();
        int extension = header.indexOf(';');
        String size = (extension < 0 ? header : header.substring(0, extension)).strip();
        try {
            remaining = Long.parseLong(size, 16);
        } catch (NumberFormatException e) {
            throw new IOException("Invalid chunk size '" + size + "' in the relayed response", e);
        }
        if (remaining < 0 || remaining > MAX_CHUNK_BYTES) {
            throw new IOException("Invalid chunk size " + remaining + " in the relayed response: expected 0 to "
                    + MAX_CHUNK_BYTES);
        }
        if (remaining == 0) {
            while (!lines.line().isEmpty()) {
                // Trailer fields carry nothing that a relayed response needs.
            }
            done = true;
            return false;
        }
        return true;
    }

    private static void requireEmpty(String line) throws IOException {
        if (!line.isEmpty()) {
            throw new IOException("A chunk of the relayed response does not end with CRLF");
        }
    }
}
