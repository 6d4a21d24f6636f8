package io.weft.manager.api.internal.fleet;

import java.util.Objects;

import org.slf4j.Logger;

import io.weft.manager.store.Node;
import io.weft.manager.store.StoredEnrollmentToken;

/**
 * The facts about one enrollment request that the log line of its rejection names: the client's
 * address and, as far as the request got, the node's id and full name and the token's id. It
 * never contains the token's secret. The service throws each rejection that it logs, so a
 * request gets at most one rejection line.
 */
final class EnrollmentAttempt {

    /** Maximum length of a logged reason, which may quote values from the request. */
    static final int MAX_REASON_CHARS = 300;

    private static final String REJECTED = "Enrollment: rejected the request for node {} with token {} from {}: {}";

    private final Logger log;
    private final String remoteAddress;
    private String nodeId;
    private String nodeName;
    private String tokenId;

    EnrollmentAttempt(Logger log, String remoteAddress) {
        this.log = Objects.requireNonNull(log, "log");
        this.remoteAddress = remoteAddress;
    }

    /** Records the node id that the token names, before the token is found in the store. */
    void claimedNodeId(String id) {
        nodeId = id;
    }

    void node(Node node) {
        nodeId = node.id();
        nodeName = node.fullName();
    }

    void token(StoredEnrollmentToken token) {
        tokenId = token.id();
        nodeId = token.nodeId();
    }

    /** Returns the node's full name, or null before the node record was found. */
    String nodeName() {
        return nodeName;
    }

    /**
     * Logs a rejection that no genuine token and working node produce, such as a forged or
     * malformed token or an invalid certificate signing request, at WARN, and returns it to throw.
     */
    <E extends RuntimeException> E warn(E rejection) {
        log.warn(REJECTED, node(), token(), client(), reason(rejection));
        return rejection;
    }

    /**
     * Logs a rejection of a genuine token that came too late, such as an expired or used token or
     * a revoked node, at INFO, and returns it to throw. These happen in normal operation, as when
     * a script runs twice, so they are not logged as warnings.
     */
    <E extends RuntimeException> E info(E rejection) {
        log.info(REJECTED, node(), token(), client(), reason(rejection));
        return rejection;
    }

    private String node() {
        if (nodeId == null) {
            return "unknown";
        }
        return nodeName == null ? "id " + nodeId : nodeName + " (id " + nodeId + ")";
    }

    private String token() {
        return tokenId == null ? "unknown" : tokenId;
    }

    private String client() {
        return remoteAddress == null ? "an unknown address" : remoteAddress;
    }

    /**
     * Returns the rejection's message on one line and shortened, because it may quote member
     * names and values of the request, which a client could fill with line breaks.
     */
    private static String reason(RuntimeException rejection) {
        String message = String.valueOf(rejection.getMessage());
        StringBuilder line = new StringBuilder(Math.min(message.length(), MAX_REASON_CHARS + 3));
        for (int i = 0; i < message.length() && i < MAX_REASON_CHARS; i++) {
            char c = message.charAt(i);
            line.append(Character.isISOControl(c) ? '?' : c);
        }
        if (message.length() > MAX_REASON_CHARS) {
            line.append("...");
        }
        return line.toString();
    }
}
