package io.weft.manager.api.internal.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.weft.manager.api.events.FleetChange;
import io.weft.manager.api.events.FleetChangeListener;
import io.weft.manager.api.internal.fleet.DerbyStore;

/** Fleet change listeners hear of committed changes only, on the real store in embedded Derby. */
class FleetChangeNotificationTest {

    @TempDir
    static Path folder;

    private static DerbyStore derby;

    @BeforeAll
    static void openStore() {
        derby = new DerbyStore(folder);
    }

    @AfterAll
    static void closeStore() {
        derby.close();
    }

    @Test
    void committedChangeIsNotified() {
        AuditTrail trail = derby.auditTrail();
        List<FleetChange> notified = listen(trail);

        String result = trail.atomically(() -> "n1", FleetChange::node);

        assertThat(result).isEqualTo("n1");
        assertThat(notified).containsExactly(FleetChange.node("n1"));
    }

    @Test
    void failedChangeIsNotNotified() {
        AuditTrail trail = derby.auditTrail();
        List<FleetChange> notified = listen(trail);

        assertThatThrownBy(() -> trail.atomically(() -> {
            throw new IllegalStateException("change failed");
        }, any -> FleetChange.domainSubtree("a.example"))).hasMessage("change failed");

        assertThat(notified).isEmpty();
    }

    @Test
    void failingListenerSkipsToNext() {
        AuditTrail trail = derby.auditTrail();
        trail.addFleetChangeListener(change -> {
            throw new IllegalStateException("listener failed");
        });
        List<FleetChange> notified = listen(trail);

        trail.atomically(() -> "b.example", FleetChange::domainSubtree);

        assertThat(notified).containsExactly(FleetChange.domainSubtree("b.example"));
    }

    @Test
    void removedListenerHearsNothing() {
        AuditTrail trail = derby.auditTrail();
        List<FleetChange> notified = new CopyOnWriteArrayList<>();
        FleetChangeListener listener = notified::add;
        trail.addFleetChangeListener(listener);

        trail.removeFleetChangeListener(listener);
        trail.atomically(() -> "n2", FleetChange::node);

        assertThat(notified).isEmpty();
    }

    private static List<FleetChange> listen(AuditTrail trail) {
        List<FleetChange> notified = new CopyOnWriteArrayList<>();
        trail.addFleetChangeListener(notified::add);
        return notified;
    }
}
