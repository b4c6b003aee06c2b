package org.nbregistry.local.infra;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;

/**
 * Decides between Testcontainers and local processes. Local hints come first (DOCKER_HOST,
 * ~/.testcontainers.properties, the usual socket files); only when one points at this machine is
 * Testcontainers asked, and any daemon address off this machine means local processes without asking,
 * so nothing ever probes a non-loopback address.
 * {@code -Dregistry.infrastructure} or {@code REGISTRY_INFRASTRUCTURE} = {@code local | containers | auto} overrides.
 */
public final class DockerDetection {

    public record Decision(boolean containers, String reason) {
    }

    private DockerDetection() {
    }

    /**
     * @param env        environment variables
     * @param forced     the value of registry.infrastructure / REGISTRY_INFRASTRUCTURE, if any
     * @param home       the user's home directory
     * @param rootSocket normally /var/run/docker.sock
     * @param askDocker  asks Testcontainers (with a timeout); called only when a local hint exists
     */
    public static Decision decide(Map<String, String> env, Optional<String> forced, Path home, Path rootSocket,
                                  BooleanSupplier askDocker) {
        String mode = forced.map(s -> s.trim().toLowerCase(Locale.ROOT)).orElse("auto");
        if (mode.equals("local")) {
            return new Decision(false, "registry.infrastructure=local");
        }
        if (!mode.equals("auto") && !mode.equals("containers")) {
            throw new IllegalArgumentException("registry.infrastructure must be local, containers or auto, not " + mode);
        }

        List<String> localHints = new ArrayList<>();
        List<String> remote = new ArrayList<>();
        classify("DOCKER_HOST", env.get("DOCKER_HOST"), localHints, remote);
        Properties tcProperties = testcontainersProperties(home.resolve(".testcontainers.properties"));
        classify("docker.host in ~/.testcontainers.properties", tcProperties.getProperty("docker.host"), localHints, remote);
        classify("tc.host in ~/.testcontainers.properties", tcProperties.getProperty("tc.host"), localHints, remote);
        if (!remote.isEmpty()) {
            String reason = String.join("; ", remote) + " - not on this machine, so not used or probed";
            if (mode.equals("containers")) {
                throw new IllegalStateException("containers requested but " + reason);
            }
            return new Decision(false, reason);
        }
        socketHint(rootSocket, localHints);
        socketHint(home.resolve(".docker/run/docker.sock"), localHints);
        socketHint(home.resolve(".docker/desktop/docker.sock"), localHints);
        Optional.ofNullable(env.get("XDG_RUNTIME_DIR")).map(dir -> Path.of(dir, "docker.sock"))
                .ifPresent(socket -> socketHint(socket, localHints));

        if (localHints.isEmpty()) {
            if (mode.equals("containers")) {
                throw new IllegalStateException("containers requested but no Docker daemon hint: no DOCKER_HOST, no "
                        + rootSocket + ", no ~/.testcontainers.properties");
            }
            return new Decision(false, "no Docker daemon hint (no DOCKER_HOST, no " + rootSocket
                    + ", no docker.host in ~/.testcontainers.properties)");
        }
        String hints = String.join(", ", localHints);
        if (askDocker.getAsBoolean()) {
            return new Decision(true, "Docker daemon available (" + hints + ")");
        }
        if (mode.equals("containers")) {
            throw new IllegalStateException("containers requested but the Docker daemon does not answer (" + hints + ")");
        }
        return new Decision(false, "Docker hints (" + hints + ") but the daemon does not answer");
    }

    private static void classify(String source, String address, List<String> localHints, List<String> remote) {
        if (address == null || address.isBlank()) {
            return;
        }
        if (isLocal(address.trim())) {
            localHints.add(source + "=" + address.trim());
        } else {
            remote.add(source + "=" + address.trim());
        }
    }

    /** A unix socket or named pipe, or TCP to a loopback address. */
    static boolean isLocal(String address) {
        URI uri;
        try {
            uri = URI.create(address);
        } catch (IllegalArgumentException e) {
            return false;
        }
        String scheme = Optional.ofNullable(uri.getScheme()).orElse("").toLowerCase(Locale.ROOT);
        if (scheme.equals("unix") || scheme.equals("npipe")) {
            return true;
        }
        if (!scheme.equals("tcp") && !scheme.equals("http") && !scheme.equals("https")) {
            return false;
        }
        String host = Optional.ofNullable(uri.getHost()).orElse("").toLowerCase(Locale.ROOT);
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }

    private static void socketHint(Path socket, List<String> localHints) {
        if (Files.exists(socket)) {
            localHints.add(socket.toString());
        }
    }

    private static Properties testcontainersProperties(Path file) {
        Properties properties = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            } catch (IOException e) {
                // unreadable: treated as absent
            }
        }
        return properties;
    }
}
