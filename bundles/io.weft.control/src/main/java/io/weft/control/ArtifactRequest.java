package io.weft.control;

import java.util.regex.Pattern;

/**
 * Node's request for one range of an artifact that its desired state names, such as an app
 * bundle. The manager replies with one {@link ArtifactChunk}, or with an {@link ErrorMessage}
 * of code {@value #NOT_AVAILABLE} that names the digest. The node requests the next range
 * only after it received the previous one, which is the flow control of downloads.
 *
 * @param sha256 the artifact's SHA-256 as 64 lower-case hex digits
 * @param offset the first byte of the range
 * @param length the number of bytes, 1 to {@value #MAX_CHUNK_BYTES}
 */
public record ArtifactRequest(String sha256, long offset, int length) implements ControlMessage {

    /** Largest range of one request, in bytes: a quarter of the default frame payload limit. */
    public static final int MAX_CHUNK_BYTES = 256 * 1024;

    /** Code of the ERROR that rejects a request for an artifact that the node may not download. */
    public static final String NOT_AVAILABLE = "artifact-not-available";

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public ArtifactRequest {
        requireSha256(sha256);
        Require.notNegative(offset, "offset");
        if (length < 1 || length > MAX_CHUNK_BYTES) {
            throw new IllegalArgumentException("length " + length + " is invalid: request 1 to " + MAX_CHUNK_BYTES
                    + " bytes");
        }
    }

    static void requireSha256(String sha256) {
        Require.text(sha256, "sha256");
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 '" + sha256 + "' is invalid: expected 64 lower-case hex digits");
        }
    }

    @Override
    public FrameType type() {
        return FrameType.ARTIFACT_REQUEST;
    }
}
