package org.nbregistry.local.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Kafka, PostgreSQL and MongoDB as child processes from {@code deploy/local/servers}, each with its
 * data and its {@code server.log} in {@code <dataDir>/<server>/}; or, where {@code KAFKA_BOOTSTRAP_SERVERS},
 * {@code POSTGRES_URL} or {@code MONGODB_URI} is set, that server instead of ours.
 *
 * <pre>
 * try (LocalInfrastructure infra = LocalInfrastructure.builder(dir).servers(Server.values())
 *         .postgresDatabases(List.of("episodes")).start()) {
 *     infra.kafka().bootstrapServers(); infra.postgres().jdbcUrl("episodes"); infra.mongodb().connectionString();
 * }
 * </pre>
 * Servers start in parallel on free loopback ports unless ports are given. Everything started is
 * stopped by {@link #close()} or, failing that, when this JVM exits.
 */
public final class LocalInfrastructure implements Infrastructure {

    /**
     * Gives memory the C library keeps after the JVM freed it (the compilers' arenas above all) back to the system every
     * 10 s: a service that had loaded the FHIR R4 definitions held 266 MB more without it. JDK 17.0.9 and later know
     * the option; an older JVM ignores it.
     */
    public static final List<String> TRIM_NATIVE_HEAP = List.of("-XX:+IgnoreUnrecognizedVMOptions", "-XX:TrimNativeHeapInterval=10000");

    /**
     * How the server JVMs are tuned. Tests start many short-lived servers: C1 only and small heaps start fastest. A
     * platform that runs for hours and is measured under load wants the optimising compiler (C2 makes the MongoDB-wire
     * server's BSON and query work several times faster once warm) and room for the MongoDB-wire server's page cache;
     * one GC thread each (SerialGC), since two cores are shared by six JVMs; and a small initial heap, grown on
     * demand, since the default (1/64 of the machine's memory) would hold each server at its maximum; and freed native
     * memory returned ({@link #TRIM_NATIVE_HEAP}).
     */
    public enum Tuning {
        QUICK_START(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), "-Xmx256m", "-Xmx192m"),
        THROUGHPUT(Stream.concat(Stream.of("-XX:+UseSerialGC", "-Xms32m"), TRIM_NATIVE_HEAP.stream()).toList(), "-Xmx384m", "-Xmx640m");

        private final List<String> common;
        private final String kafkaHeap;
        private final String mongoHeap;

        Tuning(List<String> common, String kafkaHeap, String mongoHeap) {
            this.common = common;
            this.kafkaHeap = kafkaHeap;
            this.mongoHeap = mongoHeap;
        }
    }

    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Path dataDir;
    private final ExternalServers external;
    private final Map<Server, Integer> ports;
    private final List<String> postgresDatabases;
    private final int kafkaPartitions;
    private final Duration startTimeout;
    private final Tuning tuning;
    private final Map<Server, ChildProcess> children = new EnumMap<>(Server.class);
    private final Map<Server, String> connections = new EnumMap<>(Server.class);
    private final Thread shutdownHook;
    private ServersDistribution distribution;
    private boolean closed;

    private LocalInfrastructure(Builder builder) {
        this.dataDir = builder.dataDir.toAbsolutePath().normalize();
        this.external = ExternalServers.from(builder.environment);
        this.ports = new EnumMap<>(builder.ports);
        this.postgresDatabases = List.copyOf(builder.postgresDatabases);
        this.kafkaPartitions = builder.kafkaPartitions;
        this.startTimeout = builder.startTimeout;
        this.tuning = builder.tuning;
        this.shutdownHook = builder.stopOnJvmExit ? new Thread(this::close, "local-infrastructure-stop") : null;
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    @Override
    public synchronized void ensureStarted(Set<Server> servers) {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        Set<Server> toStart = EnumSet.noneOf(Server.class);
        for (Server server : servers) {
            forgetIfEnded(server);
            if (connections.containsKey(server)) {
                continue;
            }
            if (external.provides(server)) {
                useExternal(server);
            } else {
                toStart.add(server);
            }
        }
        startInParallel(toStart);
    }

    /**
     * A local server whose process ended without {@link #close()} (it crashed, or was killed) is forgotten, so that
     * starting it again brings it back on its port with its data.
     */
    private void forgetIfEnded(Server server) {
        ChildProcess child = children.get(server);
        if (child != null && !child.isAlive()) {
            announce(server.id() + " (pid " + child.pid() + ") has ended; it starts again on port " + ports.get(server)
                    + " with its data");
            children.remove(server);
            connections.remove(server);
        }
    }

    private void useExternal(Server server) {
        switch (server) {
            case KAFKA -> connections.put(server, external.kafka().orElseThrow().bootstrapServers());
            case MONGODB -> connections.put(server, external.mongodb().orElseThrow().connectionString());
            case POSTGRES -> {
                PostgresEndpoint endpoint = external.postgres().orElseThrow();
                endpoint.ensureDatabases(postgresDatabases);
                connections.put(server, "postgresql://" + endpoint.username() + ":" + endpoint.password()
                        + "@" + endpoint.host() + ":" + endpoint.port());
            }
        }
        announce(server.id() + ": using the external server from the environment");
    }

    private void startInParallel(Set<Server> servers) {
        if (servers.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        Map<Server, ChildProcess> launched = new EnumMap<>(Server.class);
        try {
            for (Server server : servers) {
                launched.put(server, launch(server));
            }
            for (Map.Entry<Server, ChildProcess> entry : launched.entrySet()) {
                connections.put(entry.getKey(), entry.getValue().awaitReady(startTimeout));
                children.put(entry.getKey(), entry.getValue());
            }
        } catch (IOException | RuntimeException e) {
            launched.forEach((server, child) -> {
                connections.remove(server);
                children.remove(server);
            });
            stopAll(launched.values());
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        announce("started " + Server.ids(servers) + " in " + (System.nanoTime() - started) / 1_000_000
                + " ms, data and logs in " + dataDir);
    }

    private ChildProcess launch(Server server) throws IOException {
        if (distribution == null) {
            distribution = ServersDistribution.locate();
        }
        int port = ports.computeIfAbsent(server, s -> 0);
        if (port == 0) {
            port = LoopbackPorts.free();
            // Remembered so that a restart comes back on the same port.
            ports.put(server, port);
        }
        Path serverDir = dataDir.resolve(server.id());
        Files.createDirectories(serverDir);
        List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port), "--data", serverDir.toString()));
        List<String> memory;
        String main;
        switch (server) {
            case KAFKA -> {
                memory = List.of(tuning.kafkaHeap);
                main = "org.nbregistry.local.servers.KafkaServerMain";
                args.addAll(List.of("--partitions", Integer.toString(kafkaPartitions),
                        "--controller-port", Integer.toString(LoopbackPorts.free())));
            }
            case POSTGRES -> {
                // Unpacking the binaries on first use needs 128 MiB; the collection after the start
                // (ServerRunner) then hands all of it back at once instead of a step per collection.
                memory = List.of("-Xmx128m", "-XX:-ShrinkHeapInSteps");
                main = "org.nbregistry.local.servers.PostgresServerMain";
                args.addAll(List.of("--databases", String.join(",", postgresDatabases)));
            }
            case MONGODB -> {
                memory = List.of(tuning.mongoHeap);
                main = "org.nbregistry.local.servers.MongoServerMain";
            }
            default -> throw new IllegalArgumentException(server.toString());
        }
        List<String> jvmOptions = new ArrayList<>(tuning.common);
        jvmOptions.addAll(memory);
        return ChildProcess.start(server.id(), distribution.javaCommand(jvmOptions, main, args), Map.of(),
                serverDir.resolve("server.log"));
    }

    @Override
    public synchronized boolean has(Server server) {
        return connections.containsKey(server);
    }

    @Override
    public synchronized KafkaEndpoint kafka() {
        return new KafkaEndpoint(connection(Server.KAFKA));
    }

    @Override
    public synchronized PostgresEndpoint postgres() {
        return PostgresEndpoint.parse(connection(Server.POSTGRES));
    }

    @Override
    public synchronized MongoEndpoint mongodb() {
        return new MongoEndpoint(connection(Server.MONGODB));
    }

    private String connection(Server server) {
        String connection = connections.get(server);
        if (connection == null) {
            throw new IllegalStateException(server.id() + " is not running in this infrastructure");
        }
        return connection;
    }

    /** The port a locally started server listens on (the one it keeps across restarts). */
    public synchronized int port(Server server) {
        return ports.getOrDefault(server, 0);
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The pids of the server processes started here. */
    public synchronized Map<Server, Long> pids() {
        return children.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().pid()));
    }

    @Override
    public synchronized void stopKafka() {
        ChildProcess kafka = children.get(Server.KAFKA);
        if (kafka == null) {
            throw new IllegalStateException(external.provides(Server.KAFKA)
                    ? "Kafka is external (KAFKA_BOOTSTRAP_SERVERS); it cannot be stopped from here"
                    : "Kafka is not running here");
        }
        kafka.stop(STOP_GRACE);
        children.remove(Server.KAFKA);
        connections.remove(Server.KAFKA);
    }

    @Override
    public synchronized void startKafka() {
        if (external.provides(Server.KAFKA)) {
            throw new IllegalStateException("Kafka is external (KAFKA_BOOTSTRAP_SERVERS); it cannot be started from here");
        }
        ensureStarted(EnumSet.of(Server.KAFKA));
    }

    @Override
    public synchronized String describe() {
        return connections.entrySet().stream()
                .map(e -> e.getKey().id() + (children.containsKey(e.getKey()) ? " (local process)" : " (external)")
                        + " " + redact(e.getValue()))
                .collect(Collectors.joining(", ", "", " - data in " + dataDir));
    }

    private static String redact(String connection) {
        return connection.replaceAll("//([^:/@]*):[^@]*@", "//$1:***@");
    }

    @Override
    public void close() {
        List<ChildProcess> toStop;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toStop = new ArrayList<>(children.values());
            children.clear();
            connections.clear();
        }
        stopAll(toStop);
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // we are the shutdown hook
            }
        }
    }

    private static void stopAll(Collection<ChildProcess> processes) {
        List<Thread> stoppers = processes.stream()
                .map(child -> new Thread(() -> child.stop(STOP_GRACE), child.name() + "-stop"))
                .toList();
        stoppers.forEach(Thread::start);
        for (Thread stopper : stoppers) {
            try {
                stopper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Plain stdout on purpose: it must show in Maven's test output and the launcher's console, and
     * at the time servers start, a test JVM's logging is not configured yet.
     */
    static void announce(String message) {
        System.out.println("[real-infrastructure] " + message);
    }

    /** Deletes a directory tree; used for fresh starts. */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }

    /** Options; everything but the data directory has a default. */
    public static final class Builder {
        private final Path dataDir;
        private final Set<Server> servers = EnumSet.noneOf(Server.class);
        private final Map<Server, Integer> ports = new EnumMap<>(Server.class);
        private final List<String> postgresDatabases = new ArrayList<>();
        private Map<String, String> environment = System.getenv();
        private int kafkaPartitions = 3;
        private Duration startTimeout = Duration.ofSeconds(120);
        private boolean fresh;
        private boolean stopOnJvmExit = true;
        private Tuning tuning = Tuning.QUICK_START;

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        public Builder servers(Server... servers) {
            this.servers.addAll(List.of(servers));
            return this;
        }

        public Builder servers(Set<Server> servers) {
            this.servers.addAll(servers);
            return this;
        }

        /** A fixed port; 0 (the default) picks a free loopback port. */
        public Builder port(Server server, int port) {
            ports.put(server, port);
            return this;
        }

        public Builder postgresDatabases(Collection<String> databases) {
            databases.forEach(PostgresEndpoint::checkName);
            postgresDatabases.addAll(databases);
            return this;
        }

        public Builder kafkaPartitions(int partitions) {
            this.kafkaPartitions = partitions;
            return this;
        }

        /** Where KAFKA_BOOTSTRAP_SERVERS, POSTGRES_URL and MONGODB_URI are read; System.getenv() by default. */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** Deletes the data directory before starting. */
        public Builder fresh(boolean fresh) {
            this.fresh = fresh;
            return this;
        }

        /**
         * Whether a JVM shutdown hook stops the servers (default). A caller that must stop other
         * processes first (the platform stops the services before the servers) turns it off and
         * calls {@link #close()} itself.
         */
        public Builder tuning(Tuning tuning) {
            this.tuning = tuning;
            return this;
        }

        public Builder stopOnJvmExit(boolean stop) {
            this.stopOnJvmExit = stop;
            return this;
        }

        /** Starts the chosen servers; on failure nothing stays running. */
        public LocalInfrastructure start() {
            if (fresh) {
                deleteRecursively(dataDir);
            }
            LocalInfrastructure infrastructure = new LocalInfrastructure(this);
            try {
                infrastructure.ensureStarted(servers);
            } catch (RuntimeException e) {
                infrastructure.close();
                throw e;
            }
            return infrastructure;
        }
    }
}
