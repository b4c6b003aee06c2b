package org.nbregistry.local.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformOptionsTest {

    private static final Path ROOT = Path.of("/repo");

    @Test
    void defaultsMatchTheDocumentedPorts() {
        PlatformOptions o = PlatformOptions.parse(new String[] {"up"}, Map.of(), ROOT);
        assertEquals(ROOT.resolve(".platform-data"), o.dataDir());
        assertEquals(9092, o.port(Catalog.KAFKA));
        assertEquals(5432, o.port(Catalog.POSTGRES));
        assertEquals(27017, o.port(Catalog.MONGODB));
        assertEquals(List.of(8081, 8082, 8084), Catalog.SERVICES.stream().map(s -> o.port(s.port())).toList());
        // Metrics: each service's management interface, the port its application.properties names.
        assertEquals(List.of(9081, 9082, 9084), Catalog.SERVICES.stream().map(s -> o.port(s.managementPort())).toList());
        assertEquals(List.of("episodes"), Catalog.postgresDatabases());
        assertEquals(3, o.services().size());
        assertTrue(!o.traces(), "tracing is asked for");
    }

    @Test
    void flagsOverrideVariablesOverrideDefaults() {
        PlatformOptions o = PlatformOptions.parse(
                new String[] {"up", "--fresh", "--detach", "--traces", "--data", "/tmp/x", "--kafka-port", "19092", "--services", "episode,analytics"},
                Map.of("KAFKA_PORT", "29092", "INTAKE_PORT", "18081", "INTAKE_MANAGEMENT_PORT", "19081"), ROOT);
        assertTrue(o.fresh() && o.detach() && o.traces());
        assertEquals(19081, o.port(Catalog.service("intake").managementPort()));
        assertEquals(Path.of("/tmp/x"), o.dataDir());
        assertEquals(19092, o.port(Catalog.KAFKA));
        assertEquals(18081, o.port(Catalog.service("intake").port()));
        assertEquals(List.of("episode-service", "analytics-service"), o.services().stream().map(ServiceSpec::name).toList());
        assertEquals(List.of(), PlatformOptions.parse(new String[] {"up", "--services", "none"}, Map.of(), ROOT).services());
    }

    @Test
    void mistakesAreReported() {
        assertThrows(IllegalArgumentException.class, () -> PlatformOptions.parse(new String[] {"start"}, Map.of(), ROOT));
        assertThrows(IllegalArgumentException.class, () -> PlatformOptions.parse(new String[] {"up", "--kafka-port"}, Map.of(), ROOT));
        assertThrows(IllegalArgumentException.class, () -> PlatformOptions.parse(new String[] {"up", "--kafka-port", "0"}, Map.of(), ROOT));
        assertThrows(IllegalArgumentException.class, () -> PlatformOptions.parse(new String[] {"up"}, Map.of("MONGODB_PORT", "x"), ROOT));
        assertThrows(IllegalArgumentException.class, () -> PlatformOptions.parse(new String[] {"up", "--services", "billing"}, Map.of(), ROOT));
    }

    @Test
    void aMissingServiceJarIsNamedWithTheWayOut(@TempDir Path emptyRoot) throws Exception {
        PlatformOptions o = PlatformOptions.parse(new String[] {"up", "--services", "intake,episode"}, Map.of(), emptyRoot);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int exitCode;
        try {
            exitCode = new Platform(o, emptyRoot, Map.of()).run();
        } finally {
            System.setErr(original);
        }
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, exitCode);
        assertTrue(message.contains("intake-service: services/intake-service/target/quarkus-app/quarkus-run.jar is missing"
                + " (module services/intake-service does not exist yet)"), message);
        assertTrue(message.contains("--services episode"), message);
    }
}
