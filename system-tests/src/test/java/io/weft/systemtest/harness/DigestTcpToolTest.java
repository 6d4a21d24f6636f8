package io.weft.systemtest.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class DigestTcpToolTest {

    @Test
    void payloadIsSameForSameSeed() {
        byte[] first = DigestTcpTool.payload(200_000, 42);
        byte[] second = DigestTcpTool.payload(200_000, 42);
        byte[] other = DigestTcpTool.payload(200_000, 43);

        assertThat(first).hasSize(200_000).isEqualTo(second);
        assertThat(other).isNotEqualTo(first);
        assertThat(DigestTcpTool.sha256Hex(new byte[0]))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void sendReturnsServerSha256() {
        Duration timeout = Duration.ofSeconds(60);
        String expected = DigestTcpTool.sha256Hex(DigestTcpTool.payload(300_000, 5));
        try (ToolProcess server = ToolProcess.start("digest server", DigestTcpTool.command(List.of(), "serve",
                "127.0.0.1", "0"))) {
            String port = server.awaitLine("listening ", timeout).substring("listening ".length());

            try (ToolProcess client = ToolProcess.start("digest client", DigestTcpTool.command(List.of(), "send",
                    "127.0.0.1", port, "300000", "5"))) {
                assertThat(client.awaitLine("returned ", timeout)).isEqualTo("returned " + expected);
                assertThat(client.awaitLine("sent ", timeout)).isEqualTo("sent 300000 " + expected);
            }
            assertThat(server.awaitLine("received ", timeout)).isEqualTo("received 300000 " + expected);
        }
    }

    @Test
    void connectReportsRefusedPort() {
        int closedPort = FreePorts.allocate();

        try (ToolProcess probe = ToolProcess.start("connection probe", DigestTcpTool.command(List.of(), "connect",
                "127.0.0.1", String.valueOf(closedPort), "2000"))) {
            assertThat(probe.awaitLine("failed", Duration.ofSeconds(60))).contains("Connection refused");
        }
    }
}
