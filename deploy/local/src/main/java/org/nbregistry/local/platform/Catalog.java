package org.nbregistry.local.platform;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** The single list of what the platform runs; a new service or server option starts here. */
public final class Catalog {

    static final PortOption KAFKA = new PortOption("kafka", 9092);
    static final PortOption POSTGRES = new PortOption("postgres", 5432);
    static final PortOption MONGODB = new PortOption("mongodb", 27017);

    static final List<ServiceSpec> SERVICES = List.of(
            new ServiceSpec("intake-service", new PortOption("intake", 8081), new PortOption("intake-management", 9081),
                    Optional.empty(), true, "384m"),
            new ServiceSpec("episode-service", new PortOption("episode", 8082), new PortOption("episode-management", 9082),
                    Optional.of("episodes"), false, "256m"),
            new ServiceSpec("analytics-service", new PortOption("analytics", 8084), new PortOption("analytics-management", 9084),
                    Optional.empty(), true, "512m"));

    /**
     * A second analytics-service instance, as Kubernetes runs two replicas: its own consumer group (so it reads every
     * event itself and holds the complete statistics) over the shared projection. Only on request:
     * {@code --services intake,episode,analytics,analytics-replica}.
     */
    static final ServiceSpec ANALYTICS_REPLICA = new ServiceSpec("analytics-replica", "analytics-service",
            new PortOption("analytics-replica", 8085), new PortOption("analytics-replica-management", 9085), Optional.empty(),
            true, "512m", Map.of("REGISTRY_ANALYTICS_CONSUMER_GROUP", "analytics-replica"));

    /** The demo sites: `./platform up` prints a development token for each. */
    public static final List<String> DEMO_SITES = List.of("S01", "S02", "S03", "S04", "S05", "S06");

    private Catalog() {
    }

    static List<PortOption> ports() {
        return Stream.concat(Stream.of(KAFKA, POSTGRES, MONGODB), known().flatMap(s -> Stream.of(s.port(), s.managementPort())))
                .toList();
    }

    static List<String> postgresDatabases() {
        return SERVICES.stream().flatMap(s -> s.postgresDatabase().stream()).distinct().toList();
    }

    static ServiceSpec service(String keyOrName) {
        return known()
                .filter(s -> s.name().equals(keyOrName) || s.port().key().equals(keyOrName))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown service '" + keyOrName + "'; known: "
                        + known().map(s -> s.port().key()).toList()));
    }

    private static Stream<ServiceSpec> known() {
        return Stream.concat(SERVICES.stream(), Stream.of(ANALYTICS_REPLICA));
    }
}
