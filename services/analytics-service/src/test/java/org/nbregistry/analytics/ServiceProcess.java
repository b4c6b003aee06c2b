package org.nbregistry.analytics;

import org.nbregistry.local.infra.LoopbackPorts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * analytics-service as an operator runs it: the packaged application ({@code target/quarkus-app}, built by the
 * package phase before the ITs) in its own JVM, configured by environment variables only.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Path APPLICATION = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private final Process process;
    private final int port;
    private final int managementPort;
    private final Path log;

    private ServiceProcess(Process process, int port, int managementPort, Path log) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
    }

    /** Starts the application with these environment variables on a free port; {@code name} names its log in target/. */
    static ServiceProcess start(String name, Map<String, String> environment) {
        return start(name, environment, List.of("-Xmx256m"));
    }

    /** As {@link #start(String, Map)}, with these JVM options (heap, GC). */
    static ServiceProcess start(String name, Map<String, String> environment, List<String> jvmOptions) {
        if (!Files.isRegularFile(APPLICATION)) {
            throw new IllegalStateException(APPLICATION.toAbsolutePath() + " is missing: run the ITs with `mvn verify`, which packages it first");
        }
        int port = LoopbackPorts.free();
        int managementPort = LoopbackPorts.free();
        Path log = Path.of("target", name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", APPLICATION.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        builder.environment().put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            return new ServiceProcess(builder.start(), port, managementPort, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long pid() {
        return process.pid();
    }

    int port() {
        return port;
    }

    /** Where its metrics are served (the management interface). */
    int managementPort() {
        return managementPort;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** SIGKILL: no shutdown hook runs, nothing is committed or flushed on the way out. */
    void crash() {
        process.destroyForcibly();
        waitForExit();
    }

    /** SIGTERM, as Kubernetes stops a pod. */
    @Override
    public void close() {
        process.destroy();
        waitForExit();
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
