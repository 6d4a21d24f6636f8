package io.weft.manager.rest.internal.body;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Passes at most {@code maxBytes} bytes through and throws on the first byte beyond them. */
final class LimitedInputStream extends FilterInputStream {

    private final long maxBytes;
    private long count;
    private boolean reachedEnd;

    LimitedInputStream(InputStream in, long maxBytes) {
        super(in);
        this.maxBytes = maxBytes;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        } else {
            reachedEnd = true;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        } else if (n < 0) {
            reachedEnd = true;
        }
        return n;
    }

    /** Returns whether a reader has read the stream to its end. */
    boolean reachedEnd() {
        return reachedEnd;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        count(skipped);
        return skipped;
    }

    /** Marking would let a reader re-read bytes without counting them twice, so it is off. */
    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readLimit) {
        // Not supported, see markSupported().
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark and reset are not supported");
    }

    private void count(long n) throws RequestBodyTooLargeException {
        count += n;
        if (count > maxBytes) {
            throw new RequestBodyTooLargeException(maxBytes);
        }
    }
}
