package org.nbregistry.local.infra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.output.WaitingConsumer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mongodb.MongoDBContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The same servers from the official images, for machines with a Docker daemon. Only
 * {@link RealInfrastructureResource} touches this class, so Testcontainers is loaded only there.
 */
final class ContainerInfrastructure implements Infrastructure {

    static final String KAFKA_IMAGE = "apache/kafka:4.1.2";
    static final String POSTGRES_IMAGE = "postgres:17";
    static final String MONGO_IMAGE = "mongo:7";
    private static final int KAFKA_PORT = 9092;
    private static final String POSTGRES_PASSWORD = "registry";
    private static final String KAFKA_STARTED = "Kafka Server started";

    private final ExternalServers external;
    private final Map<Server, GenericContainer<?>> containers = new EnumMap<>(Server.class);
    private final Map<Server, Object> endpoints = new EnumMap<>(Server.class);
    private final List<String> postgresDatabases;

    ContainerInfrastructure(ExternalServers external, List<String> postgresDatabases) {
        this.external = external;
        this.postgresDatabases = List.copyOf(postgresDatabases);
    }

    /** Testcontainers' own check, bounded: without a daemon it answers false in about a second. */
    static boolean dockerAvailable(Duration timeout) {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "docker-probe");
            thread.setDaemon(true);
            return thread;
        });
        try {
            return executor.submit(() -> DockerClientFactory.instance().isDockerAvailable())
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return false;
        } finally {
            executor.shutdownNow();
        }
    }

    @Override
    public synchronized void ensureStarted(Set<Server> servers) {
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (Server server : servers) {
            if (endpoints.containsKey(server)) {
                continue;
            }
            if (external.provides(server)) {
                endpoints.put(server, switch (server) {
                    case KAFKA -> external.kafka().orElseThrow();
                    case POSTGRES -> external.postgres().orElseThrow();
                    case MONGODB -> external.mongodb().orElseThrow();
                });
                continue;
            }
            GenericContainer<?> container = create(server);
            containers.put(server, container);
            starts.add(CompletableFuture.runAsync(container::start));
        }
        CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
        containers.forEach((server, container) -> endpoints.computeIfAbsent(server, s -> endpointOf(s, container)));
        if (endpoints.containsKey(Server.POSTGRES)) {
            postgres().ensureDatabases(postgresDatabases);
        }
    }

    private static GenericContainer<?> create(Server server) {
        return switch (server) {
            // A fixed host port: a restarted broker must come back where its clients (and its
            // advertised listener) expect it.
            case KAFKA -> loopbackOnly(new KafkaContainer(KAFKA_IMAGE), KAFKA_PORT, LoopbackPorts.free());
            case POSTGRES -> loopbackOnly(new PostgreSQLContainer(POSTGRES_IMAGE)
                    .withUsername("postgres").withPassword(POSTGRES_PASSWORD).withDatabaseName("postgres"), 5432, 0);
            case MONGODB -> loopbackOnly(new MongoDBContainer(MONGO_IMAGE).withReplicaSet(), 27017, 0);
        };
    }

    /**
     * Publishes one port, on 127.0.0.1 only, when the daemon is on this machine (Docker publishes
     * on every interface by default). Elsewhere (e.g. tests inside a container) the default stays.
     */
    private static <T extends GenericContainer<?>> T loopbackOnly(T container, int containerPort, int hostPort) {
        String dockerHost = DockerClientFactory.instance().dockerHostIpAddress();
        boolean local = dockerHost.equals("localhost") || dockerHost.startsWith("127.");
        if (!local && hostPort == 0) {
            return container;
        }
        Ports.Binding binding = local
                ? (hostPort == 0 ? Ports.Binding.bindIp("127.0.0.1") : Ports.Binding.bindIpAndPort("127.0.0.1", hostPort))
                : Ports.Binding.bindPort(hostPort);
        container.withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                .withPublishAllPorts(false)
                .withPortBindings(new PortBinding(binding, ExposedPort.tcp(containerPort))));
        return container;
    }

    private static Object endpointOf(Server server, GenericContainer<?> container) {
        return switch (server) {
            case KAFKA -> new KafkaEndpoint(((KafkaContainer) container).getBootstrapServers());
            case POSTGRES -> new PostgresEndpoint(container.getHost(), container.getMappedPort(5432),
                    "postgres", POSTGRES_PASSWORD);
            case MONGODB -> new MongoEndpoint(((MongoDBContainer) container).getConnectionString());
        };
    }

    @Override
    public synchronized boolean has(Server server) {
        return endpoints.containsKey(server);
    }

    @Override
    public synchronized KafkaEndpoint kafka() {
        return (KafkaEndpoint) endpoint(Server.KAFKA);
    }

    @Override
    public synchronized PostgresEndpoint postgres() {
        return (PostgresEndpoint) endpoint(Server.POSTGRES);
    }

    @Override
    public synchronized MongoEndpoint mongodb() {
        return (MongoEndpoint) endpoint(Server.MONGODB);
    }

    private Object endpoint(Server server) {
        Object endpoint = endpoints.get(server);
        if (endpoint == null) {
            throw new IllegalStateException(server.id() + " is not running in this infrastructure");
        }
        return endpoint;
    }

    /** docker stop keeps the container, its data and its port binding; Testcontainers' stop would remove it. */
    @Override
    public synchronized void stopKafka() {
        GenericContainer<?> kafka = kafkaContainer();
        kafka.getDockerClient().stopContainerCmd(kafka.getContainerId()).exec();
    }

    @Override
    public synchronized void startKafka() {
        GenericContainer<?> kafka = kafkaContainer();
        int startsBefore = (int) kafka.getLogs().lines().filter(line -> line.contains(KAFKA_STARTED)).count();
        kafka.getDockerClient().startContainerCmd(kafka.getContainerId()).exec();
        // The followed log replays from the beginning, so wait for one more "started" line than before.
        WaitingConsumer log = new WaitingConsumer();
        kafka.followOutput(log, OutputFrame.OutputType.STDOUT);
        try {
            log.waitUntil(frame -> frame.getUtf8String().contains(KAFKA_STARTED), 60, TimeUnit.SECONDS, startsBefore + 1);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka container did not restart within 60 s", e);
        }
    }

    private GenericContainer<?> kafkaContainer() {
        GenericContainer<?> kafka = containers.get(Server.KAFKA);
        if (kafka == null) {
            throw new IllegalStateException("Kafka is not a container here (external or not started)");
        }
        return kafka;
    }

    @Override
    public synchronized String describe() {
        return endpoints.entrySet().stream()
                .map(e -> e.getKey().id() + (containers.containsKey(e.getKey())
                        ? " (container " + containers.get(e.getKey()).getDockerImageName() + ")" : " (external)")
                        + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    @Override
    public synchronized void close() {
        containers.values().forEach(GenericContainer::stop);
        containers.clear();
        endpoints.clear();
    }
}
