package org.nbregistry.local.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.nbregistry.local.infra.ChildProcess;
import org.nbregistry.local.infra.LocalInfrastructure;
import org.nbregistry.local.infra.LogTail;
import org.nbregistry.local.infra.LoopbackPorts;
import org.nbregistry.local.infra.ServersDistribution;

/** The launcher's processes: nothing outlives a launcher killed with -9, and the supervisor ends what it runs. */
class LauncherProcessesIT {

    private static final Path DATA = Path.of("target", "it-data", "platform").toAbsolutePath();

    @Test
    void killingTheLauncherWithSigkillLeavesNothingBehind() throws Exception {
        LocalInfrastructure.deleteRecursively(DATA);
        Files.createDirectories(DATA.getParent());
        Process launcher = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-Dregistry.root=" + ServersDistribution.repositoryRoot(),
                "-cp", System.getProperty("java.class.path"), PlatformLauncher.class.getName(),
                "up", "--services", "none", "--data", DATA.toString(),
                "--kafka-port", Integer.toString(LoopbackPorts.free()), "--postgres-port", Integer.toString(LoopbackPorts.free()),
                "--mongodb-port", Integer.toString(LoopbackPorts.free()))
                .redirectErrorStream(true)
                .redirectOutput(DATA.resolveSibling("platform-launcher.log").toFile())
                .start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
            while (PlatformState.read(DATA).filter(s -> s.state().equals(PlatformState.READY)).isEmpty()) {
                if (!launcher.isAlive() || System.nanoTime() > deadline) {
                    fail("launcher not ready: " + LogTail.of(DATA.resolveSibling("platform-launcher.log"), 30));
                }
                launcher.waitFor(200, TimeUnit.MILLISECONDS);
            }
            assertEquals(launcher.pid(), PlatformState.read(DATA).orElseThrow().pid());
            List<ProcessHandle> servers = processesMentioning(DATA).stream().filter(p -> p.pid() != launcher.pid()).toList();
            assertTrue(servers.size() >= 4, "servers and postmaster expected: " + servers);

            long killed = System.nanoTime();
            launcher.destroyForcibly();
            try {
                CompletableFuture.allOf(servers.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
                        .get(10, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                fail("still running 10 s after kill -9 of the launcher: " + processesMentioning(DATA));
            }
            System.out.printf("%d processes gone %d ms after kill -9 of the launcher%n", servers.size(),
                    (System.nanoTime() - killed) / 1_000_000);
            assertFalse(PlatformState.read(DATA).orElseThrow().launcherAlive(), "a stale state file is recognised");
        } finally {
            launcher.destroyForcibly();
        }
    }

    @Test
    void theSupervisorEndsItsCommandWhenItsParentGoes() throws Exception {
        String marker = "supervised-" + ProcessHandle.current().pid();
        List<String> command = ServersDistribution.locate().javaCommand(List.of("-Xmx16m"),
                "org.nbregistry.local.servers.Supervisor",
                List.of("--grace-seconds", "5", "--", "sh", "-c", "exec sleep 300 # " + marker));
        ChildProcess supervisor = ChildProcess.start("supervisor", command, Map.of(),
                DATA.resolveSibling("supervisor.log"));
        ProcessHandle sleeper = awaitProcessMentioning(marker);

        supervisor.stop(Duration.ofSeconds(10)); // closes its stdin, as the kernel does when the launcher dies
        sleeper.onExit().get(10, TimeUnit.SECONDS);
        assertFalse(supervisor.isAlive());

        List<String> failing = ServersDistribution.locate().javaCommand(List.of("-Xmx16m"),
                "org.nbregistry.local.servers.Supervisor", List.of("--", "sh", "-c", "exit 7"));
        Process exits = new ProcessBuilder(failing).start();
        assertTrue(exits.waitFor(20, TimeUnit.SECONDS));
        assertEquals(7, exits.exitValue(), "the supervisor passes on its command's exit code");
    }

    private static ProcessHandle awaitProcessMentioning(String marker) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> found = processesMentioning(marker);
            if (!found.isEmpty()) {
                return found.stream().filter(p -> p.info().command().map(c -> c.endsWith("sleep")).orElse(false))
                        .findFirst().orElse(found.get(0));
            }
            Thread.sleep(100); // the supervised command appears only after the supervisor JVM has started
        }
        throw new AssertionError("supervised command never appeared");
    }

    private static List<ProcessHandle> processesMentioning(Object needle) {
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains(needle.toString())).orElse(false))
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .toList();
    }
}
