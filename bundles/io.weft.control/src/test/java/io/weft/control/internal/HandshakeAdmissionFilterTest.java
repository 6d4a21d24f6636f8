package io.weft.control.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.mina.core.filterchain.IoFilter.NextFilter;
import org.apache.mina.core.session.DummySession;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteRequest;
import org.apache.mina.filter.FilterEvent;
import org.apache.mina.filter.ssl.SslEvent;
import org.junit.jupiter.api.Test;

class HandshakeAdmissionFilterTest {

    private static final Duration MAX_WAIT = Duration.ofSeconds(5);

    private final AtomicLong nanos = new AtomicLong();
    private final RecordingNextFilter next = new RecordingNextFilter();

    @Test
    void admitsUpToLimitThenQueues() throws Exception {
        HandshakeAdmissionFilter filter = filter(2, 2);

        DummySession first = open(filter);
        DummySession second = open(filter);
        DummySession third = open(filter);

        assertThat(next.opened).containsExactly(first, second, third);
        assertThat(first.isReadSuspended()).isFalse();
        assertThat(second.isReadSuspended()).isFalse();
        assertThat(third.isReadSuspended()).as("reads of the queued connection").isTrue();
        assertThat(filter.inProgress()).isEqualTo(2);
        assertThat(filter.queued()).isEqualTo(1);
    }

    @Test
    void closesConnectionWhenQueueFull() throws Exception {
        HandshakeAdmissionFilter filter = filter(1, 1);
        open(filter);
        open(filter);

        DummySession third = open(filter);

        assertThat(third.isClosing()).isTrue();
        assertThat(next.opened).doesNotContain(third);
        assertThat(filter.queued()).isEqualTo(1);
    }

    @Test
    void completedHandshakeAdmitsOldestQueued() throws Exception {
        HandshakeAdmissionFilter filter = filter(1, 2);
        DummySession admitted = open(filter);
        DummySession oldest = open(filter);
        DummySession newest = open(filter);

        filter.event(next, admitted, SslEvent.SECURED);

        assertThat(oldest.isReadSuspended()).isFalse();
        assertThat(newest.isReadSuspended()).isTrue();
        assertThat(filter.inProgress()).isEqualTo(1);
        assertThat(filter.queued()).isEqualTo(1);
        assertThat(next.events).containsExactly(SslEvent.SECURED);
    }

    @Test
    void closedHandshakeAdmitsQueued() throws Exception {
        HandshakeAdmissionFilter filter = filter(1, 1);
        DummySession admitted = open(filter);
        DummySession queued = open(filter);

        filter.sessionClosed(next, admitted);

        assertThat(queued.isReadSuspended()).isFalse();
        assertThat(filter.inProgress()).isEqualTo(1);
        assertThat(next.closed).containsExactly(admitted);
    }

    @Test
    void closesQueuedConnectionThatWaitedTooLong() throws Exception {
        HandshakeAdmissionFilter filter = filter(1, 2);
        DummySession admitted = open(filter);
        DummySession late = open(filter);
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(4));
        DummySession recent = open(filter);
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(2));

        filter.event(next, admitted, SslEvent.SECURED);

        assertThat(late.isClosing()).as("connection queued 6 s ago, with a 5 s maximum wait").isTrue();
        assertThat(recent.isReadSuspended()).as("connection queued 2 s ago").isFalse();
        assertThat(filter.inProgress()).isEqualTo(1);
        assertThat(filter.queued()).isZero();
    }

    @Test
    void closedQueuedConnectionLeavesQueue() throws Exception {
        HandshakeAdmissionFilter filter = filter(1, 1);
        open(filter);
        DummySession queued = open(filter);

        filter.sessionClosed(next, queued);

        assertThat(filter.queued()).isZero();
        assertThat(filter.inProgress()).isEqualTo(1);
        assertThat(open(filter).isReadSuspended()).as("reads of a connection queued in the freed place").isTrue();
    }

    @Test
    void closesEveryConnectionAboveLimitWithoutQueue() throws Exception {
        HandshakeAdmissionFilter filter = filter(1, 0);
        open(filter);

        DummySession second = open(filter);

        assertThat(second.isClosing()).isTrue();
        assertThat(filter.inProgress()).isEqualTo(1);
    }

    @Test
    void rejectsInvalidLimits() {
        assertThatThrownBy(() -> filter(0, 1)).hasMessageContaining("Invalid maximum of handshakes 0");
        assertThatThrownBy(() -> filter(1, -1)).hasMessageContaining("Invalid maximum of queued connections -1");
        assertThatThrownBy(() -> new HandshakeAdmissionFilter(1, 1, Duration.ofSeconds(-1), nanos::get))
                .hasMessageContaining("Invalid maximum wait PT-1S");
    }

    private HandshakeAdmissionFilter filter(int maxHandshakes, int maxQueued) {
        return new HandshakeAdmissionFilter(maxHandshakes, maxQueued, MAX_WAIT, nanos::get);
    }

    private DummySession open(HandshakeAdmissionFilter filter) throws Exception {
        DummySession session = new DummySession();
        filter.sessionOpened(next, session);
        return session;
    }

    /** Records what the filter passes on to the next filter. */
    private static final class RecordingNextFilter implements NextFilter {

        final List<IoSession> opened = new ArrayList<>();
        final List<IoSession> closed = new ArrayList<>();
        final List<FilterEvent> events = new ArrayList<>();

        @Override
        public void sessionOpened(IoSession session) {
            opened.add(session);
        }

        @Override
        public void sessionClosed(IoSession session) {
            closed.add(session);
        }

        @Override
        public void event(IoSession session, FilterEvent event) {
            events.add(event);
        }

        @Override
        public void sessionCreated(IoSession session) {
        }

        @Override
        public void sessionIdle(IoSession session, IdleStatus status) {
        }

        @Override
        public void exceptionCaught(IoSession session, Throwable cause) {
        }

        @Override
        public void inputClosed(IoSession session) {
        }

        @Override
        public void messageReceived(IoSession session, Object message) {
        }

        @Override
        public void messageSent(IoSession session, WriteRequest writeRequest) {
        }

        @Override
        public void filterWrite(IoSession session, WriteRequest writeRequest) {
        }

        @Override
        public void filterClose(IoSession session) {
        }
    }
}
