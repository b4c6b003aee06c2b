package org.nbregistry.local.infra;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Real Kafka, PostgreSQL and MongoDB for {@code @QuarkusTest}s: Testcontainers where a Docker daemon
 * is available, the {@code deploy/local/servers} processes otherwise (the log says which and why).
 * One infrastructure per test JVM serves every test class; it stops when the JVM exits.
 *
 * <pre>
 * &#64;QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
 *     &#64;ResourceArg(name = "servers", value = "kafka,postgres"),
 *     &#64;ResourceArg(name = "postgres.database", value = "episodes") })
 * </pre>
 * Init args: {@code servers} (comma-separated {@code kafka,postgres,mongodb}; default all three),
 * {@code postgres.database} (required with postgres; created if missing), {@code mongodb.database} (optional).
 */
public class RealInfrastructureResource implements QuarkusTestResourceLifecycleManager {

    public static final String SERVERS = "servers";
    public static final String POSTGRES_DATABASE = "postgres.database";
    public static final String MONGODB_DATABASE = "mongodb.database";

    private Set<Server> servers = Set.of(Server.values());
    private String postgresDatabase;
    private String mongodbDatabase;

    @Override
    public void init(Map<String, String> initArgs) {
        if (initArgs.containsKey(SERVERS)) {
            servers = Server.parse(initArgs.get(SERVERS));
        }
        postgresDatabase = initArgs.get(POSTGRES_DATABASE);
        mongodbDatabase = initArgs.get(MONGODB_DATABASE);
        if (servers.contains(Server.POSTGRES) && (postgresDatabase == null || postgresDatabase.isBlank())) {
            throw new IllegalArgumentException("RealInfrastructureResource: init arg " + POSTGRES_DATABASE
                    + " is required when servers include postgres");
        }
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> endpoints = SharedInfrastructure.ensure(servers,
                postgresDatabase == null ? List.of() : List.of(postgresDatabase));
        if (endpoints.containsKey(Server.KAFKA.id())) {
            RegistryTopics.ensure(endpoints.get(Server.KAFKA.id()), ServersDistribution.repositoryRoot(), 3);
        }
        return config(endpoints, postgresDatabase, mongodbDatabase);
    }

    static Map<String, String> config(Map<String, String> endpoints, String postgresDatabase, String mongodbDatabase) {
        Map<String, String> config = new HashMap<>();
        // The servers are provided here; Dev Services must not start their own.
        config.put("quarkus.devservices.enabled", "false");
        if (endpoints.containsKey(Server.KAFKA.id())) {
            config.put("kafka.bootstrap.servers", endpoints.get(Server.KAFKA.id()));
        }
        if (endpoints.containsKey(Server.POSTGRES.id()) && postgresDatabase != null) {
            PostgresEndpoint pg = PostgresEndpoint.parse(endpoints.get(Server.POSTGRES.id()));
            config.put("quarkus.datasource.reactive.url", pg.reactiveUrl(postgresDatabase));
            config.put("quarkus.datasource.jdbc.url", pg.jdbcUrl(postgresDatabase));
            config.put("quarkus.datasource.username", pg.username());
            config.put("quarkus.datasource.password", pg.password());
        }
        if (endpoints.containsKey(Server.MONGODB.id())) {
            config.put("quarkus.mongodb.connection-string", endpoints.get(Server.MONGODB.id()));
            if (mongodbDatabase != null && !mongodbDatabase.isBlank()) {
                config.put("quarkus.mongodb.database", mongodbDatabase);
            }
        }
        return config;
    }

    /** Nothing to do: the shared infrastructure outlives each test class and stops at JVM exit. */
    @Override
    public void stop() {
    }

    /** Stops the broker (same port and data kept) to test what survives an outage. */
    public static void stopKafka() {
        SharedInfrastructure.stopKafka();
    }

    /** Starts the broker again after {@link #stopKafka()}. */
    public static void startKafka() {
        SharedInfrastructure.startKafka();
    }

    public static void restartKafka() {
        stopKafka();
        startKafka();
    }
}
