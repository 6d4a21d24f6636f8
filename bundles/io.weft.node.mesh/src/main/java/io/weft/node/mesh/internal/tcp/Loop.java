package io.weft.node.mesh.internal.tcp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/** The thread that serves a {@link TcpConnection}: the reactor's, or a mesh tunnel's I/O thread. */
interface Loop {

    /** Runs {@code task} on the loop's thread; returns false when the loop has stopped and the task does not run. */
    boolean execute(Runnable task);

    boolean inLoop();

    /** Registers {@code channel} for {@code connection}; call on the loop's thread. */
    SelectionKey register(SelectableChannel channel, int ops, TcpConnection connection) throws IOException;

    /** Returns the buffer for reads on the loop's thread, which a handler copies from before it returns. */
    ByteBuffer readBuffer();
}
