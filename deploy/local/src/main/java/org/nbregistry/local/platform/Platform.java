package org.nbregistry.local.platform;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.nbregistry.local.demo.DemoCohort;
import org.nbregistry.local.demo.DemoCohort.DemoSite;
import org.nbregistry.local.demo.DemoLoader;
import org.nbregistry.local.infra.ChildProcess;
import org.nbregistry.local.infra.ExternalServers;
import org.nbregistry.local.infra.LocalInfrastructure;
import org.nbregistry.local.infra.PostgresEndpoint;
import org.nbregistry.local.infra.RegistryTopics;
import org.nbregistry.local.infra.Server;
import org.nbregistry.local.infra.ServersDistribution;

/**
 * {@code ./platform up} in the foreground: servers, the Kafka topics, then services (each under a
 * supervisor that ends it when we die), readiness, a summary; on Ctrl-C or SIGTERM services stop first, then servers.
 */
final class Platform {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(40);
    private static final List<String> SUPERVISOR_JVM = List.of("-Xmx16m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-XX:CICompilerCount=1", "-Xss256k");
    private static final int TOPIC_PARTITIONS = 3; // api-specs/asyncapi.yaml: "3 on a local platform"
    /**
     * The services run with the optimising compiler (C2): once warm they need a third less CPU per record than with C1
     * alone (README, Benchmark: 3.4 against 5.0 ms), which C1 wins back only in the first minute. One GC thread each,
     * as two cores serve six JVMs. A small initial heap: on a large machine the JVM would otherwise start with its
     * maximum and keep all of it; grown on demand, the services' heaps stay a third of it (README, Benchmark: memory).
     */
    private static final String SERVICE_JVM = "-XX:+UseSerialGC -Xms32m " + String.join(" ", LocalInfrastructure.TRIM_NATIVE_HEAP);
    /** How long the tokens printed at start-up stay valid. */
    private static final Duration PRINTED_TOKEN_LIFETIME = Duration.ofDays(TokenOptions.DEFAULT_DAYS);
    private static final Duration DEMO_TOKEN_LIFETIME = Duration.ofHours(1);
    private static final Duration DEMO_PATIENCE = Duration.ofMinutes(3);

    private final PlatformOptions options;
    private final Path root;
    private final Map<String, String> env;
    private final Map<ServiceSpec, ChildProcess> services = new LinkedHashMap<>();
    private volatile LocalInfrastructure infrastructure;
    private ServersDistribution servers;
    private DevKeys keys;
    private volatile boolean stopping;
    private boolean stopped;

    Platform(PlatformOptions options, Path root, Map<String, String> env) {
        this.options = options;
        this.root = root;
        this.env = env;
    }

