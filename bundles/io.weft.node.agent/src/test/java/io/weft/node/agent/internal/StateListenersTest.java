package io.weft.node.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.node.agent.api.AppliedState;
import io.weft.node.agent.api.Identity;
import io.weft.node.agent.api.NodeStateListener;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateListenersTest {

    @TempDir
    Path temp;

    @Test
    void addedListenerGetsCurrentValues() throws IOException {
        Identity identity = TestPki.create(temp.resolve("ca")).nodeIdentity("127.0.0.1:7443").toApi();
        AppliedState state = new AppliedState(3, Set.of(BigInteger.TEN), "{}");
        Recording listener = new Recording();

        new StateListeners().add(listener, Optional.of(identity), state);

        assertThat(listener.events).containsExactly("identity " + identity.fullName(), "state 3");
    }

    @Test
    void listenerWithoutStateGetsNoState() {
        Recording listener = new Recording();

        new StateListeners().add(listener, Optional.empty(), AppliedState.NONE);

        assertThat(listener.events).isEmpty();
    }

    @Test
    void failingListenerDoesNotStopOthers() {
        StateListeners listeners = new StateListeners();
        Recording second = new Recording();
        listeners.add(new Recording() {
            @Override
            public void stateApplied(AppliedState state) {
                throw new IllegalStateException("listener failure for the test");
            }
        }, Optional.empty(), AppliedState.NONE);
        listeners.add(second, Optional.empty(), AppliedState.NONE);

        listeners.stateApplied(new AppliedState(5, Set.of(), "{}"));

        assertThat(second.events).containsExactly("state 5");
    }

    @Test
    void removedListenerGetsNothing() {
        StateListeners listeners = new StateListeners();
        Recording listener = new Recording();
        listeners.add(listener, Optional.empty(), AppliedState.NONE);

        listeners.remove(listener);
        listeners.stateApplied(new AppliedState(5, Set.of(), "{}"));

        assertThat(listener.events).isEmpty();
    }

    private static class Recording implements NodeStateListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void identityChanged(Identity identity) {
            events.add("identity " + identity.fullName());
        }

        @Override
        public void stateApplied(AppliedState state) {
            events.add("state " + state.revision());
        }
    }
}
