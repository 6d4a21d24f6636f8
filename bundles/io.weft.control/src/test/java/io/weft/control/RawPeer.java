package io.weft.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.service.IoService;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.FilterEvent;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.filter.ssl.SslEvent;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.apache.mina.transport.socket.nio.NioSocketConnector;

/**
 * A peer built only from the TLS filters and the codec, without the control handler, so tests
 * can misbehave on purpose: stay silent, skip heartbeats or write raw bytes.
 */
final class RawPeer extends IoHandlerAdapter implements AutoCloseable {

    final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    final CountDownLatch secured = new CountDownLatch(1);
    final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicReference<IoSession> session = new AtomicReference<>();
    private final IoService service;
    private final boolean acceptHello;
    private volatile long closedAtNanos;

    private RawPeer(IoService service, boolean acceptHello) {
        this.service = service;
        this.acceptHello = acceptHello;
        service.setHandler(this);
    }

    /** Connects with the client filter of {@link ControlTls} and the control codec. */
    static RawPeer connect(SSLContext sslContext, InetSocketAddress address) throws InterruptedException {
        NioSocketConnector connector = new NioSocketConnector();
        connector.getFilterChain().addLast("ssl", ControlTls.clientFilter(sslContext));
        connector.getFilterChain().addLast("codec", new ProtocolCodecFilter(new ControlCodecFactory()));
        RawPeer peer = new RawPeer(connector, false);
        boolean connected = connector.connect(address).await(RecordingListener.WAIT.toMillis());
        assertThat(connected).as("connected to %s", address).isTrue();
        return peer;
    }

    /**
     * Listens on a free port of 127.0.0.1 as a manager that accepts every HELLO with a
     * 1-second heartbeat interval and ignores heartbeats.
     */
    static RawPeer listen(SSLContext sslContext) throws java.io.IOException {
        NioSocketAcceptor acceptor = new NioSocketAcceptor();
        acceptor.getFilterChain().addLast("ssl", ControlTls.serverFilter(sslContext));
        acceptor.getFilterChain().addLast("codec", new ProtocolCodecFilter(new ControlCodecFactory()));
        RawPeer peer = new RawPeer(acceptor, true);
        acceptor.bind(new InetSocketAddress("127.0.0.1", 0));
        return peer;
    }

    InetSocketAddress localAddress() {
        return ((NioSocketAcceptor) service).getLocalAddress();
    }

    void awaitSecured() throws InterruptedException {
        assertThat(secured.await(RecordingListener.WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .as("TLS handshake completed within %s", RecordingListener.WAIT).isTrue();
    }

    void write(Object message) {
        session.get().write(message);
    }

    /** Waits for the session to close and returns the time it closed, from {@link System#nanoTime()}. */
    long awaitClosed() throws InterruptedException {
        assertThat(closed.await(RecordingListener.WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .as("session closed within %s", RecordingListener.WAIT).isTrue();
        return closedAtNanos;
    }

    <T> T awaitMessage(Class<T> type) throws InterruptedException {
        Object message = received.poll(RecordingListener.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(message).as("message within %s", RecordingListener.WAIT).isInstanceOf(type);
        return type.cast(message);
    }

    @Override
    public void sessionCreated(IoSession created) {
        session.set(created);
    }

    @Override
    public void event(IoSession secure, FilterEvent event) {
        if (event == SslEvent.SECURED) {
            secured.countDown();
        }
    }

    @Override
    public void messageReceived(IoSession from, Object message) {
        received.add(message);
        if (acceptHello && message instanceof Hello) {
            from.write(HelloAck.accept(1, 1));
        }
    }

    @Override
    public void exceptionCaught(IoSession failed, Throwable cause) {
        received.add(cause);
        failed.closeNow();
    }

    @Override
    public void sessionClosed(IoSession ended) {
        closedAtNanos = System.nanoTime();
        closed.countDown();
    }

    @Override
    public void close() {
        service.dispose(true);
    }
}
