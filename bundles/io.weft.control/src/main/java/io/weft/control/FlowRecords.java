package io.weft.control;

import java.util.List;

/**
 * A batch of a node's flow records, oldest first. The manager stores them and replies with a
 * {@link FlowAck}. A node sends its next batch only after the acknowledgement, and sends the
 * same records again on a new session when none arrived.
 *
 * @param epoch         random number that the node agent draws when it starts. Sequence numbers
 *     start again at 1 with each start, so the manager identifies a record by node, epoch and sequence.
 * @param records       1 to {@value #MAX_RECORDS} records with increasing sequence numbers
 * @param droppedTotal  records that the node dropped since it started, because its buffer was full
 */
public record FlowRecords(long epoch, List<FlowRecord> records, long droppedTotal) implements ControlMessage {

    /**
     * Maximum number of records in one batch. A call record whose names have the maximum lengths
     * that the manager stores takes 2,346 bytes of JSON, so a full batch of about 917 KiB stays
     * below the default 1 MiB frame limit, as a codec test checks.
     */
    public static final int MAX_RECORDS = 400;

    public FlowRecords {
        Require.positive(epoch, "epoch");
        Require.present(records, "records");
        Require.notNegative(droppedTotal, "droppedTotal");
        if (records.isEmpty() || records.size() > MAX_RECORDS) {
            throw new IllegalArgumentException("records has " + records.size() + " entries, but a batch has 1 to "
                    + MAX_RECORDS);
        }
        try {
            records = List.copyOf(records);
        } catch (NullPointerException e) {
            throw new IllegalArgumentException("records must not contain null", e);
        }
        for (int i = 1; i < records.size(); i++) {
            if (records.get(i).sequence() <= records.get(i - 1).sequence()) {
                throw new IllegalArgumentException("records must have increasing sequence numbers, but "
                        + records.get(i).sequence() + " follows " + records.get(i - 1).sequence());
            }
        }
    }

    /** Returns the sequence number of the last record, which the {@link FlowAck} repeats. */
    public long lastSequence() {
        return records.get(records.size() - 1).sequence();
    }

    @Override
    public FrameType type() {
        return FrameType.FLOW_RECORDS;
    }
}
