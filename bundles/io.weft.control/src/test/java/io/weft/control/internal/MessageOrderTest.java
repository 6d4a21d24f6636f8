package io.weft.control.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.control.ControlMessage;
import io.weft.control.DesiredState;
import io.weft.control.ErrorMessage;
import io.weft.control.FrameType.Sender;
import io.weft.control.Heartbeat;
import io.weft.control.Hello;
import io.weft.control.HelloAck;
import io.weft.control.StateAck;
import io.weft.control.Status;
import io.weft.control.VersionRange;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageOrderTest {

    private static final Hello HELLO = new Hello(VersionRange.of(1), "1.0.0", 0, 0);
    private static final HelloAck ACK = HelloAck.accept(1, 30);
    private static final ControlMessage STATUS = new Status("1.0.0", 1, 0, Map.of());
    private static final ControlMessage STATE = new DesiredState(1, new byte[] {1});
    private static final ControlMessage ERROR = new ErrorMessage("busy", "try later");

    @Test
    void managerExpectsHelloFirst() {
        assertThat(MessageOrder.violation(Sender.MANAGER, false, HELLO)).isEmpty();
        assertThat(MessageOrder.violation(Sender.MANAGER, false, STATUS))
                .contains("expected HELLO as the first message, but received STATUS");
        assertThat(MessageOrder.violation(Sender.MANAGER, false, new Heartbeat(1)))
                .contains("expected HELLO as the first message, but received HEARTBEAT");
    }

    @Test
    void managerRejectsSecondHello() {
        assertThat(MessageOrder.violation(Sender.MANAGER, true, HELLO)).contains("received a second HELLO");
    }

    @Test
    void managerRejectsManagerMessages() {
        assertThat(MessageOrder.violation(Sender.MANAGER, true, STATE)).contains("a node may not send DESIRED_STATE");
        assertThat(MessageOrder.violation(Sender.MANAGER, false, ACK)).contains("a node may not send HELLO_ACK");
    }

    @Test
    void nodeExpectsHelloAckFirst() {
        assertThat(MessageOrder.violation(Sender.NODE, false, ACK)).isEmpty();
        assertThat(MessageOrder.violation(Sender.NODE, false, STATE))
                .contains("expected HELLO_ACK as the first message, but received DESIRED_STATE");
        assertThat(MessageOrder.violation(Sender.NODE, true, ACK)).contains("received a second HELLO_ACK");
    }

    @Test
    void nodeRejectsNodeMessages() {
        assertThat(MessageOrder.violation(Sender.NODE, true, StateAck.applied(1)))
                .contains("a manager may not send STATE_ACK");
    }

    @Test
    void errorIsAllowedAtAnyTime() {
        assertThat(MessageOrder.violation(Sender.NODE, false, ERROR)).isEmpty();
        assertThat(MessageOrder.violation(Sender.MANAGER, false, ERROR)).isEmpty();
        assertThat(MessageOrder.violation(Sender.MANAGER, true, ERROR)).isEmpty();
    }

    @Test
    void acceptedMessagesAfterHello() {
        assertThat(MessageOrder.violation(Sender.MANAGER, true, STATUS)).isEmpty();
        assertThat(MessageOrder.violation(Sender.MANAGER, true, new Heartbeat(3))).isEmpty();
        assertThat(MessageOrder.violation(Sender.NODE, true, STATE)).isEmpty();
    }
}
