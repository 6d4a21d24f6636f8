package io.weft.node.agent.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.control.StateAck;
import io.weft.control.Status;
import io.weft.fleet.ProfileValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;

/**
 * The node agent bundle under Felix SCR with Felix Configuration Admin: signed states that a
 * real control server pushes become configurations that Weft owns, and nothing else changes.
 */
class DesiredStateToConfigurationTest {

    private static final String AGENT_PID = "io.weft.node.agent";
    private static final String APP = "org.example.app";
    private static final String LOGGING = "org.example.logging";
    private static final String FOREIGN = "org.example.operator";
    private static final String FACTORY = "org.example.listener";

    @InjectService(timeout = 5000)
    ConfigurationAdmin configurationAdmin;

    private Path temp;
    private ControlServerFixture manager;

    @BeforeEach
    void startManagerAndAgent() throws Exception {
        temp = Files.createTempDirectory("weft-agent-itest");
        manager = new ControlServerFixture(temp.resolve("ca"));
        manager.writeIdentity(temp.resolve("data"));
        configureAgent(Map.of("dataDirectory", temp.resolve("data").toString()));
        manager.awaitNode();
        manager.await(Status.class);
    }

    @AfterEach
    void stopAndClean() throws IOException, InvalidSyntaxException {
        manager.close();
        for (String filter : new String[] {"(weft.owner=io.weft.node.agent)", "(service.pid=" + FOREIGN + ")"}) {
            Configuration[] found = configurationAdmin.listConfigurations(filter);
            for (Configuration configuration : found == null ? new Configuration[0] : found) {
                configuration.delete();
            }
        }
        configurationAdmin.getConfiguration(AGENT_PID, "?").delete();
    }

    @Test
    void stateBecomesOwnedConfigurations() throws Exception {
        manager.push(1, Map.of(
                APP, Map.of("port", ProfileValue.ofLong(8443), "hosts", ProfileValue.ofStrings("a", "b")),
                FACTORY + "~main", Map.of("enabled", ProfileValue.ofBoolean(true))));

        StateAck ack = manager.await(StateAck.class);

        assertThat(ack).isEqualTo(StateAck.applied(1));
        Dictionary<String, Object> app = properties(APP);
        assertThat(app.get("port")).isEqualTo(8443L);
        assertThat(app.get("hosts")).isEqualTo(new String[] {"a", "b"});
        assertThat(app.get("weft.owner")).isEqualTo("io.weft.node.agent");
        assertThat(app.get("weft.revision")).isEqualTo(1L);
        Configuration factory = configuration(FACTORY + "~main");
        assertThat(factory.getFactoryPid()).isEqualTo(FACTORY);
        assertThat(factory.getProperties().get("enabled")).isEqualTo(true);
    }

    @Test
    void unchangedPropertiesAreNotWrittenAgain() throws Exception {
        manager.push(1, Map.of(APP, Map.of("port", ProfileValue.ofLong(8443))));
        manager.await(StateAck.class);
        long changeCount = configuration(APP).getChangeCount();

        manager.push(2, Map.of(APP, Map.of("port", ProfileValue.ofLong(8443))));
        StateAck same = manager.await(StateAck.class);
        long countAfterSame = configuration(APP).getChangeCount();
        manager.push(3, Map.of(APP, Map.of("port", ProfileValue.ofLong(9443))));
        StateAck changed = manager.await(StateAck.class);

        assertThat(same).isEqualTo(StateAck.applied(2));
        assertThat(countAfterSame).isEqualTo(changeCount);
        assertThat(changed).isEqualTo(StateAck.applied(3));
        assertThat(properties(APP).get("port")).isEqualTo(9443L);
        assertThat(properties(APP).get("weft.revision")).isEqualTo(3L);
    }

