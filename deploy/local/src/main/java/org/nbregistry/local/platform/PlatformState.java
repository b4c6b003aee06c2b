package org.nbregistry.local.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * {@code <data>/platform.properties}: which launcher runs on this data folder, whether it is ready,
 * what it printed and where its services and Kafka answer; {@code status}, {@code down}, {@code up --detach} and
 * {@code bench} read it.
 *
 * @param endpoints each service's base URL by its key ({@code intake}, ...) and {@code kafka}'s bootstrap servers
 */
record PlatformState(long pid, String state, String summary, List<String> healthUrls, Map<String, String> endpoints) {

    private static final String ENDPOINT = "endpoint.";

    static final String STARTING = "starting";
    static final String READY = "ready";

    static Path file(Path dataDir) {
        return dataDir.resolve("platform.properties");
    }

    static Optional<PlatformState> read(Path dataDir) {
        Path file = file(dataDir);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        String health = p.getProperty("health", "");
        Map<String, String> endpoints = new TreeMap<>();
        p.stringPropertyNames().stream().filter(k -> k.startsWith(ENDPOINT))
                .forEach(k -> endpoints.put(k.substring(ENDPOINT.length()), p.getProperty(k)));
        return Optional.of(new PlatformState(Long.parseLong(p.getProperty("pid", "-1")), p.getProperty("state", ""),
                p.getProperty("summary", ""), health.isEmpty() ? List.of() : List.of(health.split(" ")), Map.copyOf(endpoints)));
    }

    /** Written to a temporary file and moved, so a reader never sees half a file. */
    void write(Path dataDir) {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(pid));
        p.setProperty("state", state);
        p.setProperty("summary", summary);
        p.setProperty("health", String.join(" ", healthUrls));
        endpoints.forEach((key, value) -> p.setProperty(ENDPOINT + key, value));
        Path file = file(dataDir);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "written by the platform launcher; deleted when it stops");
            out.close();
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dataDir) {
        try {
            Files.deleteIfExists(file(dataDir));
        } catch (IOException e) {
            // a stale file is recognised by its dead pid
        }
    }

    boolean launcherAlive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
