package org.nbregistry.local.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nbregistry.local.infra.ServersDistribution;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every service's image is built by the Quarkus Jib extension without a Docker daemon and pushed to a registry named
 * on the command line — here one on 127.0.0.1 that speaks the registry API — tagged with the POM version.
 * The configured base image (a JRE image from a public registry) cannot be fetched on a machine without internet
 * access, so the build here starts from the empty {@code scratch} image: everything the build adds (the application
 * layers, entrypoint, user, working directory, ports, tag) is checked; the base image's own layers are not.
 */
class ImageBuildIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static LoopbackImageRegistry registry;
    private static Path buildLog;

    @BeforeAll
    static void buildAndPushEveryImage() throws Exception {
        Path root = ServersDistribution.repositoryRoot();
        registry = new LoopbackImageRegistry(root.resolve("deploy/local/target"));
        buildLog = root.resolve("deploy/local/target/image-build.log");
        List<String> command = new ArrayList<>(List.of(root.resolve("mvnw").toString(), "-B", "package",
                "-DskipTests", "-pl", String.join(",", Catalog.SERVICES.stream().map(s -> "services/" + s.module()).toList()), "-am",
                "-Dquarkus.container-image.build=true",
                "-Dquarkus.container-image.push=true",
                "-Dquarkus.container-image.registry=" + registry.address(),
                "-Dquarkus.container-image.insecure=true",
                "-Dquarkus.jib.base-jvm-image=scratch",
                // The build that runs this test has already fetched everything this one needs.
                "-o", "-Dmaven.repo.local=" + System.getProperty("registry.maven.repository")));
        Process build = new ProcessBuilder(command).directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(buildLog.toFile()).start();
        if (!build.waitFor(15, TimeUnit.MINUTES)) {
            build.destroyForcibly();
            throw new AssertionError("image build still running after 15 min, see " + buildLog);
        }
        assertEquals(0, build.exitValue(), "image build failed, see " + buildLog);
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    static List<String> services() {
        return Catalog.SERVICES.stream().map(ServiceSpec::module).toList();
    }

    @ParameterizedTest
    @MethodSource("services")
    void theImageIsPushedWithThePomVersionAndRunsTheApplicationAsTheDockerfileDoes(String service) throws IOException {
        String version = Kustomize.pomVersion();
        LoopbackImageRegistry.Manifest manifest = registry.manifest("nb-registry/" + service, version)
                .orElseThrow(() -> new AssertionError("no nb-registry/" + service + ":" + version + " in the registry"));
        JsonNode body = JSON.readTree(manifest.body());

        JsonNode config = JSON.readTree(blob(body.path("config").path("digest").asText())).path("config");
        RuntimeStage dockerfile = ImageRecipeTest.dockerfile();
        assertEquals("10001", config.path("User").asText(), "runs as the non-root user Kubernetes expects");
        assertEquals(dockerfile.user(), config.path("User").asText());
        assertEquals(dockerfile.workingDirectory(), config.path("WorkingDir").asText());
        for (String port : dockerfile.exposed()) {
            assertTrue(config.path("ExposedPorts").has(port + "/tcp"), config.toString());
        }
        List<String> entrypoint = new ArrayList<>();
        config.path("Entrypoint").forEach(part -> entrypoint.add(part.asText()));
        assertEquals(dockerfile.entrypoint(), entrypoint);
        List<String> environment = new ArrayList<>();
        config.path("Env").forEach(variable -> environment.add(variable.asText()));
        dockerfile.environment().forEach((name, value) -> assertTrue(environment.contains(name + "=" + value),
                name + " in " + environment));

        Set<String> files = new TreeSet<>();
        for (JsonNode layer : body.path("layers")) {
            files.addAll(filesOf(blob(layer.path("digest").asText())));
        }
        assertTrue(files.contains("app/quarkus-run.jar"), "the launcher: " + files.size() + " files");
        assertTrue(files.stream().anyMatch(f -> f.startsWith("app/lib/main/")), "the dependencies");
        assertTrue(files.stream().anyMatch(f -> f.startsWith("app/app/") && f.contains(service)),
                "the service's own classes in app/app/: " + files.stream().filter(f -> f.startsWith("app/app/")).toList());
        assertTrue(files.stream().anyMatch(f -> f.startsWith("app/lib/main/") && f.contains("service-support")),
                "the shared module travels with it");
    }

    private static byte[] blob(String digest) {
        return registry.blob(digest).orElseThrow(() -> new AssertionError("blob " + digest + " was not pushed"));
    }

    private static List<String> filesOf(byte[] gzippedTar) throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream gzip = new GZIPInputStream(new ByteArrayInputStream(gzippedTar));
             TarArchiveInputStream tar = new TarArchiveInputStream(gzip)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (!entry.isDirectory()) {
                    names.add(entry.getName().replaceFirst("^/", ""));
                }
            }
        }
        return names;
    }
}
