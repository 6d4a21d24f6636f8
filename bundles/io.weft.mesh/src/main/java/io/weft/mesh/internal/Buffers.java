package io.weft.mesh.internal;

import java.nio.ByteBuffer;

/** Small operations on byte buffers that the TLS layers of tunnels and sessions share. */
public final class Buffers {

    private Buffers() {
    }

    /** Returns the bytes remaining in all of {@code buffers}. */
    public static int remaining(ByteBuffer[] buffers) {
        long remaining = 0;
        for (ByteBuffer buffer : buffers) {
            remaining += buffer.remaining();
        }
        return Math.toIntExact(remaining);
    }

    /** Puts {@code bytes} into {@code buffer}, or into a larger copy of it when they do not fit, and returns the target. */
    static ByteBuffer putGrowing(ByteBuffer buffer, ByteBuffer bytes) {
        ByteBuffer target = buffer;
        if (target.remaining() < bytes.remaining()) {
            target = ByteBuffer.allocate(buffer.position() + bytes.remaining());
            target.put(buffer.flip());
        }
        return target.put(bytes);
    }
}
