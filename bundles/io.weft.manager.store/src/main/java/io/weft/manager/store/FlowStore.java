package io.weft.manager.store;

import java.time.Instant;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The flow records that nodes report for their mesh streams and Edge API calls. Each method runs in its own
 * transaction. Database failures raise {@link StoreException}.
 */
@ProviderType
public interface FlowStore {

    /**
     * Stores the records that are not stored yet, identified by reporter, epoch and sequence,
     * so a batch that a node sends again is stored once.
     *
     * @param flows records whose {@link StoredFlow#id()} and {@link StoredFlow#recordedAt()} the store replaces
     * @return the number of records stored by this call
     */
    int appendFlows(List<StoredFlow> flows);

    /** Returns one page of records, newest first. */
    Page<StoredFlow> listFlows(FlowQuery query);

    /**
     * Deletes the records stored before {@code cutoff}, and the oldest ones beyond the newest
     * {@code maxRecords}.
     *
     * @return the number of deleted records
     */
    int pruneFlows(Instant cutoff, long maxRecords);
}
