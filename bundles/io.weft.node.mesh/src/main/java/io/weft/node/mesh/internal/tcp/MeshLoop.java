package io.weft.node.mesh.internal.tcp;

import io.weft.mesh.IoLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/** Serves TCP connections on the I/O thread of a mesh tunnel. */
final class MeshLoop implements Loop {

    /** Read buffer of each I/O thread, as large as the reactor's. */
    private static final ThreadLocal<ByteBuffer> READ_BUFFERS =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(TcpReactor.READ_BUFFER_BYTES));

    private final IoLoop loop;

    MeshLoop(IoLoop loop) {
        this.loop = loop;
    }

    @Override
    public boolean execute(Runnable task) {
        return loop.execute(task);
    }

    @Override
    public boolean inLoop() {
        return loop.inLoop();
    }

    @Override
    public SelectionKey register(SelectableChannel channel, int ops, TcpConnection connection) throws IOException {
        return loop.register(channel, ops, new IoLoop.ChannelHandler() {
            @Override
            public void ready(SelectionKey key) {
                connection.ready(key.readyOps());
            }

            @Override
            public void loopClosed() {
                connection.loopClosed();
            }
        });
    }

    @Override
    public ByteBuffer readBuffer() {
        return READ_BUFFERS.get();
    }
}
