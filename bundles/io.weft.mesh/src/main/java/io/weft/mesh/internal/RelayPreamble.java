package io.weft.mesh.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The first bytes of a relayed connection: a magic of 8 bytes and a ticket of 32 random bytes
 * that the gateway issued. The magic starts with 'W', which no TLS record type has, so a
 * gateway distinguishes a relayed connection from a tunnel by the first byte. Tickets travel inside
 * the TLS tunnels as base64url text without padding.
 */
public final class RelayPreamble {

    /** Magic of version 1 of the relay preamble. */
    static final byte[] MAGIC = "WEFTRLY1".getBytes(StandardCharsets.US_ASCII);
    static final int TICKET_BYTES = 32;
    /** Length of the preamble on the wire. */
    static final int LENGTH = MAGIC.length + TICKET_BYTES;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private RelayPreamble() {
    }

    /** Returns a new random ticket as text. */
    static String newTicket(SecureRandom random) {
        byte[] ticket = new byte[TICKET_BYTES];
        random.nextBytes(ticket);
        return ENCODER.encodeToString(ticket);
    }

    /**
     * Returns the preamble that presents {@code ticket}.
     *
     * @throws IllegalArgumentException when {@code ticket} is not the base64url text of 32 bytes
     */
    public static byte[] encode(String ticket) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(ticket);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid relay ticket: it is not base64url text", e);
        }
        if (raw.length != TICKET_BYTES) {
            throw new IllegalArgumentException("Invalid relay ticket: it has " + raw.length + " bytes, expected "
                    + TICKET_BYTES);
        }
        byte[] preamble = Arrays.copyOf(MAGIC, LENGTH);
        System.arraycopy(raw, 0, preamble, MAGIC.length, TICKET_BYTES);
        return preamble;
    }

    /** Returns true when {@code first}, a connection's first byte, starts a relay preamble. */
    static boolean startsPreamble(byte first) {
        return first == MAGIC[0];
    }

    /** Returns true when the bytes of {@code partial} so far, from position 0, agree with the magic. */
    static boolean startsLikeMagic(ByteBuffer partial) {
        int checked = Math.min(partial.position(), MAGIC.length);
        for (int i = 0; i < checked; i++) {
            if (partial.get(i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns the ticket of a complete preamble, or null when its magic is wrong.
     *
     * @param preamble exactly {@link #LENGTH} bytes, from position 0
     */
    static String ticketOf(ByteBuffer preamble) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (preamble.get(i) != MAGIC[i]) {
                return null;
            }
        }
        byte[] raw = new byte[TICKET_BYTES];
        preamble.get(MAGIC.length, raw);
        return ENCODER.encodeToString(raw);
    }
}
