package io.weft.node.mesh.internal.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import io.weft.control.FlowRecord;
import io.weft.node.agent.api.FlowEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class MeshCommandsTest {

    private static final MeshStatus.TunnelStatus TUNNEL_TO_GATEWAY = new MeshStatus.TunnelStatus(
            "gw1.east.acme.example", "node-7f3a", true, true, 2, Optional.of(Duration.ofMillis(3)), Optional.empty());
    private static final MeshStatus.TunnelStatus TUNNEL_FROM_EDGE = new MeshStatus.TunnelStatus(
            "edge-b.east.acme.example", "node-9c1d", false, false, 0, Optional.empty(), Optional.empty());
    private static final MeshStatus.TunnelStatus SESSION_WITH_EDGE = new MeshStatus.TunnelStatus(
            "edge-c.east.acme.example", "node-41be", true, true, 1, Optional.of(Duration.ofMillis(5)),
            Optional.of("gw1.east.acme.example"));

    @Test
    void tunnelsUnformattedOneLinePerTunnel() {
        String output = print(out -> TunnelsCommand.print(Optional.of("edge-a.east.acme.example"),
                List.of(TUNNEL_TO_GATEWAY, TUNNEL_FROM_EDGE, SESSION_WITH_EDGE), List.of(), false, out));

        assertThat(fields(output)).containsExactly(
                List.of("gw1.east.acme.example", "node-7f3a", "dialled", "open", "2", "3", "-"),
                List.of("edge-b.east.acme.example", "node-9c1d", "accepted", "closing", "0", "-", "-"),
                List.of("edge-c.east.acme.example", "node-41be", "dialled", "open", "1", "5", "gw1.east.acme.example"));
    }

    @Test
    void tunnelsFormattedHasHeaders() {
        String output = print(out -> TunnelsCommand.print(Optional.of("edge-a.east.acme.example"),
                List.of(TUNNEL_TO_GATEWAY), List.of(), true, out));

        assertThat(output.lines().findFirst()).hasValueSatisfying(header -> assertThat(header)
                .contains("Peer").contains("Node ID").contains("Direction").contains("Streams").contains("RTT (ms)")
                .contains("Via"));
        assertThat(output).contains("gw1.east.acme.example").contains("dialled");
    }

    @Test
    void tunnelsEmptyTable() {
        String output = print(out -> TunnelsCommand.print(Optional.of("edge-a.east.acme.example"), List.of(),
                List.of(), true, out));

        assertThat(output).contains("No tunnels");
    }

    @Test
    void tunnelsOfGatewayListItsSplices() {
        MeshStatus.SpliceStatus splice = new MeshStatus.SpliceStatus("edge-a.east.acme.example",
                "edge-b.east.acme.example", Duration.ofSeconds(75), 4_194_304);

        String output = print(out -> TunnelsCommand.print(Optional.of("gw1.east.acme.example"),
                List.of(TUNNEL_FROM_EDGE), List.of(splice), false, out));

        assertThat(output).contains("Relayed tunnels that this gateway splices:");
        assertThat(fields(output)).contains(List.of("edge-a.east.acme.example", "edge-b.east.acme.example", "75",
                "4194304"));
    }

    @Test
    void tunnelsWithoutRunningMesh() {
        String output = print(out -> TunnelsCommand.print(Optional.empty(), List.of(), List.of(), true, out));

        assertThat(output).isEqualTo(TunnelsCommand.NOT_RUNNING + "\n");
    }

    @Test
    void servicesUnformatted() {
        String output = print(out -> ServicesCommand.print(
                List.of(new MeshStatus.ServiceStatus("echo", "127.0.0.1", 7000)), false, out));

        assertThat(fields(output)).containsExactly(List.of("echo", "127.0.0.1", "7000"));
    }

    @Test
    void servicesEmptyTable() {
        assertThat(print(out -> ServicesCommand.print(List.of(), true, out))).contains("No services");
    }

    @Test
    void connectorsUnformatted() {
        String output = print(out -> ConnectorsCommand.print(List.of(new MeshStatus.ConnectorStatus("echo",
                "127.0.0.1:7100", "echo", "edge-b.east.acme.example", 7000)), false, out));

        assertThat(fields(output)).containsExactly(
                List.of("echo", "127.0.0.1:7100", "echo", "edge-b.east.acme.example", "7000"));
    }

    @Test
    void connectorsEmptyTable() {
        assertThat(print(out -> ConnectorsCommand.print(List.of(), true, out))).contains("No connectors");
    }

    @Test
    void flowsUnformattedNewestFirst() {
        FlowEvent closed = new FlowEvent(FlowRecord.Event.CLOSED, FlowRecord.End.SOURCE, "edge-a.east.acme.example",
                "edge-b.east.acme.example", "echo", 7000, "allow-echo", Instant.parse("2026-01-31T12:00:00Z"),
                Duration.ofMillis(1500), 1024, 32);
        FlowEvent denied = new FlowEvent(FlowRecord.Event.DENIED, FlowRecord.End.SOURCE, "edge-a.east.acme.example",
                "edge-b.east.acme.example", "ssh", 22, null, Instant.parse("2026-01-31T12:01:00Z"), Duration.ZERO,
                0, 0);

        String output = print(out -> FlowsCommand.print(Optional.empty(), List.of(denied, closed), false, out));

        assertThat(fields(output)).containsExactly(
                List.of("2026-01-31T12:01:00Z", "denied", "source", "edge-a.east.acme.example",
                        "edge-b.east.acme.example", "ssh:22", "-", "-", "-", "0", "0", "0"),
                List.of("2026-01-31T12:00:00Z", "closed", "source", "edge-a.east.acme.example",
                        "edge-b.east.acme.example", "echo:7000", "-", "-", "allow-echo", "1024", "32", "1500"));
    }

    @Test
    void flowsShowCallRecords() {
        FlowEvent forwarded = new FlowEvent(FlowRecord.Event.CLOSED, FlowRecord.End.DESTINATION,
                "edge-a.east.acme.example", "edge-b.east.acme.example", "edge-api", 0, "allow-readings",
                Instant.parse("2026-01-31T12:02:00Z"), Duration.ofMillis(40), 12, 345,
                new FlowEvent.Call("sensor-feed", "readings", "client:hello-client", "edge-a.east.acme.example", 200));
        FlowEvent unauthenticated = new FlowEvent(FlowRecord.Event.DENIED, FlowRecord.End.DESTINATION,
                "edge-b.east.acme.example", "edge-b.east.acme.example", "edge-api", 0, null,
                Instant.parse("2026-01-31T12:03:00Z"), Duration.ofMillis(2), 0, 0,
                new FlowEvent.Call("hello", "greet", null, null, 401));

        String output = print(out -> FlowsCommand.print(Optional.empty(), List.of(unauthenticated, forwarded), false,
                out));

        assertThat(fields(output)).containsExactly(
                List.of("2026-01-31T12:03:00Z", "denied", "destination", "edge-b.east.acme.example",
                        "edge-b.east.acme.example", "hello/greet", "unauthenticated", "401", "-", "0", "0", "2"),
                List.of("2026-01-31T12:02:00Z", "closed", "destination", "edge-a.east.acme.example",
                        "edge-b.east.acme.example", "sensor-feed/readings",
                        "client:hello-client via node:edge-a.east.acme.example", "200", "allow-readings", "12", "345",
                        "40"));
    }

    @Test
    void flowsFormattedShowsBuffer() {
        String output = print(out -> FlowsCommand.print(Optional.of(new MeshStatus.FlowBufferStatus(3, 10_000, 2,
                40)), List.of(), true, out));

        assertThat(output).startsWith("Flow records: 3 of at most 10000 wait for the manager, 40 acknowledged, 2"
                + " dropped because the buffer was full").contains("No flows");
    }

    @Test
    void flowsWithoutAgentBuffer() {
        String output = print(out -> FlowsCommand.print(Optional.empty(), List.of(), true, out));

        assertThat(output).startsWith(FlowsCommand.NO_BUFFER);
    }

    /** Splits unformatted output into lines and tab-separated fields. Karaf's table still pads each field. */
    private static List<List<String>> fields(String output) {
        return output.lines().map(line -> Arrays.stream(line.split("\t")).map(String::strip).toList()).toList();
    }

    private static String print(Consumer<PrintStream> command) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            command.accept(out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
