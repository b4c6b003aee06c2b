package org.nbregistry.local.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The Quarkus test resource, driven as Quarkus drives it: init args in, config keys out, one infrastructure per JVM. */
class RealInfrastructureResourceIT {

    private static Map<String, String> start(Map<String, String> initArgs) {
        RealInfrastructureResource resource = new RealInfrastructureResource();
        resource.init(initArgs);
        return resource.start();
    }

    @Test
    void oneInfrastructureServesEveryTestClassAndEveryClassLoader() throws Exception {
        Map<String, String> episodes = start(Map.of("servers", "kafka,postgres", "postgres.database", "episodes"));
        try (Connection c = DriverManager.getConnection(episodes.get("quarkus.datasource.jdbc.url"),
                episodes.get("quarkus.datasource.username"), episodes.get("quarkus.datasource.password"))) {
            assertEquals("episodes", c.getCatalog());
        }
        assertEquals(episodes.get("quarkus.datasource.jdbc.url").replace("jdbc:", ""),
                episodes.get("quarkus.datasource.reactive.url"));
        assertFalse(episodes.containsKey("quarkus.mongodb.connection-string"));

        // A second test class asking for more: same Kafka, one more database, MongoDB added.
        Map<String, String> all = start(Map.of("postgres.database", "treatments", "mongodb.database", "analytics"));
        assertEquals(episodes.get("kafka.bootstrap.servers"), all.get("kafka.bootstrap.servers"));
        assertEquals("analytics", all.get("quarkus.mongodb.database"));
        DriverManager.getConnection(all.get("quarkus.datasource.jdbc.url"),
                all.get("quarkus.datasource.username"), all.get("quarkus.datasource.password")).close();

        // Quarkus loads test resources in class loaders of their own; they must reach the same servers.
        try (URLClassLoader isolated = new URLClassLoader(classpath(), ClassLoader.getPlatformClassLoader())) {
            Class<?> resourceClass = isolated.loadClass(RealInfrastructureResource.class.getName());
            assertNotSame(RealInfrastructureResource.class, resourceClass);
            Object resource = resourceClass.getDeclaredConstructor().newInstance();
            resourceClass.getMethod("init", Map.class).invoke(resource, Map.of("servers", "kafka"));
            @SuppressWarnings("unchecked")
            Map<String, String> config = (Map<String, String>) resourceClass.getMethod("start").invoke(resource);
            assertEquals(episodes.get("kafka.bootstrap.servers"), config.get("kafka.bootstrap.servers"));
        }
    }

    @Test
    void kafkaRestartsOnTheSamePortWithItsData() throws Exception {
        Map<String, String> config = start(Map.of("servers", "kafka"));
        KafkaEndpoint kafka = new KafkaEndpoint(config.get("kafka.bootstrap.servers"));
        Clients.produce(kafka, "resource.restart", "p-1", "before");

        RealInfrastructureResource.restartKafka();

        assertEquals(config, start(Map.of("servers", "kafka")), "same endpoint after the restart");
        Clients.produce(kafka, "resource.restart", "p-1", "after");
        assertEquals(List.of("before", "after"), Clients.consume(kafka, "resource.restart", 2, Duration.ofSeconds(30)));
    }

    @Test
    void postgresWithoutADatabaseNameIsAConfigurationError() {
        assertThrows(IllegalArgumentException.class,
                () -> new RealInfrastructureResource().init(Map.of("servers", "postgres")));
    }

    private static URL[] classpath() throws Exception {
        String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
        URL[] urls = new URL[entries.length];
        for (int i = 0; i < entries.length; i++) {
            urls[i] = Path.of(entries[i]).toUri().toURL();
        }
        return urls;
    }
}