    /** Returns only on a failed start (exit code); a running platform ends through its shutdown hook. */
    int run() throws InterruptedException {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            System.err.println("Cannot start the platform:");
            problems.forEach(p -> System.err.println("  - " + p));
            return 2;
        }
        // Before anything starts, so that Ctrl-C during the start also stops services before servers.
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "platform-stop"));
        String summary;
        try {
            summary = launch();
        } catch (RuntimeException | IOException e) {
            System.err.println("The platform did not start: " + e.getMessage());
            return 1;
        }
        System.out.println(summary);
        watchForCrashes();
        new CountDownLatch(1).await(); // runs until a signal; the shutdown hook does the stopping
        return 0;
    }

    /**
     * The same start for a caller in this JVM (the end-to-end test): returns the summary once every service
     * is ready, and leaves nothing running when it fails. No shutdown hook: the caller calls {@link #stop()}.
     */
    String start() throws IOException, InterruptedException {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("cannot start the platform: " + String.join("; ", problems));
        }
        boolean started = false;
        try {
            String summary = launch();
            started = true;
            return summary;
        } finally {
            if (!started) {
                stop();
            }
        }
    }

    private List<String> problems() {
        Path dataDir = options.dataDir();
        List<String> problems = new ArrayList<>();
        PlatformState.read(dataDir).filter(PlatformState::launcherAlive).ifPresent(s -> problems.add(
                "a platform (pid " + s.pid() + ") already runs on " + dataDir + "; stop it with ./platform down"));
        problems.addAll(missingJars());
        if (problems.isEmpty()) {
            problems.addAll(busyPorts());
        }
        return problems;
    }

    /** Servers, topics, services, readiness; returns the summary. */
    private String launch() throws IOException, InterruptedException {
        Path dataDir = options.dataDir();
        long started = System.nanoTime();
        if (options.fresh()) {
            System.out.println("--fresh: deleting " + dataDir);
            LocalInfrastructure.deleteRecursively(dataDir);
        }
        Files.createDirectories(dataDir);
        keys = DevKeys.ensure(dataDir);
        long pid = ProcessHandle.current().pid();
        new PlatformState(pid, PlatformState.STARTING, "", List.of(), Map.of()).write(dataDir);

        infrastructure = LocalInfrastructure.builder(dataDir)
                .servers(Server.values())
                .port(Server.KAFKA, options.port(Catalog.KAFKA))
                .port(Server.POSTGRES, options.port(Catalog.POSTGRES))
                .port(Server.MONGODB, options.port(Catalog.MONGODB))
                .postgresDatabases(Catalog.postgresDatabases())
                .environment(env)
                .stopOnJvmExit(false) // our hook stops the services before the servers
                .tuning(LocalInfrastructure.Tuning.THROUGHPUT)
                .start();
        // As an operator would, before any service subscribes: topics with the documented partitions, never
        // created on first use by whichever client happens to touch them first.
        RegistryTopics.ensure(infrastructure.kafka().bootstrapServers(), root, TOPIC_PARTITIONS);
        System.out.println("[platform] Kafka topics of api-specs/asyncapi.yaml and their .dlq: "
                + RegistryTopics.declared(root).size() + " present");
        servers = ServersDistribution.locate();
        for (ServiceSpec service : options.services()) {
            services.put(service, startService(service));
        }
        awaitReady(services);
        String demo = options.demo() ? loadDemoCohort() : "";

        String summary = summary((System.nanoTime() - started) / 1_000_000) + demo;
        new PlatformState(pid, PlatformState.READY, summary,
                options.services().stream().map(s -> Health.readyUrl(options.port(s.port()))).toList(), endpoints()).write(dataDir);
        return summary;
    }

    /** Where the services and Kafka answer, for the commands that talk to a running platform ({@code bench}). */
    private Map<String, String> endpoints() {
        Map<String, String> endpoints = new LinkedHashMap<>();
        options.services().forEach(s -> endpoints.put(s.port().key(), "http://127.0.0.1:" + options.port(s.port())));
        endpoints.put(Catalog.KAFKA.key(), infrastructure.kafka().bootstrapServers());
        return endpoints;
    }

    private List<String> missingJars() {
        List<String> missing = new ArrayList<>();
        for (ServiceSpec service : options.services()) {
            Path jar = service.jar(root);
            if (!Files.isRegularFile(jar)) {
                String why = Files.exists(service.module(root).resolve("pom.xml"))
                        ? "not built" : "module " + root.relativize(service.module(root)) + " does not exist yet";
                missing.add(service.name() + ": " + root.relativize(jar) + " is missing (" + why + "). Build with"
                        + " ./mvnw -B -DskipTests install, or leave it out: --services "
                        + options.services().stream().filter(s -> s != service).map(s -> s.port().key())
                        .collect(Collectors.collectingAndThen(Collectors.joining(","), l -> l.isEmpty() ? "none" : l)));
            }
        }
        return missing;
    }

    private List<String> busyPorts() {
        ExternalServers external = ExternalServers.from(env);
        Map<PortOption, String> wanted = new LinkedHashMap<>();
        Map.of(Server.KAFKA, Catalog.KAFKA, Server.POSTGRES, Catalog.POSTGRES, Server.MONGODB, Catalog.MONGODB)
                .forEach((server, option) -> {
                    if (!external.provides(server)) {
                        wanted.put(option, server.id());
                    }
                });
        options.services().forEach(s -> {
            wanted.put(s.port(), s.name());
            wanted.put(s.managementPort(), s.name() + " metrics");
        });
        List<String> busy = new ArrayList<>();
        wanted.forEach((option, what) -> {
            int port = options.port(option);
            if (!portFree(port)) {
                busy.add("port " + port + " for " + what + " is in use; choose another with " + option.flag()
                        + " or " + option.variable());
            }
        });
        return busy;
    }

    private static boolean portFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private ChildProcess startService(ServiceSpec service) throws IOException {
        int port = options.port(service.port());
        Map<String, String> serviceEnv = new HashMap<>();
        serviceEnv.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        serviceEnv.put("QUARKUS_HTTP_HOST", "127.0.0.1"); // Quarkus' production default would be every interface
        serviceEnv.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(options.port(service.managementPort())));
        serviceEnv.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        // Log lines a developer reads; production's JSON is for log collectors.
        serviceEnv.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        if (options.traces()) {
            // Every span as a line of the service's log (grep trace=<id>), no collector needed.
            serviceEnv.put("QUARKUS_OTEL_SDK_DISABLED", "false");
            serviceEnv.put("REGISTRY_TRACING_LOG_SPANS", "true");
        }
        // What `java -jar` of a built service runs anyway; set so that a QUARKUS_PROFILE in the caller's shell
        // cannot switch a service to another profile.
        serviceEnv.put("QUARKUS_PROFILE", "prod");
        // A developer's platform: the Swagger UI that production leaves off.
        serviceEnv.put("QUARKUS_SWAGGER_UI_ENABLE", "true");
        serviceEnv.put("KAFKA_BOOTSTRAP_SERVERS", infrastructure.kafka().bootstrapServers());
        service.postgresDatabase().ifPresent(database -> {
            PostgresEndpoint pg = infrastructure.postgres();
            serviceEnv.put("QUARKUS_DATASOURCE_REACTIVE_URL", pg.reactiveUrl(database));
            serviceEnv.put("QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl(database));
            serviceEnv.put("QUARKUS_DATASOURCE_USERNAME", pg.username());
            serviceEnv.put("QUARKUS_DATASOURCE_PASSWORD", pg.password());
        });
        if (service.mongodb()) {
            serviceEnv.put("QUARKUS_MONGODB_CONNECTION_STRING", infrastructure.mongodb().connectionString());
        }
        // The data folder's development key: what `./platform token` signs with, and nothing else, verifies.
        serviceEnv.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", keys.publicKeyFile().toString());
        serviceEnv.put("MP_JWT_VERIFY_ISSUER", DevKeys.ISSUER);
        serviceEnv.putAll(service.environment());

        List<String> serviceCommand = new ArrayList<>();
        serviceCommand.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        serviceCommand.addAll(Arrays.asList(env.getOrDefault("SERVICE_JAVA_OPTS", SERVICE_JVM + " -Xmx" + service.maxHeap())
                .trim().split("\\s+")));
        serviceCommand.add("-jar");
        serviceCommand.add(service.jar(root).toString());
        List<String> supervisorArgs = new ArrayList<>(List.of("--grace-seconds", "30", "--"));
        supervisorArgs.addAll(serviceCommand);
        List<String> command = servers.javaCommand(SUPERVISOR_JVM, "org.nbregistry.local.servers.Supervisor",
                supervisorArgs);
        return ChildProcess.start(service.name(), command, serviceEnv,
                options.dataDir().resolve("services").resolve(service.name() + ".log"));
    }

    /** Polls the services' readiness endpoints; a service that exits or stays unready fails the start. */
    private void awaitReady(Map<ServiceSpec, ChildProcess> starting) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Map<ServiceSpec, ChildProcess> pending = new LinkedHashMap<>(starting);
        Map<ServiceSpec, Integer> lastStatus = new HashMap<>();
        while (!pending.isEmpty()) {
            for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                int status = Health.status(Health.readyUrl(options.port(entry.getKey().port())));
                lastStatus.put(entry.getKey(), status);
                if (status == 200) {
                    it.remove();
                } else if (!entry.getValue().isAlive()) {
                    throw entry.getValue().failure("exited during start-up");
                }
            }
            if (pending.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                ServiceSpec first = pending.keySet().iterator().next();
                int status = lastStatus.get(first);
                throw pending.get(first).failure("was not ready within " + READY_TIMEOUT.toSeconds() + " s ("
                        + Health.readyUrl(options.port(first.port())) + " answered "
                        + (status < 0 ? "nothing" : "HTTP " + status) + "); still waiting for "
                        + pending.keySet().stream().map(ServiceSpec::name).toList());
            }
            Thread.sleep(250); // readiness is only observable by asking again
        }
    }

    /**
     * Kills Kafka ({@code kafka}), MongoDB ({@code mongodb}) or a service's JVM (e.g. {@code episode-service}) at once,
     * as a crash would (SIGKILL, no shutdown hook runs), and waits until it has ended, for a service also its
     * supervisor; {@link #restart(String)} brings it back. Answers the pid it killed.
     */
    long kill(String name) throws InterruptedException {
        ProcessHandle victim;
        ProcessHandle supervisor = null;
        Optional<Server> server = server(name);
        if (server.filter(s -> s == Server.POSTGRES).isPresent()) {
            throw new IllegalArgumentException("the postmaster runs apart from its launcher, which is all a kill would end");
        }
        if (server.isPresent()) {
            victim = Optional.ofNullable(infrastructure.pids().get(server.get())).flatMap(ProcessHandle::of)
                    .orElseThrow(() -> new IllegalStateException("no local process runs " + name));
        } else {
            synchronized (this) {
                supervisor = Optional.ofNullable(services.get(Catalog.service(name))).flatMap(child -> ProcessHandle.of(child.pid()))
                        .orElseThrow(() -> new IllegalStateException(name + " is not running"));
            }
            victim = supervisor.children().findFirst().orElseThrow(() -> new IllegalStateException(name + " has no JVM"));
        }
        victim.destroyForcibly();
        for (ProcessHandle ended : supervisor == null ? List.of(victim) : List.of(victim, supervisor)) {
            try {
                ended.onExit().get(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException(name + " (pid " + ended.pid() + ") did not end after SIGKILL", e);
            }
        }
        return victim.pid();
    }

    /**
     * Starts a server or service whose process has ended (crashed or was killed) again, on the same port and data, and
     * returns once it is ready.
     */
    void restart(String name) throws IOException, InterruptedException {
        Optional<Server> server = server(name);
        if (server.isPresent()) {
            infrastructure.ensureStarted(EnumSet.of(server.get()));
            return;
        }
        ServiceSpec service = Catalog.service(name);
        Map<ServiceSpec, ChildProcess> starting;
        synchronized (this) {
            ChildProcess previous = services.get(service);
            if (stopped || previous == null || previous.isAlive()) {
                throw new IllegalStateException(stopped ? "the platform has stopped"
                        : name + (previous == null ? " is not part of this platform" : " is still running"));
            }
            starting = Map.of(service, startService(service));
            services.putAll(starting);
        }
        awaitReady(starting);
    }

    private static Optional<Server> server(String name) {
        return Arrays.stream(Server.values()).filter(s -> s.id().equals(name)).findFirst();
    }

    private void watchForCrashes() {
        services.forEach((service, child) -> ProcessHandle.of(child.pid()).ifPresent(p -> p.onExit().thenRun(() -> {
            if (!stopping) {
                System.err.println(service.name() + " stopped unexpectedly; its log: " + child.logFile());
            }
        })));
    }

    private String summary(long millis) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("%nNB Relapse Registry is up (%.1f s). Data and logs: %s%n%n", millis / 1000.0, options.dataDir()));
        for (ServiceSpec service : options.services()) {
            String base = "http://127.0.0.1:" + options.port(service.port());
            s.append(String.format("  %-18s %s%n", service.name(), base));
            s.append(String.format("  %-18s   Swagger UI %s/q/swagger-ui   health %s/q/health   metrics http://127.0.0.1:%d/q/metrics%n",
                    "", base, base, options.port(service.managementPort())));
            if (service.name().equals("analytics-service")) {
                s.append(String.format("  %-18s   Dashboard  %s/dashboard (sign in with the analyst token below)%n", "", base));
            }
        }
        if (options.services().isEmpty()) {
            s.append("  (no services: --services none)\n");
        }
        PostgresEndpoint pg = infrastructure.postgres();
        // The local server's password is a fixed local one; an external server's is not ours to print.
        String password = ExternalServers.from(env).provides(Server.POSTGRES) ? "***" : pg.password();
        s.append(String.format("%n  %-18s %s%n", "Kafka", infrastructure.kafka().bootstrapServers()));
        s.append(String.format("  %-18s %s:%d user %s password %s, databases %s (e.g. %s)%n", "PostgreSQL",
                pg.host(), pg.port(), pg.username(), password, Catalog.postgresDatabases(),
                pg.jdbcUrl(Catalog.postgresDatabases().get(0))));
        s.append(String.format("  %-18s %s%n", "MongoDB", infrastructure.mongodb().connectionString()));
        s.append(tokens());
        s.append(String.format("%nStop with Ctrl-C (or ./platform down when detached).%n"));
        return s.toString();
    }

    /**
     * Sends the synthetic cohort through intake with each demo site's token and waits until the owning services
     * have applied it. Loading it again on the same data changes nothing (same record ids, same Idempotency-Keys).
     */
    private String loadDemoCohort() throws IOException, InterruptedException {
        List<DemoSite> cohort = new DemoCohort(Catalog.DEMO_SITES, DemoCohort.DEFAULT_PATIENTS, DemoCohort.DEFAULT_SEED).generate();
        URI intake = URI.create("http://127.0.0.1:" + options.port(Catalog.service("intake").port()));
        DemoLoader loader = new DemoLoader(intake, site -> DevTokens.mint(keys, site, DevTokens.SITE_ROLE, "demo-loader@" + site, DEMO_TOKEN_LIFETIME));
        long started = System.nanoTime();
        System.out.println("[platform] loading the synthetic demo cohort through " + intake + " ...");
        DemoLoader.Outcome outcome = loader.load(cohort, DemoCohort.DEFAULT_SEED, DEMO_PATIENCE);
        String rejected = outcome.rejected().isEmpty() ? "" : String.format("%n  REJECTED %d: %s", outcome.rejected().size(),
                String.join("; ", outcome.rejected().subList(0, Math.min(5, outcome.rejected().size()))));
        return String.format("%nDemo cohort (SYNTHETIC: no real patient; pseudonyms and record ids start with %s-): %d patients at sites %s,"
                        + "%n  %d records sent in %.1f s: %d applied now, %d already there.%s%n",
                DemoCohort.LABEL, DemoCohort.DEFAULT_PATIENTS, String.join(", ", Catalog.DEMO_SITES), outcome.sent(),
                (System.nanoTime() - started) / 1e9, outcome.applied(), outcome.unchanged(), rejected);
    }

    /** A development token per demo site, one for an analyst and one for an operator, ready for `Authorization: Bearer ...`. */
    private String tokens() {
        StringBuilder s = new StringBuilder(String.format("%nDevelopment tokens (valid %d days; more with ./platform token --site CODE [--role analyst|operator]):%n",
                PRINTED_TOKEN_LIFETIME.toDays()));
        for (String site : Catalog.DEMO_SITES) {
            s.append(String.format("  %-18s %s%n", "site " + site,
                    DevTokens.mint(keys, site, DevTokens.SITE_ROLE, "data-manager@" + site, PRINTED_TOKEN_LIFETIME)));
        }
        s.append(String.format("  %-18s %s%n", "analyst",
                DevTokens.mint(keys, null, DevTokens.ANALYST_ROLE, "analyst", PRINTED_TOKEN_LIFETIME)));
        s.append(String.format("  %-18s %s%n", "operator",
                DevTokens.mint(keys, null, DevTokens.OPERATOR_ROLE, "operator", PRINTED_TOKEN_LIFETIME)));
        return s.toString();
    }

    /**
     * Services first (they may still be flushing to Kafka or a database), then the servers. Once only: a failed
     * {@link #start()} and the shutdown hook may both get here.
     */
    synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        stopping = true;
        System.out.println("Stopping the platform...");
        List<Thread> stoppers = services.values().stream()
                .map(child -> new Thread(() -> child.stop(STOP_GRACE), child.name() + "-stop"))
                .toList();
        stoppers.forEach(Thread::start);
        for (Thread stopper : stoppers) {
            try {
                stopper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Optional.ofNullable(infrastructure).ifPresent(LocalInfrastructure::close);
        PlatformState.delete(options.dataDir());
        System.out.println("Platform stopped.");
    }
}
