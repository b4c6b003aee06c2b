package org.nbregistry.local.platform;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * One service process the platform runs and what it needs. Every service verifies bearer tokens, so each gets the
 * development key and issuer.
 *
 * @param name             process name, e.g. {@code episode-service}; a second instance has a name of its own
 * @param module           the module whose packaged application it runs, e.g. {@code analytics-service}
 * @param port             its HTTP port option (the API, health, OpenAPI)
 * @param managementPort   its management interface's port option (metrics), apart from where clients come in
 * @param postgresDatabase its PostgreSQL database, if it has one
 * @param mongodb          whether it keeps data in MongoDB
 * @param maxHeap          its -Xmx: analytics holds the analysis dataset and its counts in memory, the others little
 * @param environment      settings of its own, e.g. a second analytics instance's consumer group
 */
record ServiceSpec(String name, String module, PortOption port, PortOption managementPort, Optional<String> postgresDatabase,
                   boolean mongodb, String maxHeap, Map<String, String> environment) {

    ServiceSpec(String name, PortOption port, PortOption managementPort, Optional<String> postgresDatabase, boolean mongodb,
                String maxHeap) {
        this(name, name, port, managementPort, postgresDatabase, mongodb, maxHeap, Map.of());
    }

    Path module(Path root) {
        return root.resolve("services").resolve(module);
    }

    Path jar(Path root) {
        return module(root).resolve("target/quarkus-app/quarkus-run.jar");
    }
}
