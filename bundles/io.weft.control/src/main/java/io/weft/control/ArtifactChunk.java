package io.weft.control;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Manager's reply to an {@link ArtifactRequest}: the bytes of the requested range, fewer at
 * the end of the artifact. It travels as a binary payload: the 32-byte SHA-256, the offset
 * and the artifact's total size as 8-byte big-endian integers, then the data.
 *
 * @param sha256    the artifact's SHA-256 as 64 lower-case hex digits
 * @param offset    position of the first data byte in the artifact
 * @param totalSize the artifact's size in bytes
 * @param data      the bytes, at most {@link ArtifactRequest#MAX_CHUNK_BYTES}; copied
 */
public record ArtifactChunk(String sha256, long offset, long totalSize, byte[] data) implements ControlMessage {

    public ArtifactChunk {
        ArtifactRequest.requireSha256(sha256);
        Require.notNegative(offset, "offset");
        Require.notNegative(totalSize, "totalSize");
        Require.present(data, "data");
        if (data.length > ArtifactRequest.MAX_CHUNK_BYTES) {
            throw new IllegalArgumentException("data has " + data.length + " bytes, more than the maximum of "
                    + ArtifactRequest.MAX_CHUNK_BYTES);
        }
        if (offset + data.length > totalSize) {
            throw new IllegalArgumentException("the chunk ends at byte " + (offset + data.length)
                    + ", after the artifact's end at " + totalSize);
        }
        data = data.clone();
    }

    /** Returns a copy of the data. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** Returns the SHA-256 as its 32 bytes. */
    public byte[] sha256Bytes() {
        return HexFormat.of().parseHex(sha256);
    }

    @Override
    public FrameType type() {
        return FrameType.ARTIFACT_CHUNK;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ArtifactChunk chunk && sha256.equals(chunk.sha256) && offset == chunk.offset
                && totalSize == chunk.totalSize && Arrays.equals(data, chunk.data);
    }

    @Override
    public int hashCode() {
        return 31 * sha256.hashCode() + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "ArtifactChunk[sha256=" + sha256 + ", offset=" + offset + ", totalSize=" + totalSize + ", bytes="
                + data.length + "]";
    }
}
