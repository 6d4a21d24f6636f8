package io.weft.node.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SseEventSinkTest {

    @Test
    void writesEventAndDataLines() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, Object> reading = new LinkedHashMap<>();
        reading.put("sequence", 1);
        reading.put("text", "two\nlines");

        boolean sent = new SseEventSink(out).send("reading", reading);

        assertThat(sent).isTrue();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("event: reading\ndata: {\"sequence\":1,\"text\":\"two\\nlines\"}\n\n");
    }

    @Test
    void writesEventsInOrder() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SseEventSink sink = new SseEventSink(out);

        sink.send("a", 1);
        sink.send("b", List.of(true, "x"));

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("event: a\ndata: 1\n\nevent: b\ndata: [true,\"x\"]\n\n");
    }

    @Test
    void heartbeatIsComment() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        new SseEventSink(out).heartbeat();

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(":\n\n");
    }

    @Test
    void rejectsInvalidEventName() {
        SseEventSink sink = new SseEventSink(new ByteArrayOutputStream());

        assertThatThrownBy(() -> sink.send("bad name\ndata: x", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid event name");
    }

    @Test
    void failedWriteClosesSink() {
        SseEventSink sink = new SseEventSink(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        });

        boolean sent = sink.send("reading", 1);

        assertThat(sent).isFalse();
        assertThat(sink.isOpen()).isFalse();
    }

    @Test
    void closedSinkDropsEvents() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SseEventSink sink = new SseEventSink(out);

        sink.close();

        assertThat(sink.send("reading", 1)).isFalse();
        assertThat(out.size()).isZero();
    }
}
