package io.weft.manager.policy.internal;

/**
 * A flow in a request, between nodes of the fleet named by their full names:
 *
 * <pre>
 * {"source": {"node": "cam1.plant1.east.acme.example"},
 *  "destination": {"node": "gw1.plant1.east.acme.example", "service": "ssh", "protocol": "tcp", "port": 22}}
 * </pre>
 *
 * @param source      the calling node or API client
 * @param destination the node and the service or app operation that it offers
 */
public record FlowRequest(Source source, Destination destination) {

    /**
     * Source of a flow: exactly one of a node and an API client.
     *
     * @param node   the full name of a node of the fleet
     * @param client the identity of an API client
     */
    public record Source(String node, String client) {
    }

    /**
     * Destination of a flow: a node with a service, protocol and port, or with an app operation.
     *
     * @param node      the full name of a node of the fleet
     * @param service   the service's name
     * @param protocol  tcp or udp; tcp when absent
     * @param port      the port, from 1 to 65535; required with a service
     * @param operation the app operation, written app/operation
     */
    public record Destination(String node, String service, String protocol, Integer port, String operation) {
    }
}
