package io.weft.node.agent.internal;

import java.time.Instant;

/**
 * A completed enrollment.
 *
 * @param nodeId            the node's id
 * @param nodeName          the node's full name
 * @param certificateSerial the new certificate's serial, lower-case hexadecimal
 * @param notAfter          when the new certificate expires
 * @param controlAddress    the manager's control address that the node connects to
 */
public record EnrollmentResult(String nodeId, String nodeName, String certificateSerial, Instant notAfter,
        String controlAddress) {
}
