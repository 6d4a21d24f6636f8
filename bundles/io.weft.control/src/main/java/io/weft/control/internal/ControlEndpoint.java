package io.weft.control.internal;

import io.weft.control.ControlCodecFactory;
import io.weft.control.ControlListener;
import io.weft.control.ControlSettings;
import io.weft.control.FrameType.Sender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.mina.core.filterchain.DefaultIoFilterChainBuilder;
import org.apache.mina.core.future.CloseFuture;
import org.apache.mina.core.service.IoAcceptor;
import org.apache.mina.core.service.IoService;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.filter.executor.ExecutorFilter;
import org.apache.mina.filter.executor.OrderedThreadPoolExecutor;
import org.apache.mina.filter.ssl.SslFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Filter chain, handler and threads shared by the control server and client. The chain is
 * ssl, codec and, with handler threads, an ordered executor. The endpoint owns the HELLO
 * timer and the executor, and stops them when it closes.
 */
public final class ControlEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(ControlEndpoint.class);

    /** Time that closing waits for sessions to close and for each pool to stop. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private final ScheduledThreadPoolExecutor timer;
    private final OrderedThreadPoolExecutor handlerExecutor;
    private final ControlHandler handler;

    /**
     * @param name "server" or "client", for thread names and logs
     */
    public ControlEndpoint(String name, Sender localSide, ControlSettings settings, ControlListener listener) {
        this.name = name;
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(listener, "listener");
        this.timer = new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("weft-control-" + name + "-timer"));
        this.timer.setRemoveOnCancelPolicy(true);
        this.handlerExecutor = settings.handlerThreads() == 0 ? null
                : new OrderedThreadPoolExecutor(0, settings.handlerThreads(), 60, TimeUnit.SECONDS,
                        new NamedThreadFactory("weft-control-" + name + "-handler"));
        this.handler = new ControlHandler(localSide, settings, listener, timer);
    }

    /** Builds the filter chain of {@code service} and sets its handler. */
    public void configure(IoService service, SslFilter sslFilter, ControlSettings settings) {
        DefaultIoFilterChainBuilder chain = service.getFilterChain();
        chain.addLast("ssl", sslFilter);
        chain.addLast("codec", new ProtocolCodecFilter(new ControlCodecFactory(settings.maxPayloadBytes())));
        if (handlerExecutor != null) {
            chain.addLast("executor", new ExecutorFilter(handlerExecutor));
        }
        service.setHandler(handler);
    }

    /**
     * Closes the sessions of {@code service}, disposes it and stops the endpoint's threads,
     * waiting up to {@link #CLOSE_TIMEOUT} for each step.
     */
    public void close(IoService service) {
        if (service instanceof IoAcceptor acceptor) {
            // Stop accepting first: nodes whose sessions close below reconnect at once, and
            // must not reach a server that is going away.
            acceptor.setCloseOnDeactivation(false);
            acceptor.unbind();
        }
        closeAll(service);
        service.dispose(true);
        stop(timer, true);
        if (handlerExecutor != null) {
            stop(handlerExecutor, false);
        }
    }

    /**
     * Closes every session and waits for all of them together, up to the close timeout.
     * Waiting for each in turn took 50 s with 10,000 sessions, one I/O loop per session.
     */
    private void closeAll(IoService service) {
        List<CloseFuture> closing = new ArrayList<>();
        for (IoSession session : service.getManagedSessions().values()) {
            closing.add(session.closeNow());
        }

        long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        for (CloseFuture future : closing) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0 || !future.awaitUninterruptibly(left)) {
                LOG.warn("Control {}: sessions still open {} s after closing them", name, CLOSE_TIMEOUT.toSeconds());
                return;
            }
        }
    }

    private void stop(ExecutorService executor, boolean now) {
        if (now) {
            executor.shutdownNow();
        } else {
            executor.shutdown();
        }
        try {
            if (!executor.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Control {}: threads still running {} s after shutdown", name, CLOSE_TIMEOUT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
