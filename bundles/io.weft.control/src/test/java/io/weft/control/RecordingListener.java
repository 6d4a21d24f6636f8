package io.weft.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** A listener that records every event in queues and can react to openings and messages. */
final class RecordingListener implements ControlListener {

    static final Duration WAIT = Duration.ofSeconds(10);

    final BlockingQueue<ControlSession> opened = new LinkedBlockingQueue<>();
    final BlockingQueue<ControlMessage> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<ControlSession> closed = new LinkedBlockingQueue<>();
    private final Consumer<ControlSession> onOpened;
    private final BiConsumer<ControlSession, ControlMessage> onMessage;

    RecordingListener(Consumer<ControlSession> onOpened, BiConsumer<ControlSession, ControlMessage> onMessage) {
        this.onOpened = onOpened;
        this.onMessage = onMessage;
    }

    /** Returns a manager that responds to each HELLO by negotiating with {@link ControlProtocol#SUPPORTED_VERSIONS}. */
    static RecordingListener manager(int heartbeatIntervalSeconds) {
        return new RecordingListener(session -> { }, (session, message) -> {
            if (message instanceof Hello hello) {
                session.send(HelloAck.negotiate(ControlProtocol.SUPPORTED_VERSIONS, hello, heartbeatIntervalSeconds));
            }
        });
    }

    /** Returns a node that sends {@code hello} once the session is open and applies every desired state. */
    static RecordingListener node(Hello hello) {
        return new RecordingListener(session -> session.send(hello), (session, message) -> {
            if (message instanceof DesiredState state) {
                session.send(StateAck.applied(state.revision()));
            }
        });
    }

    @Override
    public void sessionOpened(ControlSession session) {
        opened.add(session);
        onOpened.accept(session);
    }

    @Override
    public void messageReceived(ControlSession session, ControlMessage message) {
        messages.add(message);
        onMessage.accept(session, message);
    }

    @Override
    public void sessionClosed(ControlSession session) {
        closed.add(session);
    }

    ControlSession awaitOpened() throws InterruptedException {
        ControlSession session = opened.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(session).as("session opened within %s", WAIT).isNotNull();
        return session;
    }

    ControlSession awaitClosed() throws InterruptedException {
        ControlSession session = closed.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(session).as("session closed within %s", WAIT).isNotNull();
        return session;
    }

    /** Waits for the next message, which must be of {@code type}. */
    <T extends ControlMessage> T awaitMessage(Class<T> type) throws InterruptedException {
        ControlMessage message = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(message).as("message within %s", WAIT).isInstanceOf(type);
        return type.cast(message);
    }
}
