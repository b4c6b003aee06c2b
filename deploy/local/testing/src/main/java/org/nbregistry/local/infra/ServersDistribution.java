package org.nbregistry.local.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The built {@code deploy/local/servers} module: its jar plus {@code target/lib/*}, from which the
 * server mains and the service supervisor run as {@code java -cp ... <main>}.
 */
public final class ServersDistribution {

    static final String MODULE = "deploy/local/servers";
    private static final String BUILD_HINT =
            "./mvnw -B -q -f deploy/local/servers/pom.xml -DskipTests package";

    private final Path root;
    private final Path classpathJar;

    private ServersDistribution(Path root, Path classpathJar) {
        this.root = root;
        this.classpathJar = classpathJar;
    }

    /** Finds the repository from system property {@code registry.root}, else upwards from the working directory. */
    public static ServersDistribution locate() {
        return at(repositoryRoot());
    }

    public static ServersDistribution at(Path repositoryRoot) {
        Path target = repositoryRoot.resolve(MODULE).resolve("target");
        Path jar;
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            jar = files.filter(p -> p.getFileName().toString().matches("local-servers-.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().endsWith("-sources.jar"))
                    .findFirst()
                    .orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (jar == null || !Files.isDirectory(target.resolve("lib"))) {
            throw new IllegalStateException("the local servers are not built: no " + target
                    + "/local-servers-*.jar with lib/. Build them with: " + BUILD_HINT);
        }
        return new ServersDistribution(repositoryRoot, jar);
    }

    public static Path repositoryRoot() {
        String configured = System.getProperty("registry.root");
        if (configured != null && !configured.isBlank() && Files.isDirectory(Path.of(configured).resolve(MODULE))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(MODULE))) {
                return dir.normalize();
            }
        }
        throw new IllegalStateException("cannot find the repository (a directory containing " + MODULE
                + ") from registry.root=" + configured + " or upwards from " + start);
    }

    public Path root() {
        return root;
    }

    /** {@code java <jvmOptions> -cp <servers> <mainClass> <args>} with this JVM's java. */
    public List<String> javaCommand(List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpathJar + java.io.File.pathSeparator + classpathJar.resolveSibling("lib") + "/*");
        command.add(mainClass);
        command.addAll(args);
        return command;
    }
}
