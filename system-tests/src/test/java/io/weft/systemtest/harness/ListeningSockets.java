package io.weft.systemtest.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lists the TCP listening sockets of processes from Linux's /proc: the socket inodes in
 * /proc/PID/fd, matched against the LISTEN entries of /proc/PID/net/tcp and tcp6. Reading
 * the process's own net/ files covers a process in another network namespace.
 */
public final class ListeningSockets {

    /** State code of TCP_LISTEN in /proc/net/tcp, from the kernel's include/net/tcp_states.h. */
    private static final String STATE_LISTEN = "0A";
    private static final Pattern SOCKET_LINK = Pattern.compile("socket:\\[(\\d+)]");

    private ListeningSockets() {
    }

    /**
     * Returns the listening sockets that the processes have open. A process that exits during the
     * scan is skipped.
     */
    public static List<ListeningSocket> of(Collection<ProcessHandle> processes) {
        List<ListeningSocket> sockets = new ArrayList<>();
        for (ProcessHandle process : processes) {
            try {
                sockets.addAll(of(process.pid()));
            } catch (NoSuchFileException e) {
                // The process exited between the listing and this read.
            } catch (IOException e) {
                throw new UncheckedIOException("Failed to read the sockets of pid " + process.pid()
                        + " from /proc; the harness needs Linux and permission to read that process's fd/", e);
            }
        }
        return sockets;
    }

    private static List<ListeningSocket> of(long pid) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        Map<Long, InetSocketAddress> listening = new HashMap<>();
        listening.putAll(parseListening(Files.readAllLines(proc.resolve("net/tcp"))));
        listening.putAll(parseListening(Files.readAllLines(proc.resolve("net/tcp6"))));

        List<ListeningSocket> sockets = new ArrayList<>();
        for (long inode : socketInodes(proc.resolve("fd"))) {
            InetSocketAddress address = listening.get(inode);
            if (address != null) {
                sockets.add(new ListeningSocket(pid, address.getAddress(), address.getPort(), inode));
            }
        }
        return sockets;
    }

    /** Returns the inodes of the sockets among the open file descriptors, whose links read "socket:[inode]". */
    private static Set<Long> socketInodes(Path fdFolder) throws IOException {
        Set<Long> inodes = new LinkedHashSet<>();
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(fdFolder)) {
            for (Path descriptor : descriptors) {
                String target;
                try {
                    target = Files.readSymbolicLink(descriptor).toString();
                } catch (NoSuchFileException e) {
                    continue;
                }
                Matcher matcher = SOCKET_LINK.matcher(target);
                if (matcher.matches()) {
                    inodes.add(Long.parseLong(matcher.group(1)));
                }
            }
        }
        return inodes;
    }

    /**
     * Parses the lines of /proc/net/tcp or tcp6 and returns the local address of every
     * socket in state LISTEN, by inode. The header line is skipped.
     */
    static Map<Long, InetSocketAddress> parseListening(List<String> lines) {
        Map<Long, InetSocketAddress> listening = new HashMap<>();
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 10 || !fields[3].equals(STATE_LISTEN)) {
                continue;
            }
            listening.put(Long.parseLong(fields[9]), parseAddress(fields[1]));
        }
        return listening;
    }

    /**
     * Parses {@code ADDRESS:PORT} in hexadecimal. The kernel prints the address as 32-bit
     * words in the host's byte order (one word for IPv4, four for IPv6) and the port as a
     * number.
     */
    static InetSocketAddress parseAddress(String hex) {
        int colon = hex.indexOf(':');
        String addressHex = hex.substring(0, colon);
        int port = Integer.parseInt(hex.substring(colon + 1), 16);

        ByteBuffer bytes = ByteBuffer.allocate(addressHex.length() / 2).order(ByteOrder.nativeOrder());
        for (int word = 0; word < addressHex.length(); word += 8) {
            bytes.putInt((int) Long.parseLong(addressHex.substring(word, word + 8), 16));
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(bytes.array()), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Invalid address '" + hex + "' in /proc/net/tcp: "
                    + "expected 8 or 32 hexadecimal digits before the colon", e);
        }
    }
}
