package io.weft.policy;

import java.util.Objects;

/**
 * Service that a flow reaches: its name, protocol and port, such as ssh on TCP port 22.
 *
 * @param service  the service name
 * @param protocol the transport protocol
 * @param port     the port, from 1 to 65535
 */
public record ServiceTarget(ServiceName service, Protocol protocol, int port) implements Target {

    public ServiceTarget {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(protocol, "protocol");
        PortRange.requirePort(port, "");
    }

    /** Returns the service on TCP {@code port}. */
    public static ServiceTarget tcp(String service, int port) {
        return new ServiceTarget(ServiceName.of(service), Protocol.TCP, port);
    }

    @Override
    public Endpoint endpoint() {
        return service;
    }

    /** Returns {@code service ssh (tcp/22)}. */
    @Override
    public String toString() {
        return "service " + service + " (" + protocol.id() + "/" + port + ")";
    }
}
