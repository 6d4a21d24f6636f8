package io.weft.control.internal;

import io.weft.control.ControlMessage;
import io.weft.control.FrameType;
import io.weft.control.FrameType.Sender;
import java.util.Locale;
import java.util.Optional;

/**
 * Rules for which messages a side may receive: only types that its peer may send, the HELLO
 * exchange first and once, and ERROR at any time.
 */
final class MessageOrder {

    private MessageOrder() {
    }

    /** Returns why receiving {@code message} breaks the protocol, or empty when it does not. */
    static Optional<String> violation(Sender localSide, boolean helloDone, ControlMessage message) {
        Sender remoteSide = localSide == Sender.MANAGER ? Sender.NODE : Sender.MANAGER;
        FrameType type = message.type();
        if (!type.sender().allows(remoteSide)) {
            return Optional.of("a " + remoteSide.name().toLowerCase(Locale.ROOT) + " may not send " + type);
        }
        if (type == FrameType.ERROR) {
            return Optional.empty();
        }
        FrameType first = localSide == Sender.MANAGER ? FrameType.HELLO : FrameType.HELLO_ACK;
        if (!helloDone && type != first) {
            return Optional.of("expected " + first + " as the first message, but received " + type);
        }
        if (helloDone && type == first) {
            return Optional.of("received a second " + type);
        }
        return Optional.empty();
    }
}
