package org.nbregistry.local.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.nbregistry.local.infra.ServersDistribution;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * deploy/k8s rendered as {@code kubectl apply -k} would send it: by kustomize itself (the one built into kubectl, or
 * a kustomize binary), offline, without a cluster. Each directory is rendered once per test run.
 */
final class Kustomize {

    static final Path ROOT = ServersDistribution.repositoryRoot();
    static final Path K8S = ROOT.resolve("deploy/k8s");
    static final String BASE = "base";
    private static final YAMLFactory YAML_FACTORY = new YAMLFactory();
    private static final ObjectMapper YAML = new ObjectMapper(YAML_FACTORY);
    private static final Map<String, List<JsonNode>> RENDERED = new ConcurrentHashMap<>();

    private Kustomize() {
    }

    /** Every overlay: each directory of deploy/k8s/overlays with a kustomization. */
    static List<String> overlays() {
        try (Stream<Path> dirs = Files.list(K8S.resolve("overlays"))) {
            List<String> overlays = dirs.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml")))
                    .map(d -> "overlays/" + d.getFileName()).sorted().toList();
            if (overlays.isEmpty()) {
                throw new IllegalStateException("no overlay in " + K8S.resolve("overlays"));
            }
            return overlays;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base and every overlay. */
    static List<String> all() {
        return Stream.concat(Stream.of(BASE), overlays().stream()).toList();
    }

    /** The objects a directory of deploy/k8s renders to. */
    static List<JsonNode> render(String dir) {
        return RENDERED.computeIfAbsent(dir, Kustomize::run);
    }

    static List<JsonNode> ofKind(String dir, String kind) {
        return render(dir).stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    static Optional<JsonNode> find(String dir, String kind, String name) {
        return ofKind(dir, kind).stream().filter(o -> name.equals(name(o))).findFirst();
    }

    static JsonNode get(String dir, String kind, String name) {
        return find(dir, kind, name).orElseThrow(() -> new AssertionError(dir + " renders no " + kind + " " + name));
    }

    static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    static String namespace(JsonNode object) {
        return object.path("metadata").path("namespace").asText();
    }

    static String describe(String dir, JsonNode object) {
        return dir + ": " + object.path("kind").asText() + " " + namespace(object) + "/" + name(object);
    }

    /** The pod template's spec of a workload (Deployment, StatefulSet, DaemonSet, Job), or none. */
    static Optional<JsonNode> podSpec(JsonNode object) {
        return switch (object.path("kind").asText()) {
            case "Deployment", "StatefulSet", "DaemonSet", "Job" -> Optional.of(object.path("spec").path("template").path("spec"));
            case "CronJob" -> Optional.of(object.path("spec").path("jobTemplate").path("spec").path("template").path("spec"));
            case "Pod" -> Optional.of(object.path("spec"));
            default -> Optional.empty();
        };
    }

    static JsonNode podLabels(JsonNode workload) {
        return workload.path("spec").path("template").path("metadata").path("labels");
    }

    /** Containers and init containers of a pod spec. */
    static List<JsonNode> containers(JsonNode podSpec) {
        List<JsonNode> containers = new ArrayList<>();
        podSpec.path("initContainers").forEach(containers::add);
        podSpec.path("containers").forEach(containers::add);
        return containers;
    }

    /** The version of the root POM, which every image of the registry carries as its tag. */
    static String pomVersion() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            Document pom = factory.newDocumentBuilder().parse(ROOT.resolve("pom.xml").toFile());
            var children = pom.getDocumentElement().getChildNodes();
            for (int i = 0; i < children.getLength(); i++) {
                if ("version".equals(children.item(i).getNodeName())) {
                    return children.item(i).getTextContent().trim();
                }
            }
            throw new IllegalStateException("the root POM has no version");
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + ROOT.resolve("pom.xml"), e);
        }
    }

    private static List<JsonNode> run(String dir) {
        Path target = K8S.resolve(dir);
        try {
            File errors = File.createTempFile("kustomize", ".err");
            errors.deleteOnExit();
            Process process = new ProcessBuilder(command(target)).redirectError(errors).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new AssertionError("kustomize cannot render " + target + ":\n" + Files.readString(errors.toPath()));
            }
            List<JsonNode> objects = new ArrayList<>();
            try (YAMLParser parser = YAML_FACTORY.createParser(new String(out, StandardCharsets.UTF_8))) {
                YAML.readValues(parser, JsonNode.class).forEachRemaining(o -> {
                    if (!o.isNull() && !o.isMissingNode()) {
                        objects.add(o);
                    }
                });
            }
            return List.copyOf(objects);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> command(Path dir) {
        Optional<Path> kustomize = onPath("kustomize");
        if (kustomize.isPresent()) {
            return List.of(kustomize.get().toString(), "build", dir.toString());
        }
        return onPath("kubectl").map(kubectl -> List.of(kubectl.toString(), "kustomize", dir.toString()))
                .orElseThrow(() -> new AssertionError("rendering deploy/k8s needs kubectl (its built-in kustomize) or kustomize "
                        + "on the PATH; the build machines have kubectl"));
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator)).filter(p -> !p.isBlank()).map(p -> Path.of(p, program))
                .filter(Files::isExecutable).findFirst();
    }
}
