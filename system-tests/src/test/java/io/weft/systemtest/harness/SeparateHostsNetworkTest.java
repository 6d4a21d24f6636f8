package io.weft.systemtest.harness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeparateHostsNetworkTest {

    @Test
    void defaultRouteLeavesSubnetFree() {
        String routes = """
                default via 192.0.2.1 dev eth0
                unreachable default table 100
                """;

        assertThat(SeparateHostsNetwork.onlyDefaultRoutes(routes)).isTrue();
        assertThat(SeparateHostsNetwork.onlyDefaultRoutes("")).isTrue();
    }

    @Test
    void coveringRouteTakesSubnet() {
        String routes = """
                default via 192.0.2.1 dev eth0
                10.0.0.0/8 via 192.0.2.254 dev eth0
                """;

        assertThat(SeparateHostsNetwork.onlyDefaultRoutes(routes)).isFalse();
    }

    @Test
    void localAddressTakesSubnet() {
        String routes = "local 10.40.3.9 dev eth1 table local proto kernel scope host src 10.40.3.9\n";

        assertThat(SeparateHostsNetwork.onlyDefaultRoutes(routes)).isFalse();
    }

    @Test
    void linkNamesDropPeerSuffix() {
        String output = """
                1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default
                7: weft-1a2b-ma@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master weft-1a2b-br
                9: weft-1a2b-br: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP
                """;

        assertThat(SeparateHostsNetwork.linkNames(output)).containsExactly("lo", "weft-1a2b-ma", "weft-1a2b-br");
    }
}
