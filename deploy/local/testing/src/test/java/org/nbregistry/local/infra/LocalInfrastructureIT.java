package org.nbregistry.local.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The three real servers as child processes: they work, keep their data, and survive a broker restart. */
class LocalInfrastructureIT {

    private static final Path DATA = Path.of("target", "it-data", "local-infrastructure");
    private static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(30);

    private static LocalInfrastructure start(boolean fresh) {
        long started = System.nanoTime();
        LocalInfrastructure infra = LocalInfrastructure.builder(DATA)
                .fresh(fresh)
                .environment(Map.of()) // never pick up an external server from the build's environment
                .servers(Server.values())
                .postgresDatabases(List.of("episodes", "treatments"))
                .start();
        System.out.printf("three servers ready in %d ms: %s%n", (System.nanoTime() - started) / 1_000_000, infra.describe());
        return infra;
    }

    @Test
    void serversWorkKeepTheirDataAndSurviveABrokerRestart() throws Exception {
        Map<Server, Long> firstPids;
        try (LocalInfrastructure infra = start(true)) {
            firstPids = infra.pids();
            assertEquals(3, firstPids.size());

            Clients.produce(infra.kafka(), "it.events", "patient-1", "first");
            assertEquals(List.of("first"), Clients.consume(infra.kafka(), "it.events", 1, CONSUME_TIMEOUT));

            int kafkaPort = infra.port(Server.KAFKA);
            infra.stopKafka();
            assertThrows(IllegalStateException.class, infra::kafka);
            infra.startKafka();
            assertEquals(kafkaPort, infra.port(Server.KAFKA));
            Clients.produce(infra.kafka(), "it.events", "patient-1", "after-restart");
            assertEquals(List.of("first", "after-restart"), Clients.consume(infra.kafka(), "it.events", 2, CONSUME_TIMEOUT));

            PostgresEndpoint pg = infra.postgres();
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("episodes"), pg.username(), pg.password());
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE episode (id int PRIMARY KEY, type text NOT NULL)");
                s.execute("INSERT INTO episode VALUES (1, 'relapse')");
            }
            assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(pg.jdbcUrl("episodes"), pg.username(), "wrong").close(),
                    "the local server must check the password like a real deployment");
            infra.ensureDatabases(List.of("analytics"));
            DriverManager.getConnection(pg.jdbcUrl("analytics"), pg.username(), pg.password()).close();

            try (MongoClient mongo = MongoClients.create(infra.mongodb().connectionString())) {
                mongo.getDatabase("intake").getCollection("submissions")
                        .insertOne(new Document("_id", "s-1").append("site", "H01"));
                assertEquals("H01", mongo.getDatabase("intake").getCollection("submissions")
                        .find(new Document("_id", "s-1")).first().getString("site"));
            }
        }
        firstPids.values().forEach(pid -> assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                "server process " + pid + " still alive after close"));

        try (LocalInfrastructure infra = start(false)) {
            assertEquals(List.of("first", "after-restart"), Clients.consume(infra.kafka(), "it.events", 2, CONSUME_TIMEOUT));
            PostgresEndpoint pg = infra.postgres();
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("episodes"), pg.username(), pg.password());
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT type FROM episode WHERE id = 1")) {
                assertTrue(rs.next());
                assertEquals("relapse", rs.getString(1));
            }
            try (MongoClient mongo = MongoClients.create(infra.mongodb().connectionString())) {
                MongoCollection<Document> submissions = mongo.getDatabase("intake").getCollection("submissions");
                assertEquals("H01", submissions.find(new Document("_id", "s-1")).first().getString("site"));
            }
        }
    }
}
