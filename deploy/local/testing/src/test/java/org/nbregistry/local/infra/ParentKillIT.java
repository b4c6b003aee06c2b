package org.nbregistry.local.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

/** {@code kill -9} of the JVM that started the servers must leave none of them behind. */
class ParentKillIT {

    private static final Path DATA = Path.of("target", "it-data", "parent-kill").toAbsolutePath();

    @Test
    void noServerProcessOutlivesAParentKilledWithSigkill() throws Exception {
        Process parent = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-Dregistry.root=" + ServersDistribution.repositoryRoot(),
                "-cp", System.getProperty("java.class.path"),
                InfrastructureChild.class.getName(), DATA.toString())
                .redirectErrorStream(true)
                .start();
        try {
            awaitStarted(parent);
            List<ProcessHandle> servers = processesMentioning(DATA).stream()
                    .filter(p -> p.pid() != parent.pid())
                    .toList();
            // three server JVMs plus the detached postmaster
            assertTrue(servers.size() >= 4, "expected the server processes and the postmaster, found " + describe(servers));

            long killed = System.nanoTime();
            parent.destroyForcibly(); // SIGKILL: no shutdown hook runs in the parent
            try {
                CompletableFuture.allOf(servers.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
                        .get(10, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                fail("still running 10 s after kill -9 of their parent: " + describe(processesMentioning(DATA)));
            }
            System.out.printf("all %d server processes gone %d ms after kill -9 of their parent%n",
                    servers.size(), (System.nanoTime() - killed) / 1_000_000);
            assertEquals(List.of(), processesMentioning(DATA));
        } finally {
            parent.destroyForcibly();
        }
    }

    private static void awaitStarted(Process parent) throws Exception {
        CompletableFuture<String> started = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
                StringBuilder seen = new StringBuilder();
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("STARTED")) {
                        return line;
                    }
                    seen.append(line).append('\n');
                }
                throw new IllegalStateException("child JVM ended before starting the servers:\n" + seen);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        System.out.println(started.get(150, TimeUnit.SECONDS));
    }

    private static List<ProcessHandle> processesMentioning(Path dir) {
        String needle = dir.toString();
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains(needle)).orElse(false))
                .toList();
    }

    private static String describe(List<ProcessHandle> processes) {
        return processes.stream()
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                .toList()
                .toString();
    }
}
