package io.weft.node.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ChunkedInputStreamTest {

    @Test
    void chunksAreJoined() throws IOException {
        String encoded = "5\r\nevent\r\n7;name=value\r\n: data\n\r\n0\r\nTrailer: dropped\r\n\r\nafter";

        assertThat(decode(encoded)).isEqualTo("event: data\n");
    }

    @Test
    void readStopsWithinChunk() throws IOException {
        InputStream chunked = new ChunkedInputStream(stream("a\r\n0123456789\r\n0\r\n\r\n"));
        byte[] buffer = new byte[4];

        assertThat(chunked.read(buffer)).isEqualTo(4);
        assertThat(new String(buffer, StandardCharsets.US_ASCII)).isEqualTo("0123");
        assertThat(new String(chunked.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("456789");
        assertThat(chunked.read()).isEqualTo(-1);
    }

    @Test
    void invalidSizeIsRejected() {
        assertThatThrownBy(() -> decode("zz\r\nabc\r\n")).isInstanceOf(IOException.class)
                .hasMessageContaining("Invalid chunk size 'zz'");
        assertThatThrownBy(() -> decode("7fffffff\r\n")).isInstanceOf(IOException.class)
                .hasMessageContaining("expected 0 to " + ChunkedInputStream.MAX_CHUNK_BYTES);
    }

    @Test
    void truncatedChunkIsRejected() {
        assertThatThrownBy(() -> decode("a\r\n01234")).isInstanceOf(IOException.class)
                .hasMessageContaining("ended within a chunk");
        assertThatThrownBy(() -> decode("3\r\nabcX\r\n")).isInstanceOf(IOException.class)
                .hasMessageContaining("does not end with CRLF");
    }

    private static String decode(String encoded) throws IOException {
        return new String(new ChunkedInputStream(stream(encoded)).readAllBytes(), StandardCharsets.US_ASCII);
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }
}
