package io.weft.node.edge.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The HTTP/1.1 response of another node's Edge API to a forwarded call: status, headers and
 * a body stream that decodes chunked transfer coding and stops at the content length. Closing
 * it closes the connection, which carries only this one exchange.
 */
final class RelayedResponse implements Closeable {

    /** Maximum length of a status line, header line or chunk header of a response, in bytes. */
    static final int MAX_LINE_BYTES = 8 * 1024;
    /** Maximum number of header lines of a response. */
    static final int MAX_HEADERS = 100;

    private final int status;
    private final Map<String, String> headers;
    private final InputStream body;
    private final Socket socket;

    private RelayedResponse(int status, Map<String, String> headers, InputStream body, Socket socket) {
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.socket = socket;
    }

    /**
     * Reads the status line and headers from {@code socket}.
     *
     * @throws IOException when the connection fails or the response is not valid HTTP/1.1
     */
    static RelayedResponse read(Socket socket) throws IOException {
        InputStream in = new BufferedInputStream(socket.getInputStream());
        HeaderReader reader = new HeaderReader(in);
        int status = statusOf(reader.line());
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String line = reader.line(); !line.isEmpty(); line = reader.line()) {
            if (headers.size() >= MAX_HEADERS) {
                throw new IOException("The relayed response has more than " + MAX_HEADERS + " headers");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("Invalid header line '" + line + "' in the relayed response");
            }
            headers.merge(line.substring(0, colon).strip(), line.substring(colon + 1).strip(), (a, b) -> a + ", " + b);
        }
        return new RelayedResponse(status, headers, body(status, headers, in), socket);
    }

    int status() {
        return status;
    }

    /** Returns a header's value, or null; names are case-insensitive. */
    String header(String name) {
        return headers.get(name);
    }

    InputStream body() {
        return body;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static int statusOf(String line) throws IOException {
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("Invalid status line '" + line + "' in the relayed response");
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("Invalid status '" + parts[1] + "' in the relayed response", e);
        }
    }

    private static InputStream body(int status, Map<String, String> headers, InputStream in) throws IOException {
        if (status == 204 || status == 304 || (status >= 100 && status < 200)) {
            return InputStream.nullInputStream();
        }
        String coding = headers.get("Transfer-Encoding");
        if (coding != null && coding.toLowerCase(Locale.ROOT).contains("chunked")) {
            return new ChunkedInputStream(in);
        }
        String length = headers.get("Content-Length");
        if (length != null) {
            try {
                return new BoundedInputStream(in, Long.parseLong(length.strip()));
            } catch (NumberFormatException e) {
                throw new IOException("Invalid Content-Length '" + length + "' in the relayed response", e);
            }
        }
        return in;
    }

    /** Reads CRLF-terminated ISO-8859-1 lines of at most {@link #MAX_LINE_BYTES} each. */
    static final class HeaderReader {

        private final InputStream in;

        HeaderReader(InputStream in) {
            this.in = in;
        }

        String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("The relayed response ended within its headers");
                }
                if (line.size() >= MAX_LINE_BYTES) {
                    throw new IOException("The relayed response has a line of more than " + MAX_LINE_BYTES
                            + " bytes");
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** The first {@code remaining} bytes of a stream. */
    private static final class BoundedInputStream extends InputStream {

        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int read = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (read < 0) {
                throw new IOException("The relayed response ended " + remaining + " bytes before its Content-Length");
            }
            remaining -= read;
            return read;
        }
    }
}
