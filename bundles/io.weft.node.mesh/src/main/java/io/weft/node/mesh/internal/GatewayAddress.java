package io.weft.node.mesh.internal;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Objects;

/**
 * A gateway that an edge dials, from the form {@code <nodeFullName>@<host>:<port>}.
 *
 * @param fullName the gateway's full name, which its certificate must carry
 * @param address  the address of its mesh listener, resolved when dialled
 */
record GatewayAddress(String fullName, InetSocketAddress address) {

    GatewayAddress {
        Objects.requireNonNull(fullName, "fullName");
        Objects.requireNonNull(address, "address");
    }

    /**
     * Parses {@code gw1.east.acme.example@10.0.0.5:7500}; IPv6 hosts go in brackets.
     *
     * @throws IllegalArgumentException naming the invalid entry and the expected form
     */
    static GatewayAddress parse(String text) {
        String entry = text.strip();
        int at = entry.indexOf('@');
        int colon = entry.lastIndexOf(':');
        if (at < 1 || colon < at + 2 || colon == entry.length() - 1) {
            throw new IllegalArgumentException("Invalid gateway '" + text
                    + "': expected <nodeFullName>@<host>:<port>, such as gw1.east.acme.example@10.0.0.5:7500");
        }
        String host = entry.substring(at + 1, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(entry.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Invalid gateway '" + text + "': the port must be from 1 to 65535");
        }
        return new GatewayAddress(entry.substring(0, at).toLowerCase(Locale.ROOT),
                InetSocketAddress.createUnresolved(host, port));
    }

    @Override
    public String toString() {
        return fullName + "@" + address.getHostString() + ":" + address.getPort();
    }
}
