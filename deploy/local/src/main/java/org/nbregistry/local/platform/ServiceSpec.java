package org.nbregistry.local.platform;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One service the platform runs and what it needs.
 *
 * @param name             module and process name, e.g. {@code episode-service}
 * @param port             its HTTP port option (the API, health, OpenAPI)
 * @param managementPort   its management interface's port option (metrics), apart from where clients come in
 * @param postgresDatabase its PostgreSQL database, if it has one
 * @param mongodb          whether it keeps data in MongoDB
 * @param bearerTokens     whether it verifies bearer tokens, and so needs the verification key and issuer
 * @param maxHeap          its -Xmx: analytics holds the analysis dataset and its counts in memory, the others little
 */
record ServiceSpec(String name, PortOption port, PortOption managementPort, Optional<String> postgresDatabase, boolean mongodb, boolean bearerTokens,
                   String maxHeap) {

    Path module(Path root) {
        return root.resolve("services").resolve(name);
    }

    Path jar(Path root) {
        return module(root).resolve("target/quarkus-app/quarkus-run.jar");
    }
}
