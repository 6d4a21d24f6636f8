package io.weft.node.mesh.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One connector, per configuration of factory PID {@value #PID}: a local listener that forwards to a remote service. */
@Component(name = ConnectorComponent.PID, configurationPid = ConnectorComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = ConnectorComponent.class, immediate = true)
@Designate(ocd = ConnectorComponent.Config.class, factory = true)
public final class ConnectorComponent {

    static final String PID = "io.weft.mesh.connector";

    @ObjectClassDefinition(name = "Weft mesh connector",
            description = "A local TCP listener that forwards each connection to a service on another node.")
    public @interface Config {

        @AttributeDefinition(name = "Name", description = "The connector's name in logs and weft:connectors.")
        String name();

        @AttributeDefinition(name = "Listen address", description = "The local address that accepts connections.")
        String listenAddress() default "127.0.0.1";

        @AttributeDefinition(name = "Listen port", description = "The local TCP port, from 1 to 65535.")
        int listenPort();

        @AttributeDefinition(name = "Service", description = "The service name on the destination node.")
        String service();

        @AttributeDefinition(name = "Node", description = "The full name of the node that exposes the service,"
                + " such as edge-b.east.acme.example.")
        String node();

        @AttributeDefinition(name = "Service port", description = "The service's TCP port on its node, which the"
                + " policy check on this node reads; 0 means the same as the listen port. The destination"
                + " checks the service's real port again.")
        int servicePort() default 0;
    }

    private final Connector connector;

    @Activate
    public ConnectorComponent(@Reference MeshNodeAccess access, Config config) {
        if (config.listenPort() < 1 || config.listenPort() > 65535) {
            throw new IllegalArgumentException("Invalid connector '" + config.name() + "': listenPort "
                    + config.listenPort() + " is not from 1 to 65535");
        }
        int servicePort = config.servicePort() == 0 ? config.listenPort() : config.servicePort();
        Connector.Spec spec = new Connector.Spec(config.name(),
                new InetSocketAddress(config.listenAddress().strip(), config.listenPort()), config.service().strip(),
                config.node().strip().toLowerCase(java.util.Locale.ROOT), servicePort);
        connector = new Connector(spec, access.reactor(), access::node);
        try {
            connector.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Connector '" + config.name() + "': listening on "
                    + spec.listenAddress() + " failed", e);
        }
    }

    Connector connector() {
        return connector;
    }

    @Deactivate
    void deactivate() {
        connector.close();
    }
}
