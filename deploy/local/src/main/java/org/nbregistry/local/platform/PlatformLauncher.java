package org.nbregistry.local.platform;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.nbregistry.local.bench.Bench;
import org.nbregistry.local.bench.BenchOptions;
import org.nbregistry.local.bench.BenchTarget;
import org.nbregistry.local.infra.LocalInfrastructure;
import org.nbregistry.local.infra.LogTail;
import org.nbregistry.local.infra.ServersDistribution;

/** Entry point of {@code ./platform}: {@code up}, {@code status}, {@code down}, {@code token}, {@code bench}. */
public final class PlatformLauncher {

    private static final Duration DETACHED_START_TIMEOUT = Duration.ofSeconds(240);
    private static final Duration DOWN_TIMEOUT = Duration.ofSeconds(120);

    private PlatformLauncher() {
    }

    public static void main(String[] args) throws Exception {
        Path root = ServersDistribution.repositoryRoot();
        if (args.length > 0 && args[0].equals("token")) {
            System.exit(token(args, root));
            return;
        }
        if (args.length > 0 && args[0].equals("bench")) {
            System.exit(bench(args, root));
            return;
        }
        PlatformOptions options;
        try {
            options = PlatformOptions.parse(args, System.getenv(), root);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(PlatformOptions.usage());
            System.exit(2);
            return;
        }
        int exitCode = switch (options.command()) {
            case "up" -> options.detach() ? detach(options, args) : new Platform(options, root, System.getenv()).run();
            case "status" -> status(options.dataDir());
            case "down" -> down(options.dataDir());
            default -> 2;
        };
        System.exit(exitCode);
    }

