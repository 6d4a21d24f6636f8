package io.weft.mesh.internal;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.write.DefaultWriteRequest;
import org.apache.mina.core.write.WriteRequest;

/**
 * Encrypted TLS records on their way to the socket. When they finish a frame that the handler
 * wrote, they carry that frame's request: its future completes when the records are written,
 * and {@link TunnelTlsFilter} reports it as sent. Handshake messages, alerts and the first part
 * of a frame split by a renegotiation carry none.
 */
final class TlsRecordWrite extends DefaultWriteRequest {

    private final WriteRequest plaintext;

    TlsRecordWrite(IoBuffer records, WriteRequest plaintext) {
        super(records, plaintext == null ? null : plaintext.getFuture());
        this.plaintext = plaintext;
    }

    /** Returns the request of the frame that these records finish, or null. */
    WriteRequest plaintext() {
        return plaintext;
    }
}
