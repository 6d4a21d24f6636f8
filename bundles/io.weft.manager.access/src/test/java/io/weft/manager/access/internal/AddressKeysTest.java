package io.weft.manager.access.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressKeysTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "192.0.2.10                   | 192.0.2.10",
        "2001:db8:0:7::1              | ipv6:20010db800000007/64",
        "2001:DB8:0:7:ffff:ffff:1:2   | ipv6:20010db800000007/64",
        "[2001:db8:0:7::1]            | ipv6:20010db800000007/64",
        "fe80::1%eth0                 | ipv6:fe80000000000000/64",
        "::1                          | ipv6:0000000000000000/64",
        "::ffff:192.0.2.10            | 192.0.2.10",
        "abc:def                      | abc:def",
        "Client.Example               | client.example",
    })
    void keyForAddress(String address, String key) {
        assertThat(AddressKeys.keyFor(address)).isEqualTo(key);
    }

    @ParameterizedTest
    @CsvSource({"300", "100000"})
    void keyForCutsLongText(int length) {
        assertThat(AddressKeys.keyFor("a".repeat(length))).hasSize(AddressKeys.MAX_OTHER_LENGTH);
    }
}
