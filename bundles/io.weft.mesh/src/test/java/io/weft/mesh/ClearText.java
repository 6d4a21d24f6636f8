package io.weft.mesh;

/** Payloads that show up if a relay could read them, and a search for them in relayed bytes. */
final class ClearText {

    private ClearText() {
    }

    /** Returns bytes that repeat a readable pattern, so any piece of them would be found in clear text. */
    static byte[] recognizablePayload(int length) {
        byte[] pattern = "weft end-to-end payload 0123456789 ".getBytes();
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = pattern[i % pattern.length];
        }
        return payload;
    }

    static byte[] slice(byte[] bytes, int from, int length) {
        byte[] piece = new byte[length];
        System.arraycopy(bytes, from, piece, 0, length);
        return piece;
    }

    /** Returns the first position of {@code needle} in {@code haystack}, or -1. */
    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
