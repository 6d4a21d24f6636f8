package io.weft.systemtest.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * A TCP program that system tests run as a separate process, for example inside a network
 * namespace through {@code ip netns exec}, where the test JVM cannot open sockets. It uses only
 * the JDK and reports each event as one line on standard output:
 *
 * <ul>
 * <li>{@code serve ADDRESS PORT}: listens (port 0 picks a free one) and prints
 * {@code listening PORT}. It reads each connection to its end, prints {@code received BYTES SHA256},
 * writes the 32-byte SHA-256 of what it read and closes.
 * <li>{@code send ADDRESS PORT BYTES SEED [hold]}: sends BYTES bytes of {@link #payload}, prints
 * {@code sent BYTES SHA256}, half-closes and prints {@code returned SHA256} with the 32 bytes that
 * come back. With {@code hold} it prints {@code holding} after sending and half-closes only after
 * a line on standard input.
 * <li>{@code connect ADDRESS PORT TIMEOUT_MILLIS}: prints {@code connected}, or {@code failed}
 * and the exception.
 * </ul>
 *
 * <p>Every mode exits when its standard input ends, so the process does not outlive the test JVM
 * that started it.
 */
public final class DigestTcpTool {

    public static final int DIGEST_BYTES = 32;

    private static final int CHUNK_BYTES = 64 * 1024;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int READ_TIMEOUT_MILLIS = 120_000;
    private static final PrintStream OUT = System.out;

    private DigestTcpTool() {
    }

    /** Returns the command line that runs this program with the arguments after the prefix, such as {@code ip netns exec ns}. */
    public static List<String> command(List<String> prefix, String... arguments) {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // A small heap and the client compiler keep each process light on a shared machine.
        command.addAll(List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.add("-cp");
        command.add(classFolder().toString());
        command.add(DigestTcpTool.class.getName());
        command.addAll(List.of(arguments));
        return command;
    }

    /**
     * Returns the payload of a {@code send}: {@code bytes} bytes from {@code new Random(seed)}, drawn
     * in chunks of 64 KiB, so a test can compute the SHA-256 that the server must report.
     */
    public static byte[] payload(int bytes, long seed) {
        Random random = new Random(seed);
        byte[] payload = new byte[bytes];
        byte[] chunk = new byte[CHUNK_BYTES];
        for (int offset = 0; offset < bytes; offset += CHUNK_BYTES) {
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, payload, offset, Math.min(CHUNK_BYTES, bytes - offset));
        }
        return payload;
    }

    /** Returns the SHA-256 of the data as lower-case hexadecimal. */
    public static String sha256Hex(byte[] data) {
        MessageDigest sha256 = sha256();
        sha256.update(data);
        return HexFormat.of().formatHex(sha256.digest());
    }

    public static void main(String[] arguments) throws IOException {
        if (arguments.length == 0) {
            usage();
        }
        exitAtEndOfInput(arguments[0].equals("send") && arguments.length == 6);
        switch (arguments[0]) {
            case "serve" -> serve(requireCount(arguments, 3));
            case "send" -> send(arguments);
            case "connect" -> connect(requireCount(arguments, 4));
            default -> usage();
        }
    }

    private static void serve(String[] arguments) throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getByName(arguments[1]), Integer.parseInt(arguments[2])), 50);
        print("listening " + listener.getLocalPort());
        while (true) {
            Socket connection = listener.accept();
            Thread handler = new Thread(() -> digest(connection), "digest-" + connection.getPort());
            handler.setDaemon(true);
            handler.start();
        }
    }

    private static void digest(Socket connection) {
        try (connection) {
            print("accepted " + connection.getRemoteSocketAddress());
            connection.setSoTimeout(READ_TIMEOUT_MILLIS);
            MessageDigest sha256 = sha256();
            InputStream in = connection.getInputStream();
            byte[] buffer = new byte[CHUNK_BYTES];
            long total = 0;
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                sha256.update(buffer, 0, read);
                total += read;
            }
            byte[] digest = sha256.digest();
            print("received " + total + " " + HexFormat.of().formatHex(digest));
            connection.getOutputStream().write(digest);
        } catch (IOException e) {
            print("failed " + e);
        }
    }

    private static void send(String[] arguments) {
        if (arguments.length != 5 && !(arguments.length == 6 && arguments[5].equals("hold"))) {
            usage();
        }
        byte[] payload = payload(Integer.parseInt(arguments[3]), Long.parseLong(arguments[4]));
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.connect(new InetSocketAddress(InetAddress.getByName(arguments[1]), Integer.parseInt(arguments[2])),
                    CONNECT_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            for (int offset = 0; offset < payload.length; offset += CHUNK_BYTES) {
                out.write(payload, offset, Math.min(CHUNK_BYTES, payload.length - offset));
            }
            out.flush();
            print("sent " + payload.length + " " + sha256Hex(payload));
            if (arguments.length == 6) {
                print("holding");
                awaitInputLine();
            }

            socket.shutdownOutput();
            byte[] returned = socket.getInputStream().readNBytes(DIGEST_BYTES);
            print(returned.length == DIGEST_BYTES ? "returned " + HexFormat.of().formatHex(returned)
                    : "failed the connection returned " + returned.length + " bytes instead of a SHA-256");
        } catch (IOException e) {
            print("failed " + e);
        }
        System.exit(0);
    }

    private static void connect(String[] arguments) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(arguments[1]), Integer.parseInt(arguments[2])),
                    Integer.parseInt(arguments[3]));
            print("connected");
        } catch (IOException e) {
            print("failed " + e);
        }
        System.exit(0);
    }

    /**
     * Exits when standard input ends, which happens when the test JVM closes the pipe or dies.
     * In {@code send ... hold} mode, the main thread reads standard input itself.
     */
    private static void exitAtEndOfInput(boolean mainThreadReadsInput) {
        if (mainThreadReadsInput) {
            return;
        }
        Thread watcher = new Thread(() -> {
            try {
                System.in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                // A broken pipe also means that the test JVM is gone.
            }
            System.exit(0);
        }, "end-of-input");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Waits for a line on standard input, and exits when the input ends first. */
    private static void awaitInputLine() throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (in.readLine() == null) {
            System.exit(0);
        }
    }

    private static synchronized void print(String line) {
        OUT.println(line);
        OUT.flush();
    }

    private static String[] requireCount(String[] arguments, int count) {
        if (arguments.length != count) {
            usage();
        }
        return arguments;
    }

    private static void usage() {
        System.err.println("Usage: DigestTcpTool serve ADDRESS PORT | send ADDRESS PORT BYTES SEED [hold]"
                + " | connect ADDRESS PORT TIMEOUT_MILLIS");
        System.exit(2);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no SHA-256", e);
        }
    }

    /** Returns the folder or jar that contains this class, which is all that the program needs on its class path. */
    private static Path classFolder() {
        try {
            return Path.of(DigestTcpTool.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("The code source of " + DigestTcpTool.class.getName()
                    + " is not a file URI", e);
        }
    }
}
