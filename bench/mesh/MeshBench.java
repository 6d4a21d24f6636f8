import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Load client and services of bench/mesh/run.sh, run with Java's source launcher.
 *
 * <ul>
 *   <li>{@code serve SINK_PORT ECHO_PORT}: a sink and an echo server on 127.0.0.1, one thread
 *       per connection. The sink reads an 8-byte length, then that many bytes, and replies with
 *       the 8-byte count, so the client's clock stops only once every byte arrived.</li>
 *   <li>{@code run PATHS_FILE MAX_BYTES ROUNDS MESSAGES MESSAGE_BYTES CLK_TCK}: bulk throughput
 *       and small-message round trips over each path of the file, rounds interleaved across
 *       paths, with the CPU time of each process of a path read from /proc before and after.
 *       A round sends what the path moves in about 5 s, at most MAX_BYTES. The round trips
 *       are measured a second time with the path's processes and the client on CPU 0.</li>
 *   <li>{@code idle ADDRESS STREAMS LABEL=PID...}: opens idle connections through a connector
 *       in two equal batches and reports the live heap (after a full GC) and resident memory
 *       that each process gained per connection of the second batch.</li>
 * </ul>
 *
 * Every figure goes to standard output as a {@code key<TAB>value} line.
 */
public class MeshBench {

    private static final int CHUNK_BYTES = 256 * 1024;
    private static final long MIB = 1024 * 1024;
    private static final long WARMUP_BYTES = 256 * MIB;
    private static final long MIN_ROUND_BYTES = 64 * MIB;
    private static final double ROUND_SECONDS = 5;
    private static final int WARMUP_MESSAGES = 2_000;
    private static final long IDLE_SETTLE_MILLIS = 3_000;

