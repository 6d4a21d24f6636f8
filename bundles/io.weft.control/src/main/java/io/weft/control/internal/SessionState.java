package io.weft.control.internal;

import io.weft.control.ControlSession;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Per-session state of the control handler, kept in one session attribute. */
final class SessionState {

    private final DefaultControlSession controlSession;
    private final CompletableFuture<ControlSession> connected;
    private final AtomicBoolean helloDone = new AtomicBoolean();
    private final AtomicBoolean opened = new AtomicBoolean();
    private final AtomicLong heartbeatSequence = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** Timer of the handshake timeout until the TLS handshake completes, then of the HELLO timeout. */
    private volatile ScheduledFuture<?> helloTimer;

    /**
     * @param connected completed when the TLS handshake of a client session completes, or
     *     {@code null} on the server
     */
    SessionState(DefaultControlSession controlSession, CompletableFuture<ControlSession> connected) {
        this.controlSession = controlSession;
        this.connected = connected;
    }

    DefaultControlSession controlSession() {
        return controlSession;
    }

    void setHelloTimer(ScheduledFuture<?> timer) {
        helloTimer = timer;
    }

    /** Marks the HELLO exchange complete and cancels its timer. */
    void completeHello() {
        helloDone.set(true);
        cancelHelloTimer();
    }

    boolean isHelloDone() {
        return helloDone.get();
    }

    void cancelHelloTimer() {
        ScheduledFuture<?> timer = helloTimer;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** Returns true the first time it is called, when the TLS handshake has completed. */
    boolean markOpened() {
        return opened.compareAndSet(false, true);
    }

    boolean isOpened() {
        return opened.get();
    }

    long nextHeartbeatSequence() {
        return heartbeatSequence.incrementAndGet();
    }

    /** Records the first failure of the session and returns whether this was it. */
    boolean recordFailure(Throwable cause) {
        return failure.compareAndSet(null, cause);
    }

    Throwable failure() {
        return failure.get();
    }

    void completeConnect() {
        if (connected != null) {
            connected.complete(controlSession);
        }
    }

    void failConnect(Throwable cause) {
        if (connected != null) {
            connected.completeExceptionally(cause);
        }
    }
}
