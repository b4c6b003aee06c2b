package org.nbregistry.contracts;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root, where api-specs/ lives, from a test JVM in any module. */
public final class RegistryRoot {

    private RegistryRoot() {
    }

    public static Path get() {
        String configured = System.getProperty("registry.root");
        if (configured != null && Files.isDirectory(Path.of(configured, "api-specs"))) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("api-specs"))) {
                return dir;
            }
        }
        throw new IllegalStateException("api-specs/ not found above " + Path.of("").toAbsolutePath()
                + "; set -Dregistry.root to the repository root");
    }

    public static Path apiSpecs() {
        return get().resolve("api-specs");
    }
}
