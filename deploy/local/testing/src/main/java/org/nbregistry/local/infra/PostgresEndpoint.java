package org.nbregistry.local.infra;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.regex.Pattern;

/** A PostgreSQL server and the credentials of a user allowed to create databases. */
public record PostgresEndpoint(String host, int port, String username, String password) {

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /**
     * Parses {@code postgresql://user:password@host:port} (the form of {@code POSTGRES_URL} and of
     * the local server's READY line); a path or query after the port is ignored.
     */
    public static PostgresEndpoint parse(String url) {
        URI uri = URI.create(url.trim());
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw new IllegalArgumentException("expected postgresql://user:password@host:port, got " + redact(url));
        }
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null || !userInfo.contains(":") || uri.getHost() == null) {
            throw new IllegalArgumentException("expected postgresql://user:password@host:port, got " + redact(url));
        }
        int colon = userInfo.indexOf(':');
        return new PostgresEndpoint(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(),
                decode(userInfo.substring(0, colon)), decode(userInfo.substring(colon + 1)));
    }

    /** Vert.x / Quarkus reactive form: {@code postgresql://host:port/db}. */
    public String reactiveUrl(String database) {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** Creates each database that does not exist yet. */
    public void ensureDatabases(Collection<String> databases) {
        if (databases.isEmpty()) {
            return;
        }
        databases.forEach(PostgresEndpoint::checkName);
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), username, password)) {
            for (String database : databases) {
                if (!exists(connection, database)) {
                    try (Statement create = connection.createStatement()) {
                        // Identifiers cannot be bound as parameters; checkName allowed only plain names.
                        create.execute("CREATE DATABASE \"" + database + "\"");
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create databases " + databases + " on " + host + ":" + port, e);
        }
    }

    @Override
    public String toString() {
        return "PostgresEndpoint[" + username + "@" + host + ":" + port + "]";
    }

    private static boolean exists(Connection connection, String database) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, database);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next();
            }
        }
    }

    static void checkName(String database) {
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("not a plain PostgreSQL database name: " + database);
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String redact(String url) {
        return url.replaceAll("//([^:/@]*):[^@]*@", "//$1:***@");
    }
}
