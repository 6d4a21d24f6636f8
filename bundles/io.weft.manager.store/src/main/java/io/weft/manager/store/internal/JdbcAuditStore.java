package io.weft.manager.store.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

import io.weft.manager.audit.AuditAnchor;
import io.weft.manager.audit.AuditChain;
import io.weft.manager.audit.AuditEntry;
import io.weft.manager.audit.AuditEvent;
import io.weft.manager.store.AuditQuery;
import io.weft.manager.store.AuditStore;
import io.weft.manager.store.Page;
import io.weft.manager.store.StoreException;

/**
 * {@link AuditStore} on a JDBC database whose schema the migrations created. An append locks
 * the audit table, reads the head, and inserts the entry that {@link AuditChain#append} builds,
 * all in one transaction.
 */
final class JdbcAuditStore implements AuditStore {

    /** Number of entries that {@link #entries()} reads per transaction. */
    static final int EXPORT_PAGE_SIZE = 500;

    private final ConnectionPool pool;
    private final Clock clock;

    JdbcAuditStore(ConnectionPool pool, Clock clock) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public AuditEntry append(AuditEvent event) {
        Objects.requireNonNull(event, "event");

        return transaction("append audit entry '" + event.action() + "' on '" + event.target() + "'", connection -> {
            AuditTable.lock(connection);
            AuditEntry entry = AuditChain.append(AuditTable.head(connection), clock.instant(), event);
            try {
                AuditTable.insert(connection, entry);
            } catch (SQLException e) {
                if (SqlStates.isUniqueViolation(e)) {
                    throw new StoreException("Failed to append audit entry " + entry.sequence() + ": another writer"
                            + " appended that entry without the table lock; the log was not changed", e);
                }
                throw e;
            }
            return entry;
        });
    }

    @Override
    public AuditAnchor head() {
        return transaction("read the audit log head", AuditTable::head);
    }

    @Override
    public Page<AuditEntry> listEntries(AuditQuery query) {
        Objects.requireNonNull(query, "query");
        Long after = query.after().map(JdbcAuditStore::parseCursor).orElse(null);

        List<AuditEntry> rows = transaction("list audit entries", connection -> AuditTable.list(connection, query, after));
        if (rows.size() <= query.limit()) {
            return new Page<>(rows, Optional.empty());
        }
        List<AuditEntry> items = rows.subList(0, query.limit());
        return new Page<>(items, Optional.of(Long.toString(items.get(query.limit() - 1).sequence())));
    }

    @Override
    public Iterable<AuditEntry> entries() {
        return () -> new PagingIterator(this);
    }

    private static long parseCursor(String cursor) {
        try {
            return Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid audit cursor '" + cursor
                    + "': expected the sequence number from the previous page's nextCursor", e);
        }
    }

    private <T> T transaction(String operation, ConnectionPool.Work<T> work) {
        try {
            return pool.inTransaction(work);
        } catch (SQLException e) {
            throw new StoreException("Failed to " + operation + ": " + e.getMessage() + " (SQL state "
                    + e.getSQLState() + ")", e);
        }
    }

    /** Iterates over the whole log, oldest first, one page of {@value #EXPORT_PAGE_SIZE} entries at a time. */
    private static final class PagingIterator implements Iterator<AuditEntry> {

        private final AuditStore store;
        private Iterator<AuditEntry> page = List.<AuditEntry>of().iterator();
        private Optional<String> nextCursor = Optional.empty();
        private boolean started;

        PagingIterator(AuditStore store) {
            this.store = store;
        }

        @Override
        public boolean hasNext() {
            while (!page.hasNext() && (!started || nextCursor.isPresent())) {
                AuditQuery query = AuditQuery.all().withLimit(EXPORT_PAGE_SIZE);
                Page<AuditEntry> fetched = store.listEntries(nextCursor.map(query::after).orElse(query));
                started = true;
                page = fetched.items().iterator();
                nextCursor = fetched.nextCursor();
            }
            return page.hasNext();
        }

        @Override
        public AuditEntry next() {
            if (!hasNext()) {
                throw new NoSuchElementException("No audit entry follows");
            }
            return page.next();
        }
    }
}
