package org.nbregistry.local.servers;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Real PostgreSQL (zonky's embedded binaries) with a persistent data directory.
 *
 * <pre>--port 5432 --data DIR [--databases a,b] [--password registry] [--binaries DIR]</pre>
 *
 * DIR holds the cluster in {@code pgdata/} (initialised only once) and the server's own output in
 * {@code postgresql.log}. The postmaster detaches from this JVM, which is why this main exists:
 * it stops the postmaster when its parent goes away.
 */
public final class PostgresServerMain {

    static final String USER = "postgres";
    static final String DEFAULT_PASSWORD = "registry";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private PostgresServerMain() {
    }

    public static void main(String[] args) {
        ServerRunner.run("postgres", args, PostgresServerMain::start);
    }

    static RunningServer start(ServerArgs args) throws Exception {
        int port = args.port("port");
        Path dataDir = args.path("data");
        String password = args.string("password", DEFAULT_PASSWORD);
        List<String> databases = args.list("databases");
        databases.forEach(PostgresServerMain::checkDatabaseName);

        Path pgData = dataDir.resolve("pgdata");
        Files.createDirectories(pgData);
        stopOrphanedPostmaster(pgData);

        Path passwordFile = dataDir.resolve("initdb-password");
        Files.writeString(passwordFile, password);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                // zonky passes these to initdb as --name=value (only on first start): TCP clients
                // must then present the password, as with any real server.
                .setLocaleConfig("pwfile", passwordFile.toString())
                .setLocaleConfig("auth-host", "scram-sha-256")
                .setConnectConfig("password", password)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setOutputRedirector(Redirect.appendTo(dataDir.resolve("postgresql.log").toFile()))
                .setErrorRedirector(Redirect.appendTo(dataDir.resolve("postgresql.log").toFile()));
        String binaries = args.string("binaries", null);
        if (binaries != null) {
            builder.setOverrideWorkingDirectory(Path.of(binaries).toFile()); // default: <tmp>/embedded-pg, shared
        }
        EmbeddedPostgres postgres;
        try {
            postgres = builder.start();
        } finally {
            Files.deleteIfExists(passwordFile);
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
            for (String database : databases) {
                createDatabaseIfAbsent(connection, database);
            }
        }
        String connection = "postgresql://" + USER + ":" + password + "@127.0.0.1:" + port;
        return new RunningServer() {
            @Override
            public String connectionString() {
                return connection;
            }

            @Override
            public void close() throws IOException {
                postgres.close();
            }
        };
    }

    static void createDatabaseIfAbsent(Connection connection, String database) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (Statement create = connection.createStatement()) {
            // Identifiers cannot be bound as parameters; the name was checked against DATABASE_NAME.
            create.execute("CREATE DATABASE \"" + database + "\"");
        }
    }

    private static void checkDatabaseName(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
    }

    /**
     * A postmaster left running on this data directory (its supervising main was killed with -9)
     * would make the start fail; it belongs to nobody, so stop it.
     */
    private static void stopOrphanedPostmaster(Path pgData) throws IOException {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        Optional<ProcessHandle> postmaster;
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            postmaster = ProcessHandle.of(pid)
                    .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        } catch (RuntimeException e) {
            return; // unreadable pid file: let PostgreSQL judge it
        }
        if (postmaster.isEmpty()) {
            return;
        }
        ProcessHandle process = postmaster.get();
        System.out.println("stopping orphaned postmaster " + process.pid());
        process.destroy(); // SIGTERM: PostgreSQL's smart shutdown
        try {
            process.onExit().get(15, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }
}
