package io.weft.systemtest.harness;

import java.net.InetAddress;

/**
 * A TCP socket in state LISTEN that a process has open.
 *
 * @param pid the process that has the socket open; several processes may share one socket
 * @param address the local address; an IPv4-mapped IPv6 address such as ::ffff:127.0.0.1
 *        is given as its IPv4 address, as {@link InetAddress#getByAddress(byte[])} returns it
 * @param port the local port
 * @param inode the socket's inode number, as /proc/PID/fd and /proc/net/tcp show it
 */
public record ListeningSocket(long pid, InetAddress address, int port, long inode) {

    /** True for 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104. */
    public boolean isLoopback() {
        return address.isLoopbackAddress();
    }

    @Override
    public String toString() {
        return address.getHostAddress() + ":" + port + " (pid " + pid + ", inode " + inode + ")";
    }
}