    /**
     * Starts {@code up} again without {@code --detach} as a background process in a session of its
     * own, logging to {@code <data>/platform.log}, and returns once it reports ready (or failed).
     */
    private static int detach(PlatformOptions options, String[] args) throws IOException, InterruptedException {
        Path dataDir = options.dataDir();
        Optional<PlatformState> running = PlatformState.read(dataDir).filter(PlatformState::launcherAlive);
        if (running.isPresent()) {
            System.err.println("A platform (pid " + running.get().pid() + ") already runs on " + dataDir
                    + "; stop it with ./platform down");
            return 2;
        }
        if (options.fresh()) {
            // Done here: the background launcher's log lives in the folder it would otherwise wipe.
            System.out.println("--fresh: deleting " + dataDir);
            LocalInfrastructure.deleteRecursively(dataDir);
        }
        Files.createDirectories(dataDir);
        Path log = dataDir.resolve("platform.log");

        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid"); // no SIGHUP or Ctrl-C from this terminal later on
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), PlatformLauncher.class.getName()));
        for (String arg : args) {
            if (!arg.equals("--detach") && !arg.equals("--fresh")) {
                command.add(arg);
            }
        }
        Process background = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        System.out.println("Starting in the background (pid " + background.pid() + "), log " + log);

        long deadline = System.nanoTime() + DETACHED_START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<PlatformState> state = PlatformState.read(dataDir).filter(s -> s.pid() == background.pid());
            if (state.isPresent() && state.get().state().equals(PlatformState.READY)) {
                System.out.println(state.get().summary().replace("Stop with Ctrl-C (or ./platform down when detached).",
                        "Stop with ./platform down; ./platform status shows what runs."));
                return 0;
            }
            if (background.waitFor(250, TimeUnit.MILLISECONDS)) {
                System.err.println("The platform did not start (exit code " + background.exitValue() + "). Last lines of "
                        + log + ":");
                System.err.println(LogTail.of(log, 40));
                return 1;
            }
        }
        System.err.println("The platform was not ready within " + DETACHED_START_TIMEOUT.toSeconds()
                + " s; it keeps trying in the background. See " + log + ", ./platform status, ./platform down");
        return 1;
    }

    /** Prints only the token, so that {@code TOKEN=$(./platform token --site S01)} works. */
    private static int token(String[] args, Path root) {
        TokenOptions options;
        try {
            options = TokenOptions.parse(args, root);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(PlatformOptions.usage());
            return 2;
        }
        DevKeys keys = DevKeys.ensure(options.dataDir());
        System.out.println(DevTokens.mint(keys, options.site(), options.role(), options.subject(), options.lifetime()));
        return 0;
    }

    /** Measures the platform running on the data folder, with tokens signed by its key like {@code token}'s. */
    private static int bench(String[] args, Path root) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args, root);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: " + BenchOptions.USAGE);
            return 2;
        }
        Optional<BenchTarget> target = benchTarget(options.dataDir());
        if (target.isEmpty()) {
            System.err.println("No ready platform with intake, analytics and Kafka runs on " + options.dataDir()
                    + "; start one with ./platform up --detach (and --data DIR), then bench it with the same --data.");
            return 2;
        }
        return new Bench(options, target.get(), System.out).run();
    }

    /** The platform on the data folder as {@code bench} needs it, if one runs there and is ready. */
    static Optional<BenchTarget> benchTarget(Path dataDir) {
        Optional<PlatformState> state = PlatformState.read(dataDir)
                .filter(PlatformState::launcherAlive)
                .filter(s -> s.state().equals(PlatformState.READY))
                .filter(s -> s.endpoints().keySet().containsAll(List.of("intake", "analytics", Catalog.KAFKA.key())));
        if (state.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> endpoints = state.get().endpoints();
        DevKeys keys = DevKeys.ensure(dataDir);
        Duration lifetime = Duration.ofDays(1);
        return Optional.of(new BenchTarget(URI.create(endpoints.get("intake")), URI.create(endpoints.get("analytics")),
                endpoints.get(Catalog.KAFKA.key()), state.get().pid(), dataDir,
                site -> DevTokens.mint(keys, site, DevTokens.SITE_ROLE, "bench@" + site, lifetime),
                () -> DevTokens.mint(keys, null, DevTokens.ANALYST_ROLE, "bench-analyst", lifetime)));
    }

    private static int status(Path dataDir) {
        Optional<PlatformState> state = PlatformState.read(dataDir);
        if (state.isEmpty() || !state.get().launcherAlive()) {
            System.out.println("The platform is not running (data folder " + dataDir + ").");
            return 3;
        }
        PlatformState s = state.get();
        System.out.println("The platform runs (launcher pid " + s.pid() + ", " + s.state() + "), data folder " + dataDir);
        int notReady = 0;
        for (String url : s.healthUrls()) {
            int code = Health.status(url);
            notReady += code == 200 ? 0 : 1;
            System.out.printf("  %-45s %s%n", url, code == 200 ? "ready" : code < 0 ? "no answer" : "not ready (HTTP " + code + ")");
        }
        if (!s.summary().isBlank()) {
            System.out.println(s.summary());
        }
        return notReady == 0 ? 0 : 1;
    }

    private static int down(Path dataDir) throws InterruptedException {
        Optional<PlatformState> state = PlatformState.read(dataDir);
        Optional<ProcessHandle> launcher = state.flatMap(s -> ProcessHandle.of(s.pid())).filter(ProcessHandle::isAlive);
        if (launcher.isEmpty()) {
            PlatformState.delete(dataDir);
            System.out.println("The platform is not running (data folder " + dataDir + ").");
            return 0;
        }
        ProcessHandle process = launcher.get();
        System.out.println("Stopping the platform (pid " + process.pid() + ")...");
        process.destroy(); // SIGTERM: its shutdown hook stops the services, then the servers
        try {
            process.onExit().get(DOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            System.err.println("Still running after " + DOWN_TIMEOUT.toSeconds() + " s; killing it (its servers and"
                    + " services stop when their parent is gone).");
            process.destroyForcibly();
            PlatformState.delete(dataDir);
            return 1;
        }
        System.out.println("Stopped.");
        return 0;
    }
}
