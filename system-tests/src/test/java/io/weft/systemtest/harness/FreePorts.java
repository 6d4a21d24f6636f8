package io.weft.systemtest.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Finds TCP ports on 127.0.0.1 that are free at the time of the call.
 *
 * <p>The operating system picks each port. Another process may take it before the
 * distribution binds it, but ports picked this way are not handed out again by this JVM.
 */
public final class FreePorts {

    private static final int MAX_ATTEMPTS = 50;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePorts() {
    }

    /** Returns a port that was free on 127.0.0.1 and that this JVM has not returned before. */
    public static synchronized int allocate() {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            int port = ephemeralPort();
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("No new free port on 127.0.0.1 after " + MAX_ATTEMPTS
                + " attempts; " + HANDED_OUT.size() + " ports were already handed out by this JVM");
    }

    private static int ephemeralPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to open a server socket on 127.0.0.1 to find a free port", e);
        }
    }
}
