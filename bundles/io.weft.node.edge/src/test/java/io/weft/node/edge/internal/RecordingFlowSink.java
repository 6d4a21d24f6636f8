package io.weft.node.edge.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

import io.weft.control.FlowRecord;
import io.weft.node.agent.api.FlowEvent;
import io.weft.node.agent.api.FlowRecordSink;

/**
 * A {@link FlowRecordSink} that keeps every record in memory. It converts each event into the
 * {@link FlowRecord} that the agent would send, so an event that breaks a rule of the control
 * protocol fails the call that emitted it.
 */
final class RecordingFlowSink implements FlowRecordSink {

    private static final long WAIT_MILLIS = 10_000;

    private final List<FlowRecord> records = new ArrayList<>();
    private final List<FlowEvent> events = new ArrayList<>();

    @Override
    public synchronized void record(FlowEvent event) {
        records.add(event.toRecord(records.size() + 1));
        events.add(event);
        notifyAll();
    }

    @Override
    public synchronized Status bufferStatus() {
        return new Status(records.size(), Integer.MAX_VALUE, 0, 0);
    }

    @Override
    public synchronized List<FlowEvent> recentEvents() {
        List<FlowEvent> newestFirst = new ArrayList<>(events);
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    synchronized List<FlowRecord> records() {
        return List.copyOf(records);
    }

    /**
     * Returns the first record that matches, waiting up to {@value #WAIT_MILLIS} ms, because a
     * call's record may follow its response by a moment.
     */
    synchronized FlowRecord await(String description, Predicate<FlowRecord> matches) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (true) {
            for (FlowRecord record : records) {
                if (matches.test(record)) {
                    return record;
                }
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new AssertionError("No flow record " + description + " within " + WAIT_MILLIS + " ms; records: "
                        + records);
            }
            wait(left);
        }
    }
}
