package io.weft.node.mesh.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One TCP service that this node exposes to the mesh, one per configuration of factory PID {@value #PID}. */
@Component(name = ServiceComponent.PID, configurationPid = ServiceComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = ServiceEntry.class)
@Designate(ocd = ServiceComponent.Config.class, factory = true)
public final class ServiceComponent implements ServiceEntry {

    static final String PID = "io.weft.mesh.service";

    @ObjectClassDefinition(name = "Weft mesh service",
            description = "A TCP service that this node exposes to the mesh as service:<name>.")
    public @interface Config {

        @AttributeDefinition(name = "Name", description = "The service name that connectors and policy rules use,"
                + " 1 to 63 letters, digits and hyphens.")
        String name();

        @AttributeDefinition(name = "Host", description = "The host that the node connects to for each stream.")
        String host() default "127.0.0.1";

        @AttributeDefinition(name = "Port", description = "The TCP port of the service, from 1 to 65535.")
        int port();
    }

    private final ExposedService service;

    @Activate
    public ServiceComponent(Config config) {
        service = new ExposedService(config.name(), config.host().strip(), config.port());
    }

    @Override
    public ExposedService service() {
        return service;
    }
}
