package io.weft.control.internal;

import io.weft.control.ControlSettings;
import org.apache.mina.core.session.IoSession;

/** Configures MINA's idle detection for heartbeats. */
final class Heartbeats {

    private Heartbeats() {
    }

    /** Makes the session report reader idle after {@code maxMissedHeartbeats + 1} silent intervals. */
    static void watchReads(IoSession session, ControlSettings settings, int intervalSeconds) {
        session.getConfig().setReaderIdleTime(settings.readerIdleSeconds(intervalSeconds));
    }

    /** Additionally makes the session report writer idle after one interval without writes. */
    static void sendAndWatch(IoSession session, ControlSettings settings, int intervalSeconds) {
        session.getConfig().setWriterIdleTime(intervalSeconds);
        watchReads(session, settings, intervalSeconds);
    }
}
