package org.nbregistry.local.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerDetectionTest {

    @TempDir
    Path home;

    private final AtomicInteger probes = new AtomicInteger();

    private BooleanSupplier probe(boolean answer) {
        return () -> {
            probes.incrementAndGet();
            return answer;
        };
    }

    private Path missingSocket() {
        return home.resolve("no-docker.sock");
    }

    @Test
    void noHintMeansLocalProcessesWithoutAskingDocker() {
        DockerDetection.Decision decision = DockerDetection.decide(Map.of(), Optional.empty(), home, missingSocket(), probe(true));
        assertFalse(decision.containers());
        assertEquals(0, probes.get());
        assertTrue(decision.reason().contains("no Docker daemon hint"), decision.reason());
    }

    @Test
    void remoteDockerHostIsNeverProbed() {
        for (String address : new String[] {"tcp://10.0.0.5:2375", "tcp://192.168.1.20:2376", "tcp://docker.example.org:2375"}) {
            DockerDetection.Decision decision = DockerDetection.decide(Map.of("DOCKER_HOST", address), Optional.empty(),
                    home, missingSocket(), probe(true));
            assertFalse(decision.containers(), address);
            assertTrue(decision.reason().contains("not on this machine"), decision.reason());
        }
        assertEquals(0, probes.get());
    }

    @Test
    void remoteAddressInTestcontainersPropertiesIsNeverProbed() throws IOException {
        Files.writeString(home.resolve(".testcontainers.properties"), "docker.host=tcp\\://172.17.0.1\\:2375\n");
        Path socket = Files.createFile(home.resolve("docker.sock"));
        DockerDetection.Decision decision = DockerDetection.decide(Map.of(), Optional.empty(), home, socket, probe(true));
        assertFalse(decision.containers());
        assertEquals(0, probes.get());
    }

    @Test
    void localSocketLetsTestcontainersDecide() throws IOException {
        Path socket = Files.createFile(home.resolve("docker.sock"));
        assertTrue(DockerDetection.decide(Map.of(), Optional.empty(), home, socket, probe(true)).containers());
        DockerDetection.Decision silent = DockerDetection.decide(Map.of(), Optional.empty(), home, socket, probe(false));
        assertFalse(silent.containers());
        assertTrue(silent.reason().contains("does not answer"), silent.reason());
        assertEquals(2, probes.get());
    }

    @Test
    void loopbackDockerHostCounts() {
        assertTrue(DockerDetection.decide(Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375"), Optional.empty(), home,
                missingSocket(), probe(true)).containers());
        assertTrue(DockerDetection.decide(Map.of("DOCKER_HOST", "unix:///run/user/1000/docker.sock"), Optional.empty(),
                home, missingSocket(), probe(true)).containers());
        assertEquals(2, probes.get());
    }

    @Test
    void forcedModes() throws IOException {
        Path socket = Files.createFile(home.resolve("docker.sock"));
        assertFalse(DockerDetection.decide(Map.of(), Optional.of("local"), home, socket, probe(true)).containers());
        assertEquals(0, probes.get());
        assertThrows(IllegalStateException.class,
                () -> DockerDetection.decide(Map.of(), Optional.of("containers"), home, missingSocket(), probe(true)));
        assertThrows(IllegalArgumentException.class,
                () -> DockerDetection.decide(Map.of(), Optional.of("podman"), home, socket, probe(true)));
    }
}
