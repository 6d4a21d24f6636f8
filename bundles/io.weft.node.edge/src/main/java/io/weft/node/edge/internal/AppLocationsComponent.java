package io.weft.node.edge.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Source of the other nodes that run each app, to which this node may forward calls, from PID
 * {@value AppLocations#PID}, which the manager writes into the desired state. A change updates
 * the locations in place, so the Edge API keeps listening.
 */
@Component(service = AppLocationsComponent.class, configurationPid = AppLocations.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = AppLocationsComponent.Config.class)
public class AppLocationsComponent {

    private static final Logger LOG = LoggerFactory.getLogger(AppLocationsComponent.class);

    @ObjectClassDefinition(name = "Weft app locations", description = "The other nodes that run each app, which"
            + " the manager sets in the desired state. The Edge API forwards a call for an app that this node"
            + " does not run to the nearest of them.")
    public @interface Config {

        @AttributeDefinition(name = "Apps", description = "One entry per app: <app>=<node full name>,<node full"
                + " name>,..., nearest node first.")
        String[] apps() default {};
    }

    private volatile AppLocations locations = AppLocations.NONE;

    @Activate
    public AppLocationsComponent(Config config) {
        modified(config);
    }

    /** Takes new locations; invalid ones are logged and leave the previous locations in place. */
    @Modified
    void modified(Config config) {
        try {
            locations = AppLocations.parse(config.apps());
            LOG.info("Edge API: {} apps run on other nodes: {}", locations.size(), locations);
        } catch (IllegalArgumentException e) {
            LOG.error("Edge API: kept the previous app locations: {}", e.getMessage());
        }
    }

    AppLocations locations() {
        return locations;
    }
}
