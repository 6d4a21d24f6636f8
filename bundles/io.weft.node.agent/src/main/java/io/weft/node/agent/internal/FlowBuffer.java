package io.weft.node.agent.internal;

import io.weft.control.FlowRecord;
import io.weft.node.agent.api.FlowEvent;
import io.weft.node.agent.api.FlowRecordSink;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The bounded buffer of flow records not yet acknowledged by the manager, oldest first. A
 * record gets its sequence number when it enters. When the buffer is full the oldest record
 * is dropped, even one that is in a batch on its way, and counted. Thread-safe.
 */
final class FlowBuffer {

    private final int capacity;
    private final ArrayDeque<FlowRecord> records = new ArrayDeque<>();
    /** The latest events, oldest first, kept after the manager acknowledged them, for {@code weft:flows}. */
    private final ArrayDeque<FlowEvent> recent = new ArrayDeque<>();
    private long nextSequence = 1;
    private long dropped;
    private long acknowledged;

    FlowBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("Invalid flow buffer capacity " + capacity + ": expected at least 1");
        }
        this.capacity = capacity;
    }

    synchronized void add(FlowEvent event) {
        if (records.size() == capacity) {
            records.poll();
            dropped++;
        }
        records.add(event.toRecord(nextSequence++));
        if (recent.size() == FlowRecordSink.RECENT_EVENTS) {
            recent.poll();
        }
        recent.add(event);
    }

    /** Returns the latest events, newest first. */
    synchronized List<FlowEvent> recent() {
        List<FlowEvent> newestFirst = new ArrayList<>(recent);
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /** Returns up to {@code max} of the oldest records, without removing them. */
    synchronized List<FlowRecord> oldest(int max) {
        List<FlowRecord> batch = new ArrayList<>(Math.min(max, records.size()));
        Iterator<FlowRecord> iterator = records.iterator();
        while (batch.size() < max && iterator.hasNext()) {
            batch.add(iterator.next());
        }
        return batch;
    }

    /** Removes the records up to and including {@code lastSequence}, which the manager stored. */
    synchronized void acknowledge(long lastSequence) {
        while (!records.isEmpty() && records.peek().sequence() <= lastSequence) {
            records.poll();
            acknowledged++;
        }
    }

    synchronized long dropped() {
        return dropped;
    }

    synchronized boolean isEmpty() {
        return records.isEmpty();
    }

    synchronized FlowRecordSink.Status status() {
        return new FlowRecordSink.Status(records.size(), capacity, dropped, acknowledged);
    }
}
