package io.weft.node.mesh.internal;

import io.weft.node.mesh.api.MeshRoutes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The node's {@link MeshRoutes}: one {@link TargetRoute} per destination node and target,
 * opened at the first request and kept until the component stops. The number of routes is
 * bounded by the nodes that this node calls.
 */
@Component(service = MeshRoutes.class)
public final class MeshRoutesComponent implements MeshRoutes {

    private final MeshNodeAccess access;
    private final Map<String, TargetRoute> routes = new HashMap<>();

    @Activate
    public MeshRoutesComponent(@Reference MeshNodeAccess access) {
        this.access = access;
    }

    @Override
    public synchronized InetSocketAddress route(String nodeFullName, String target) throws IOException {
        if (access.node().isEmpty()) {
            throw new IllegalStateException("The node has no mesh yet because it has not enrolled, so it cannot"
                    + " reach node '" + nodeFullName + "'");
        }
        String node = nodeFullName.toLowerCase(Locale.ROOT);
        String key = node + " " + target;
        TargetRoute route = routes.get(key);
        if (route == null) {
            route = new TargetRoute(node, target, access.reactor(), access::node);
            route.start();
            routes.put(key, route);
        }
        return route.address();
    }

    @Deactivate
    synchronized void deactivate() {
        routes.values().forEach(TargetRoute::close);
        routes.clear();
    }
}
