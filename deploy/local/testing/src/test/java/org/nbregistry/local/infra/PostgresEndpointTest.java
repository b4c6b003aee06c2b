package org.nbregistry.local.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PostgresEndpointTest {

    @Test
    void parsesTheUrlFormAndDerivesUrls() {
        PostgresEndpoint pg = PostgresEndpoint.parse("postgresql://postgres:s%40cret@127.0.0.1:15432");
        assertEquals(new PostgresEndpoint("127.0.0.1", 15432, "postgres", "s@cret"), pg);
        assertEquals("postgresql://127.0.0.1:15432/episodes", pg.reactiveUrl("episodes"));
        assertEquals("jdbc:postgresql://127.0.0.1:15432/episodes", pg.jdbcUrl("episodes"));
        assertFalse(pg.toString().contains("s@cret"));
        assertEquals(5432, PostgresEndpoint.parse("postgres://u:p@db.internal/any").port());
    }

    @Test
    void rejectsUrlsWithoutCredentialsWithoutEchoingThePassword() {
        assertThrows(IllegalArgumentException.class, () -> PostgresEndpoint.parse("postgresql://127.0.0.1:5432"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PostgresEndpoint.parse("mysql://root:hunter2@127.0.0.1:3306"));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> PostgresEndpoint.parse("postgresql://u:p@h:1").ensureDatabases(List.of("bad; DROP")));
    }

    @Test
    void externalServersComeFromTheEnvironment() {
        ExternalServers none = ExternalServers.from(Map.of("KAFKA_BOOTSTRAP_SERVERS", " "));
        assertFalse(none.provides(Server.KAFKA));
        ExternalServers all = ExternalServers.from(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092",
                "POSTGRES_URL", "postgresql://postgres:pw@127.0.0.1:5432", "MONGODB_URI", "mongodb://127.0.0.1:27017"));
        assertTrue(all.provides(Server.KAFKA) && all.provides(Server.POSTGRES) && all.provides(Server.MONGODB));
        assertEquals("pw", all.postgres().orElseThrow().password());
    }

    @Test
    void resourceConfigHasTheQuarkusKeys() {
        Map<String, String> config = RealInfrastructureResource.config(Map.of(
                "kafka", "127.0.0.1:1", "postgres", "postgresql://postgres:pw@127.0.0.1:2", "mongodb", "mongodb://127.0.0.1:3"),
                "episodes", "intake");
        assertEquals("127.0.0.1:1", config.get("kafka.bootstrap.servers"));
        assertEquals("postgresql://127.0.0.1:2/episodes", config.get("quarkus.datasource.reactive.url"));
        assertEquals("jdbc:postgresql://127.0.0.1:2/episodes", config.get("quarkus.datasource.jdbc.url"));
        assertEquals("postgres", config.get("quarkus.datasource.username"));
        assertEquals("pw", config.get("quarkus.datasource.password"));
        assertEquals("mongodb://127.0.0.1:3", config.get("quarkus.mongodb.connection-string"));
        assertEquals("intake", config.get("quarkus.mongodb.database"));
        assertEquals("false", config.get("quarkus.devservices.enabled"));
    }
}
