package org.nbregistry.local.infra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The one infrastructure of a test JVM, shared by every test class and every Quarkus restart, and
 * stopped when the JVM exits. Quarkus loads test resources in class loaders that come and go, so
 * a static field of this class would not be shared: the one instance is a static field of {@link Host}
 * as loaded by the system class loader, reached behind a JDK type, which every class loader sees alike.
 * (Not a system property: libraries such as Narayana read every system property as a string.)
 */
public final class SharedInfrastructure {


    private SharedInfrastructure() {
    }

    /**
     * Makes sure these servers run (starting the infrastructure on first use) and these databases exist.
     *
     * @return connection strings by server id ({@code kafka}, {@code postgres} as
     *         {@code postgresql://user:password@host:port}, {@code mongodb})
     */
    public static Map<String, String> ensure(Set<Server> servers, List<String> postgresDatabases) {
        List<String> command = new ArrayList<>(List.of("ensure", Server.ids(servers)));
        command.addAll(postgresDatabases);
        return host().apply(command);
    }

    public static void stopKafka() {
        host().apply(List.of("stop-kafka"));
    }

    public static void startKafka() {
        host().apply(List.of("start-kafka"));
    }

    @SuppressWarnings("unchecked")
    private static Function<List<String>, Map<String, String>> host() {
        try {
            return (Function<List<String>, Map<String, String>>) Class.forName(Host.class.getName(), true,
                    ClassLoader.getSystemClassLoader()).getField("INSTANCE").get(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return Host.INSTANCE; // not on the system class path: this class loader is the only one
        }
    }

    /** Holds the infrastructure; reached only through {@link Function#apply}. */
    public static final class Host implements Function<List<String>, Map<String, String>> {

        public static final Host INSTANCE = new Host();

        private Infrastructure infrastructure;

        @Override
        public synchronized Map<String, String> apply(List<String> command) {
            switch (command.get(0)) {
                case "ensure" -> {
                    Set<Server> servers = Server.parse(command.get(1));
                    List<String> databases = command.subList(2, command.size());
                    if (infrastructure == null) {
                        infrastructure = create(databases);
                    }
                    infrastructure.ensureStarted(servers);
                    if (!databases.isEmpty() && infrastructure.has(Server.POSTGRES)) {
                        infrastructure.ensureDatabases(databases);
                    }
                    return endpoints();
                }
                case "stop-kafka" -> running().stopKafka();
                case "start-kafka" -> running().startKafka();
                default -> throw new IllegalArgumentException(command.get(0));
            }
            return Map.of();
        }

        private Infrastructure running() {
            if (infrastructure == null) {
                throw new IllegalStateException("no shared infrastructure has been started in this JVM");
            }
            return infrastructure;
        }

        private Map<String, String> endpoints() {
            Map<String, String> endpoints = new HashMap<>();
            if (infrastructure.has(Server.KAFKA)) {
                endpoints.put(Server.KAFKA.id(), infrastructure.kafka().bootstrapServers());
            }
            if (infrastructure.has(Server.POSTGRES)) {
                PostgresEndpoint pg = infrastructure.postgres();
                endpoints.put(Server.POSTGRES.id(),
                        "postgresql://" + pg.username() + ":" + pg.password() + "@" + pg.host() + ":" + pg.port());
            }
            if (infrastructure.has(Server.MONGODB)) {
                endpoints.put(Server.MONGODB.id(), infrastructure.mongodb().connectionString());
            }
            return endpoints;
        }

        private static Infrastructure create(List<String> databases) {
            Map<String, String> env = System.getenv();
            Optional<String> forced = Optional.ofNullable(System.getProperty("registry.infrastructure"))
                    .or(() -> Optional.ofNullable(env.get("REGISTRY_INFRASTRUCTURE")));
            DockerDetection.Decision decision = DockerDetection.decide(env, forced,
                    Path.of(System.getProperty("user.home")), Path.of("/var/run/docker.sock"),
                    () -> ContainerInfrastructure.dockerAvailable(Duration.ofSeconds(15)));
            if (decision.containers()) {
                LocalInfrastructure.announce("tests use Testcontainers (" + ContainerInfrastructure.KAFKA_IMAGE + ", "
                        + ContainerInfrastructure.POSTGRES_IMAGE + ", " + ContainerInfrastructure.MONGO_IMAGE + ") - "
                        + decision.reason());
                ContainerInfrastructure containers = new ContainerInfrastructure(ExternalServers.from(env), databases);
                Runtime.getRuntime().addShutdownHook(new Thread(containers::close, "test-containers-stop"));
                return containers;
            }
            Path dataDir = Path.of(System.getProperty("user.dir"), "target", "real-infrastructure");
            LocalInfrastructure.announce("tests use local server processes from deploy/local/servers - "
                    + decision.reason());
            // Nothing is started yet: the caller's ensureStarted() starts exactly the servers it needs.
            return LocalInfrastructure.builder(dataDir).fresh(true).postgresDatabases(databases).start();
        }
    }
}