    /** A route to the sink and echo services, and the processes that carry it, by label. */
    record BenchPath(String name, InetSocketAddress sink, InetSocketAddress echo, Map<String, Long> pids) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("Missing mode: expected serve, run or idle");
        }
        switch (args[0]) {
            case "serve" -> serve(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            case "run" -> run(Path.of(args[1]), Long.parseLong(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6]));
            case "idle" -> idle(address(args[1]), Integer.parseInt(args[2]),
                    pids(Arrays.asList(args).subList(3, args.length)));
            default -> throw new IllegalArgumentException("Unknown mode '" + args[0] + "': expected serve, run or idle");
        }
    }

    // --- services ---------------------------------------------------------------------------

    static void serve(int sinkPort, int echoPort) throws IOException {
        ServerSocket sink = new ServerSocket(sinkPort, 1024, InetAddress.getLoopbackAddress());
        ServerSocket echo = new ServerSocket(echoPort, 1024, InetAddress.getLoopbackAddress());
        Thread sinkThread = acceptLoop(sink, MeshBench::sink, "sink");
        acceptLoop(echo, MeshBench::echo, "echo");
        System.out.println("sink on 127.0.0.1:" + sinkPort + ", echo on 127.0.0.1:" + echoPort);
        try {
            sinkThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private interface ConnectionHandler {
        void handle(Socket socket) throws IOException;
    }

    private static Thread acceptLoop(ServerSocket server, ConnectionHandler handler, String name) {
        Thread thread = new Thread(() -> {
            while (true) {
                try {
                    Socket socket = server.accept();
                    socket.setTcpNoDelay(true);
                    Thread connection = new Thread(() -> handleQuietly(socket, handler), name + "-" + socket.getPort());
                    connection.setDaemon(true);
                    connection.start();
                } catch (IOException e) {
                    System.err.println(name + ": accept failed: " + e);
                    return;
                }
            }
        }, name + "-accept");
        thread.start();
        return thread;
    }

    private static void handleQuietly(Socket socket, ConnectionHandler handler) {
        try (socket) {
            handler.handle(socket);
        } catch (IOException e) {
            // A client that resets its connection ends it; nothing else is affected.
        }
    }

    private static void sink(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        byte[] buffer = new byte[CHUNK_BYTES];
        while (true) {
            long expected;
            try {
                expected = in.readLong();
            } catch (java.io.EOFException e) {
                return;
            }
            long received = 0;
            while (received < expected) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, expected - received));
                if (read < 0) {
                    return;
                }
                received += read;
            }
            out.writeLong(received);
            out.flush();
        }
    }

    private static void echo(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] buffer = new byte[16 * 1024];
        for (int read; (read = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, read);
            out.flush();
        }
    }

    // --- throughput and latency -------------------------------------------------------------

    static void run(Path pathsFile, long maxBytes, int rounds, int messages, int messageBytes, int clockTicks)
            throws IOException, InterruptedException {
        List<BenchPath> paths = readPaths(pathsFile);
        Map<String, Long> roundBytes = new LinkedHashMap<>();
        for (BenchPath path : paths) {
            roundBytes.put(path.name(), warmUp(path, maxBytes, messageBytes));
        }
        measureThroughput(paths, roundBytes, rounds, clockTicks);
        measureLatency(paths, rounds, messages, messageBytes);
        measureLatencyOnOneCpu(paths, rounds, messages, messageBytes);
    }

    /**
     * Warms a path up with one transfer and round trips, and returns the bytes of its rounds:
     * what it moves in about {@link #ROUND_SECONDS} at the warm-up's rate, between
     * {@link #MIN_ROUND_BYTES} and {@code maxBytes}, so a slow path does not take hours.
     */
    private static long warmUp(BenchPath path, long maxBytes, int messageBytes) throws IOException {
        long warmUpBytes = Math.min(maxBytes, WARMUP_BYTES);
        double seconds = transfer(path.sink(), warmUpBytes);
        roundTrips(path.echo(), WARMUP_MESSAGES, messageBytes);
        long fitting = (long) (warmUpBytes / seconds * ROUND_SECONDS) / MIB * MIB;
        long bytes = Math.max(Math.min(MIN_ROUND_BYTES, maxBytes), Math.min(maxBytes, fitting));
        log(String.format(Locale.ROOT, "warm-up of %s: %.2f Gbit/s, so rounds of %d MiB", path.name(),
                warmUpBytes * 8 / seconds / 1e9, bytes / MIB));
        return bytes;
    }

    private static void measureThroughput(List<BenchPath> paths, Map<String, Long> roundBytes, int rounds,
            int clockTicks) throws IOException {
        long self = ProcessHandle.current().pid();
        Map<String, List<Double>> gbits = new LinkedHashMap<>();
        Map<String, Map<String, Double>> cpuSeconds = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (BenchPath path : paths) {
                Map<String, Long> pids = new LinkedHashMap<>(path.pids());
                pids.put("client", self);
                long bytes = roundBytes.get(path.name());
                Map<String, Long> before = cpuTicks(pids);
                double seconds = transfer(path.sink(), bytes);
                Map<String, Long> after = cpuTicks(pids);
                double rate = bytes * 8 / seconds / 1e9;
                gbits.computeIfAbsent(path.name(), name -> new ArrayList<>()).add(rate);
                Map<String, Double> cpu = cpuSeconds.computeIfAbsent(path.name(), name -> new LinkedHashMap<>());
                for (String label : pids.keySet()) {
                    cpu.merge(label, (after.get(label) - before.get(label)) / (double) clockTicks, Double::sum);
                }
                log(String.format(Locale.ROOT, "round %d %s: %.2f Gbit/s", round, path.name(), rate));
            }
        }
        for (BenchPath path : paths) {
            List<Double> rates = gbits.get(path.name());
            double totalGb = roundBytes.get(path.name()) * (double) rounds / 1e9;
            out("throughput." + path.name() + ".gbit_s.median", format(median(rates)));
            out("throughput." + path.name() + ".gbit_s.rounds", join(rates));
            out("throughput." + path.name() + ".mib_per_round", String.valueOf(roundBytes.get(path.name()) / MIB));
            double sum = 0;
            for (Map.Entry<String, Double> entry : cpuSeconds.get(path.name()).entrySet()) {
                out("cpu." + path.name() + "." + entry.getKey() + ".s_per_gb", format(entry.getValue() / totalGb));
                sum += entry.getValue();
            }
            out("cpu." + path.name() + ".all.s_per_gb", format(sum / totalGb));
        }
    }

    private static void measureLatency(List<BenchPath> paths, int rounds, int messages, int messageBytes)
            throws IOException {
        Map<String, List<Long>> samples = new LinkedHashMap<>();
        int perRound = Math.max(1, messages / rounds);
        for (int round = 1; round <= rounds; round++) {
            for (BenchPath path : paths) {
                List<Long> times = roundTrips(path.echo(), perRound, messageBytes);
                samples.computeIfAbsent(path.name(), name -> new ArrayList<>()).addAll(times);
            }
        }
        for (BenchPath path : paths) {
            long[] sorted = samples.get(path.name()).stream().mapToLong(Long::longValue).sorted().toArray();
            out("latency." + path.name() + ".p50_us", format(percentile(sorted, 50) / 1e3));
            out("latency." + path.name() + ".p99_us", format(percentile(sorted, 99) / 1e3));
            out("latency." + path.name() + ".samples", String.valueOf(sorted.length));
        }
    }

    /**
     * Measures round trips again with every process of the path and this client on CPU 0. No
     * thread then wakes a thread on another CPU, which on a virtual machine costs an
     * interprocessor interrupt and often the exit of an idle virtual CPU. So these figures
     * compare what each path's processes spend on a message, apart from where the scheduler
     * puts their threads.
     */
    private static void measureLatencyOnOneCpu(List<BenchPath> paths, int rounds, int messages, int messageBytes)
            throws IOException, InterruptedException {
        long self = ProcessHandle.current().pid();
        Map<String, List<Long>> samples = new LinkedHashMap<>();
        int perRound = Math.max(1, messages / rounds);
        for (int round = 1; round <= rounds; round++) {
            for (BenchPath path : paths) {
                List<Long> pids = new ArrayList<>(path.pids().values());
                pids.add(self);
                Map<Long, String> previous = new LinkedHashMap<>();
                try {
                    pinToFirstCpu(pids, previous);
                    samples.computeIfAbsent(path.name(), name -> new ArrayList<>())
                            .addAll(roundTrips(path.echo(), perRound, messageBytes));
                } finally {
                    for (Map.Entry<Long, String> entry : previous.entrySet()) {
                        taskset(entry.getKey(), entry.getValue());
                    }
                }
            }
        }
        for (BenchPath path : paths) {
            long[] sorted = samples.get(path.name()).stream().mapToLong(Long::longValue).sorted().toArray();
            out("latency_one_cpu." + path.name() + ".p50_us", format(percentile(sorted, 50) / 1e3));
            out("latency_one_cpu." + path.name() + ".p99_us", format(percentile(sorted, 99) / 1e3));
        }
    }

    /**
     * Moves every thread of each process to CPU 0, and records in {@code previous} each
     * process's CPU list before it is moved, so that a failure midway can still restore it.
     */
    private static void pinToFirstCpu(List<Long> pids, Map<Long, String> previous)
            throws IOException, InterruptedException {
        for (long pid : pids) {
            if (!previous.containsKey(pid)) {
                previous.put(pid, cpuList(pid));
                taskset(pid, "0");
            }
        }
    }

    /** Returns the CPU list of a process's main thread, such as {@code 0,1} or {@code 0-3}. */
    private static String cpuList(long pid) throws IOException, InterruptedException {
        List<String> lines = command("taskset", "-c", "-p", String.valueOf(pid));
        String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        int colon = last.lastIndexOf(':');
        if (colon < 0) {
            throw new IOException("taskset printed no CPU list for pid " + pid + ": " + lines);
        }
        return last.substring(colon + 1).trim();
    }

    private static void taskset(long pid, String cpus) throws IOException, InterruptedException {
        command("taskset", "-a", "-c", "-p", cpus, String.valueOf(pid));
    }

    /**
     * Runs a command and returns its output lines; fails with that output when it exits with an
     * error or takes more than 120 s.
     */
    private static List<String> command(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines;
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            lines = reader.lines().toList();
        }
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + String.join("\n", lines));
        }
        return lines;
    }

    /** Sends {@code bytes} to a sink and returns the seconds until its acknowledgement arrived. */
    static double transfer(InetSocketAddress sink, long bytes) throws IOException {
        try (SocketChannel channel = SocketChannel.open(sink)) {
            channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES);
            long start = System.nanoTime();
            ByteBuffer header = ByteBuffer.allocate(8).putLong(bytes).flip();
            writeFully(channel, header);
            long remaining = bytes;
            while (remaining > 0) {
                chunk.clear().limit((int) Math.min(CHUNK_BYTES, remaining));
                remaining -= writeFully(channel, chunk);
            }
            ByteBuffer ack = ByteBuffer.allocate(8);
            while (ack.hasRemaining()) {
                if (channel.read(ack) < 0) {
                    throw new IOException("the sink at " + sink + " closed the connection before it acknowledged "
                            + bytes + " bytes");
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long received = ack.flip().getLong();
            if (received != bytes) {
                throw new IOException("the sink at " + sink + " acknowledged " + received + " bytes of " + bytes);
            }
            return seconds;
        }
    }

    private static int writeFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        int written = 0;
        while (buffer.hasRemaining()) {
            written += channel.write(buffer);
        }
        return written;
    }

    /** Sends {@code count} messages one at a time and returns each round-trip time in nanoseconds. */
    static List<Long> roundTrips(InetSocketAddress echo, int count, int messageBytes) throws IOException {
        List<Long> times = new ArrayList<>(count);
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(echo, 10_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            byte[] message = new byte[messageBytes];
            byte[] reply = new byte[messageBytes];
            for (int i = 0; i < count; i++) {
                message[0] = (byte) i;
                long start = System.nanoTime();
                out.write(message);
                readFully(in, reply, echo);
                times.add(System.nanoTime() - start);
                if (reply[0] != message[0]) {
                    throw new IOException("the echo at " + echo + " returned a different message");
                }
            }
        }
        return times;
    }

    private static void readFully(InputStream in, byte[] buffer, InetSocketAddress from) throws IOException {
        int offset = 0;
        while (offset < buffer.length) {
            int read = in.read(buffer, offset, buffer.length - offset);
            if (read < 0) {
                throw new IOException("the connection to " + from + " closed after " + offset + " of "
                        + buffer.length + " bytes");
            }
            offset += read;
        }
    }

    // --- idle streams -----------------------------------------------------------------------

    /**
     * Opens the idle connections in two equal batches and measures each process after each
     * batch. The growth from the first to the second batch, divided by the second batch's
     * connections, is the cost per connection. One-time costs, such as loading classes or
     * creating pools for the first connection, fall into the first batch and cancel out.
     */
    static void idle(InetSocketAddress address, int streams, Map<String, Long> pids) throws Exception {
        int firstBatch = streams / 2;
        int secondBatch = streams - firstBatch;
        Map<String, long[]> first;
        Map<String, long[]> second;
        List<Socket> sockets = new ArrayList<>(streams);
        try {
            openIdle(address, firstBatch, sockets);
            first = memoryOf(pids);
            openIdle(address, secondBatch, sockets);
            second = memoryOf(pids);
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }

        for (String label : pids.keySet()) {
            String key = "idle_stream." + label;
            long[] low = first.get(label);
            long[] high = second.get(label);
            out(key + ".heap_bytes_per_stream", String.valueOf((high[0] - low[0]) / secondBatch));
            out(key + ".rss_bytes_per_stream", String.valueOf((high[1] - low[1]) / secondBatch));
            out(key + ".heap_live_bytes", low[0] + " -> " + high[0]);
            out(key + ".rss_bytes", low[1] + " -> " + high[1]);
        }
        out("idle_stream.streams", firstBatch + " + " + secondBatch);
    }

    private static void openIdle(InetSocketAddress address, int count, List<Socket> sockets) throws Exception {
        for (int i = 0; i < count; i++) {
            sockets.add(openIdle(address));
        }
        log(sockets.size() + " idle connections open through " + address);
        Thread.sleep(IDLE_SETTLE_MILLIS);
    }

    private static Map<String, long[]> memoryOf(Map<String, Long> pids) throws IOException, InterruptedException {
        Map<String, long[]> memory = new LinkedHashMap<>();
        for (Map.Entry<String, Long> entry : pids.entrySet()) {
            memory.put(entry.getKey(), memory(entry.getValue()));
        }
        return memory;
    }

    /** Opens a connection and proves with one echoed byte that the stream reached the service. */
    private static Socket openIdle(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(address, 10_000);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write('x');
            if (socket.getInputStream().read() != 'x') {
                throw new IOException("no echo came back through " + address);
            }
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Returns the live heap bytes after a full GC (class histogram total) and the resident bytes of a JVM. */
    static long[] memory(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        long live = -1;
        for (String line : jcmd(pid, "GC.class_histogram")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("Total")) {
                String[] fields = trimmed.split("\\s+");
                live = Long.parseLong(fields[2]);
            }
        }
        if (live < 0) {
            throw new IOException("jcmd " + pid + " GC.class_histogram printed no Total line");
        }
        long rss = -1;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return new long[] {live, rss};
    }

    private static List<String> jcmd(long pid, String command) throws IOException, InterruptedException {
        return command("jcmd", String.valueOf(pid), command);
    }

    // --- helpers ----------------------------------------------------------------------------

    /** Reads lines of NAME, SINK host:port, ECHO host:port and LABEL=PID,LABEL=PID, tab-separated. */
    static List<BenchPath> readPaths(Path file) throws IOException {
        List<BenchPath> paths = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\t");
            if (fields.length != 4) {
                throw new IllegalArgumentException("Invalid line in " + file + ": '" + line
                        + "'; expected name, sink address, echo address and label=pid list, tab-separated");
            }
            paths.add(new BenchPath(fields[0], address(fields[1]), address(fields[2]),
                    pids(Arrays.asList(fields[3].split(",")))));
        }
        return paths;
    }

    static Map<String, Long> pids(List<String> entries) {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (String entry : entries) {
            if (entry.isBlank() || entry.equals("-")) {
                continue;
            }
            String[] parts = entry.split("=", 2);
            pids.put(parts[0], Long.parseLong(parts[1]));
        }
        return pids;
    }

    static InetSocketAddress address(String text) {
        int colon = text.lastIndexOf(':');
        return new InetSocketAddress(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
    }

    /** Returns utime + stime of each process in clock ticks, from /proc/PID/stat. */
    static Map<String, Long> cpuTicks(Map<String, Long> pids) {
        Map<String, Long> ticks = new LinkedHashMap<>();
        for (Map.Entry<String, Long> entry : pids.entrySet()) {
            try {
                String stat = Files.readString(Path.of("/proc/" + entry.getValue() + "/stat"));
                // Fields after the command name, which is in brackets and may contain spaces:
                // field 3 (state) is index 0, so utime (14) and stime (15) are 11 and 12.
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks.put(entry.getKey(), Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
            } catch (IOException e) {
                throw new UncheckedIOException("Reading the CPU time of " + entry.getKey() + " (pid "
                        + entry.getValue() + ") failed; did the process exit?", e);
            }
        }
        return ticks;
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    static long percentile(long[] sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String join(List<Double> values) {
        List<String> texts = new ArrayList<>();
        for (double value : values) {
            texts.add(format(value));
        }
        return String.join("; ", texts);
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static void out(String key, String value) {
        System.out.println(key + "\t" + value);
        System.out.flush();
    }

    private static void log(String message) {
        System.err.println(java.time.LocalTime.now().withNano(0) + " " + message);
    }
}
