package io.weft.manager.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds audit logs for tests and tampers with them the way an attacker with database access could. */
final class AuditLogs {

    static final Instant START = Instant.parse("2026-03-01T10:00:00.123456Z");

    private AuditLogs() {
    }

    /** Returns a valid log of {@code size} entries, one second apart. */
    static List<AuditEntry> log(int size) {
        List<AuditEntry> entries = new ArrayList<>();
        AuditAnchor head = AuditAnchor.GENESIS;
        for (int i = 1; i <= size; i++) {
            AuditEntry entry = AuditChain.append(head, START.plus(Duration.ofSeconds(i)), event(i));
            entries.add(entry);
            head = entry.anchor();
        }
        return entries;
    }

    static AuditEvent event(int i) {
        String before = i == 1 ? null : "{\"name\":\"gw" + i + "\",\"tags\":[\"v" + (i - 1) + "\"]}";
        String after = "{\"name\":\"gw" + i + "\",\"tags\":[\"v" + i + "\"]}";
        return new AuditEvent("alice", "192.0.2." + i, i == 1 ? "node.create" : "node.update",
                "gw" + i + ".east.acme.example", before, after);
    }

    /** Returns the entries from {@code from} on, appended again after {@code head} with fresh hashes and numbers. */
    static List<AuditEntry> rechain(AuditAnchor head, List<AuditEntry> from) {
        List<AuditEntry> rewritten = new ArrayList<>();
        for (AuditEntry entry : from) {
            AuditEntry appended = AuditChain.append(head, entry.time(), new AuditEvent(entry.actor(),
                    entry.remoteAddress(), entry.action(), entry.target(), entry.before(), entry.after()));
            rewritten.add(appended);
            head = appended.anchor();
        }
        return rewritten;
    }

    static AuditEntry withHash(AuditEntry e, String hash) {
        return new AuditEntry(e.sequence(), e.time(), e.actor(), e.remoteAddress(), e.action(), e.target(), e.before(),
                e.after(), e.previousHash(), hash);
    }

    /** Returns the entry with its own hash computed again, as an attacker who read the format's definition could. */
    static AuditEntry rehashed(AuditEntry e) {
        return withHash(e, AuditHash.compute(e));
    }
}
