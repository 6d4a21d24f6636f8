package io.weft.systemtest.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ListeningSocketsTest {

    @BeforeEach
    void requireLittleEndianHost() {
        // The samples below are what an x86-64 or little-endian ARM kernel prints.
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "samples are in little-endian word order");
    }

    @ParameterizedTest
    @CsvSource({
        "0100007F:1F90, 127.0.0.1, 8080, true",
        "0101007F:0016, 127.0.1.1, 22, true",
        "00000000:1F90, 0.0.0.0, 8080, false",
        "0100A8C0:01BB, 192.168.0.1, 443, false",
        "00000000000000000000000001000000:1F90, 0:0:0:0:0:0:0:1, 8080, true",
        "00000000000000000000000000000000:1F90, 0:0:0:0:0:0:0:0, 8080, false",
        "0000000000000000FFFF00000100007F:2002, 127.0.0.1, 8194, true",
        "0000000000000000FFFF00000100A8C0:2002, 192.168.0.1, 8194, false",
    })
    void addressParsedAndClassified(String hex, String address, int port, boolean loopback) {
        InetSocketAddress parsed = ListeningSockets.parseAddress(hex);

        assertThat(parsed.getAddress().getHostAddress()).as("address of %s", hex).isEqualTo(address);
        assertThat(parsed.getPort()).as("port of %s", hex).isEqualTo(port);
        assertThat(new ListeningSocket(1, parsed.getAddress(), port, 1).isLoopback())
                .as("loopback of %s", hex).isEqualTo(loopback);
    }

    @Test
    void mappedAddressBecomesIpv4() {
        InetSocketAddress parsed = ListeningSockets.parseAddress("0000000000000000FFFF00000100007F:2002");

        assertThat(parsed.getAddress()).isInstanceOf(Inet4Address.class);
    }

    @Test
    void onlyListeningEntriesReturned() {
        List<String> lines = List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 "
                        + "0000000000000000 100 0 0 10 0",
                "   1: 0100007F:1F90 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 "
                        + "0000000000000000 20 4 30 10 -1");

        Map<Long, InetSocketAddress> listening = ListeningSockets.parseListening(lines);

        assertThat(listening).containsOnlyKeys(4242L);
        assertThat(listening.get(4242L).getPort()).isEqualTo(8080);
    }

    @Test
    void emptyTableParsed() {
        assertThat(ListeningSockets.parseListening(List.of())).isEmpty();
    }
}