    @Test
    void foreignConfigurationIsNeverTouched() throws Exception {
        Configuration foreign = configurationAdmin.getConfiguration(FOREIGN, null);
        foreign.update(new Hashtable<>(Map.of("owner", "operator")));
        long foreignChanges = foreign.getChangeCount();

        manager.push(1, Map.of(FOREIGN, Map.of("owner", ProfileValue.ofString("weft")),
                APP, Map.of("port", ProfileValue.ofLong(1))));
        StateAck ack = manager.await(StateAck.class);
        Status status = manager.await(Status.class);
        manager.push(2, Map.of(APP, Map.of("port", ProfileValue.ofLong(1))));
        manager.await(StateAck.class);

        assertThat(ack).isEqualTo(StateAck.applied(1));
        assertThat(status.extensions()).containsEntry("skippedPids", "[\"" + FOREIGN + "\"]");
        Configuration after = configuration(FOREIGN);
        assertThat(after.getChangeCount()).isEqualTo(foreignChanges);
        assertThat(after.getProperties().get("owner")).isEqualTo("operator");
        assertThat(after.getProperties().get("weft.owner")).isNull();
        assertThat(properties(APP).get("port")).isEqualTo(1L);
    }

    @Test
    void pidMissingFromStateIsDeleted() throws Exception {
        manager.push(1, Map.of(APP, Map.of("port", ProfileValue.ofLong(1)),
                LOGGING, Map.of("level", ProfileValue.ofString("debug"))));
        manager.await(StateAck.class);

        manager.push(2, Map.of(APP, Map.of("port", ProfileValue.ofLong(1))));
        StateAck ack = manager.await(StateAck.class);

        assertThat(ack).isEqualTo(StateAck.applied(2));
        assertThat(configurationAdmin.listConfigurations("(service.pid=" + LOGGING + ")")).isNull();
        assertThat(properties(APP)).isNotNull();
    }

    @Test
    void olderRevisionChangesNothing() throws Exception {
        manager.push(5, Map.of(APP, Map.of("port", ProfileValue.ofLong(5))));
        manager.await(StateAck.class);

        manager.push(4, Map.of(APP, Map.of("port", ProfileValue.ofLong(4))));
        StateAck ack = manager.await(StateAck.class);

        assertThat(ack.outcome()).isEqualTo(StateAck.Outcome.REJECTED);
        assertThat(properties(APP).get("port")).isEqualTo(5L);
    }

    @Test
    void storedStateIsAppliedAgainWithoutManager() throws Exception {
        manager.push(1, Map.of(APP, Map.of("port", ProfileValue.ofLong(8443))));
        manager.await(StateAck.class);
        manager.close();
        configuration(APP).delete();

        configureAgent(Map.of("dataDirectory", temp.resolve("data").toString(), "restart", 1));

        assertThat(awaitProperties(APP).get("port")).isEqualTo(8443L);
    }

    private void configureAgent(Map<String, Object> properties) throws IOException {
        configurationAdmin.getConfiguration(AGENT_PID, "?").update(new Hashtable<>(properties));
    }

    private Configuration configuration(String pid) throws IOException, InvalidSyntaxException {
        Configuration[] found = configurationAdmin.listConfigurations("(service.pid=" + pid + ")");
        assertThat(found).as("configurations with PID %s", pid).hasSize(1);
        return found[0];
    }

    private Dictionary<String, Object> properties(String pid) throws IOException, InvalidSyntaxException {
        return configuration(pid).getProperties();
    }

    /** Polls every 50 ms for at most {@link ControlServerFixture#WAIT} until {@code pid} has properties. */
    private Dictionary<String, Object> awaitProperties(String pid) throws Exception {
        long deadline = System.nanoTime() + ControlServerFixture.WAIT.toNanos();
        while (true) {
            Configuration[] found = configurationAdmin.listConfigurations("(service.pid=" + pid + ")");
            if (found != null) {
                return found[0].getProperties();
            }
            assertThat(System.nanoTime() - deadline)
                    .as("waiting %s for configuration %s", ControlServerFixture.WAIT, pid).isNegative();
            Thread.sleep(50);
        }
    }

}
