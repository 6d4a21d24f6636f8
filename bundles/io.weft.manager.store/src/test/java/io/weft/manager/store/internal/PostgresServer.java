package io.weft.manager.store.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * A throwaway PostgreSQL server for tests, run from the binaries of Debian's postgresql
 * package.
 *
 * <p>{@link #start()} runs initdb into a new temporary folder, then starts the server on a free
 * port of 127.0.0.1 with its Unix socket inside that folder, so it touches neither port 5432
 * nor the data of a PostgreSQL service on the machine. initdb and postgres refuse to run as
 * root, so as root both run as the system user {@code postgres} (through runuser), which owns
 * the folder. A shutdown hook stops the server if the JVM exits without {@link #close()}.
 * Durability is off (fsync, synchronous_commit), because the data is thrown away.
 */
final class PostgresServer implements AutoCloseable {

    static final String USER = "weft";
    private static final String SUPERUSER = "weft_admin";
    private static final Path INSTALLATIONS = Path.of("/usr/lib/postgresql");
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final long TIMEOUT_SECONDS = 120;

    private final Path bin;
    private final Path folder;
    private final int port;
    private final String superuserPassword;
    private final String password;
    private final boolean asPostgresUser;
    private final Thread shutdownHook;
    private boolean stopped;

    private PostgresServer(Path bin, Path folder, int port, String superuserPassword, boolean asPostgresUser) {
        this.bin = bin;
        this.folder = folder;
        this.port = port;
        this.superuserPassword = superuserPassword;
        this.password = randomPassword();
        this.asPostgresUser = asPostgresUser;
        this.shutdownHook = new Thread(this::stopQuietly, "postgres-test-server-stop");
    }

    /**
     * Creates a cluster in a temporary folder and starts its server.
     *
     * @throws IllegalStateException if the PostgreSQL server binaries are not installed
     */
    static PostgresServer start() throws IOException, InterruptedException, SQLException {
        Path bin = findBinaries(INSTALLATIONS);
        boolean asPostgresUser = "root".equals(System.getProperty("user.name"));
        Path folder = Files.createTempDirectory("weft-postgres-");
        PostgresServer server = new PostgresServer(bin, folder, freePort(), randomPassword(), asPostgresUser);
        try {
            server.initialize();
            Runtime.getRuntime().addShutdownHook(server.shutdownHook);
            server.launch();
            server.createUser();
            return server;
        } catch (IOException | InterruptedException | SQLException | RuntimeException e) {
            server.stopQuietly();
            throw e;
        }
    }

    /**
     * Returns the directory of the newest installed server version, such as
     * /usr/lib/postgresql/15/bin for the installations folder /usr/lib/postgresql.
     *
     * @throws IllegalStateException if no version is installed there
     */
    static Path findBinaries(Path installations) throws IOException {
        Optional<Path> newest = Optional.empty();
        if (Files.isDirectory(installations)) {
            try (Stream<Path> versions = Files.list(installations)) {
                newest = versions.map(version -> version.resolve("bin"))
                        .filter(candidate -> Files.isExecutable(candidate.resolve("initdb"))
                                && Files.isExecutable(candidate.resolve("pg_ctl")))
                        .max(Comparator.comparing(PostgresServer::majorVersion));
            }
        }
        return newest.orElseThrow(() -> new IllegalStateException("PostgreSQL server binaries not found under "
                + installations + "/<version>/bin: install the Debian package postgresql "
                + "(./weft test installs it when run as root), then run the tests again"));
    }

    private static int majorVersion(Path bin) {
        String name = bin.getParent().getFileName().toString();
        return name.matches("[0-9]+") ? Integer.parseInt(name) : 0;
    }

    private void initialize() throws IOException, InterruptedException {
        Files.createDirectories(folder.resolve("socket"));
        Path passwordFile = folder.resolve("superuser.password");
        Files.writeString(passwordFile, superuserPassword, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        if (asPostgresUser) {
            giveToPostgresUser();
        }

        run("initdb", List.of("-D", data().toString(), "-U", SUPERUSER, "--auth=scram-sha-256",
                "--pwfile=" + passwordFile, "--encoding=UTF8", "--locale=C", "--no-sync"));
        Files.delete(passwordFile);
    }

    private void launch() throws IOException, InterruptedException {
        String options = "-c listen_addresses=127.0.0.1 -p " + port + " -c unix_socket_directories="
                + folder.resolve("socket") + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        run("pg_ctl", List.of("-D", data().toString(), "-l", folder.resolve("server.log").toString(), "-w", "-t",
                String.valueOf(TIMEOUT_SECONDS), "-o", options, "start"));
    }

    private void createUser() throws SQLException {
        try (Connection connection = superuserDataSource("postgres").getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + password + "'");
        }
    }

    /**
     * Creates an empty database owned by {@value #USER} and returns its JDBC URL.
     *
     * @param name lower-case letters, digits and underscores
     */
    String createDatabase(String name) throws SQLException {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid test database name '" + name + "'");
        }
        try (Connection connection = superuserDataSource("postgres").getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name + " OWNER " + USER);
        }
        return jdbcUrl(name);
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Returns the password of {@value #USER}. */
    String password() {
        return password;
    }

    int port() {
        return port;
    }

    private PGSimpleDataSource superuserDataSource(String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl(database));
        dataSource.setUser(SUPERUSER);
        dataSource.setPassword(superuserPassword);
        return dataSource;
    }

    /** Stops the server with pg_ctl stop -m fast and deletes the folder. */
    @Override
    public synchronized void close() throws IOException {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            if (Files.exists(data().resolve("postmaster.pid"))) {
                run("pg_ctl", List.of("-D", data().toString(), "-m", "fast", "-w", "-t",
                        String.valueOf(TIMEOUT_SECONDS), "stop"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while stopping the PostgreSQL test server in " + folder, e);
        } finally {
            removeShutdownHook();
            deleteRecursively(folder);
        }
    }

    private void stopQuietly() {
        try {
            close();
        } catch (IOException | RuntimeException e) {
            System.err.println("Failed to stop the PostgreSQL test server in " + folder + " (port " + port
                    + "); stop it with: pg_ctl -D " + data() + " stop -m fast. Cause: " + e);
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // The JVM is shutting down (this runs in the hook), or the hook was never added.
        }
    }

    private Path data() {
        return folder.resolve("data");
    }

    private void giveToPostgresUser() throws IOException {
        UserPrincipalLookupService users = folder.getFileSystem().getUserPrincipalLookupService();
        var owner = users.lookupPrincipalByName("postgres");
        var group = users.lookupPrincipalByGroupName("postgres");
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.toList()) {
                Files.setOwner(path, owner);
                Files.getFileAttributeView(path, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(group);
            }
        }
    }

    /** Runs a PostgreSQL program, as the postgres user when this JVM runs as root. */
    private void run(String program, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (asPostgresUser) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(arguments);

        Path output = Files.createTempFile("weft-postgres-" + program + "-", ".log");
        try {
            // Output goes to a file, because the server that pg_ctl starts would keep a pipe open.
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().put("LC_ALL", "C");
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS + 10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(program + " did not finish within " + (TIMEOUT_SECONDS + 10)
                        + " s: " + command + "\n" + Files.readString(output) + serverLog());
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(program + " failed with exit code " + process.exitValue() + ": "
                        + command + "\n" + Files.readString(output) + serverLog());
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private String serverLog() throws IOException {
        Path log = folder.resolve("server.log");
        return Files.exists(log) ? "\nserver.log:\n" + Files.readString(log) : "";
    }

    private static int freePort() throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (socket.getLocalPort() != 5432) {
                    return socket.getLocalPort();
                }
            }
        }
    }

    private static String randomPassword() {
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return password.toString();
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
