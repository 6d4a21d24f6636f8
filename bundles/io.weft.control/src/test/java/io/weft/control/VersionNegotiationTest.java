package io.weft.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VersionNegotiationTest {

    @ParameterizedTest(name = "node {0}..{1}, manager {2}..{3} -> {4}")
    @CsvSource({
        "1, 1, 1, 1, 1",
        "1, 3, 1, 3, 3",
        "1, 3, 2, 5, 3",
        "2, 5, 1, 3, 3",
        "1, 5, 3, 3, 3",
        "3, 3, 1, 5, 3",
        "1, 2, 2, 2, 2",
        "4, 9, 1, 4, 4",
    })
    void acceptsHighestCommonVersion(int nodeMin, int nodeMax, int managerMin, int managerMax, int expected) {
        Hello hello = new Hello(new VersionRange(nodeMin, nodeMax), "1.0.0", 0, 0);

        HelloAck ack = HelloAck.negotiate(new VersionRange(managerMin, managerMax), hello, 30);

        assertThat(ack.accepted()).isTrue();
        assertThat(ack.protocolVersion()).isEqualTo(expected);
        assertThat(ack.heartbeatIntervalSeconds()).isEqualTo(30);
        assertThat(ack.reason()).isNull();
    }

    @ParameterizedTest(name = "node {0}..{1}, manager {2}..{3}")
    @CsvSource(delimiter = '|', value = {
        "1 | 1 | 2 | 2 | The node supports version 1 and the manager supports version 2",
        "1 | 2 | 3 | 4 | The node supports versions 1 to 2 and the manager supports versions 3 to 4",
        "5 | 7 | 1 | 4 | The node supports versions 5 to 7 and the manager supports versions 1 to 4",
    })
    void rejectsDisjointRanges(int nodeMin, int nodeMax, int managerMin, int managerMax, String expected) {
        Hello hello = new Hello(new VersionRange(nodeMin, nodeMax), "1.0.0", 0, 0);

        HelloAck ack = HelloAck.negotiate(new VersionRange(managerMin, managerMax), hello, 30);

        assertThat(ack.accepted()).isFalse();
        assertThat(ack.protocolVersion()).isZero();
        assertThat(ack.heartbeatIntervalSeconds()).isZero();
        assertThat(ack.reason()).isEqualTo("No common control protocol version: t" + expected.substring(1)
                + ". Upgrade the older side.");
    }

    @ParameterizedTest(name = "min {0}, max {1}")
    @CsvSource(delimiter = '|', value = {
        "0 | 1 | min must be at least 1, but is 0",
        "3 | 2 | max (2) must not be lower than min (3)",
    })
    void rejectsInvalidRange(int min, int max, String message) {
        assertThatThrownBy(() -> new VersionRange(min, max))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
