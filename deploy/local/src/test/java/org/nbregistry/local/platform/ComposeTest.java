package org.nbregistry.local.platform;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker-compose.yml runs the whole platform with Docker alone, in the right order and with its data kept: every
 * long-running container has a health check and nothing starts before what it needs is healthy (or, for a one-shot
 * container, done); the stores write to named volumes; the services are the images Kubernetes runs.
 */
class ComposeTest {

    private static Map<String, Map<String, Object>> services;
    private static Map<String, Object> volumes;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void read() throws IOException {
        try (Reader reader = Files.newBufferedReader(Kustomize.ROOT.resolve("docker-compose.yml"))) {
            Map<String, Object> compose = new Yaml().load(reader); // resolves the anchors and merge keys
            services = (Map<String, Map<String, Object>>) compose.get("services");
            volumes = (Map<String, Object>) compose.get("volumes");
        }
    }

    @Test
    void everyContainerHasAHealthCheckOrIsAOneShotThatOthersAwait() {
        for (var service : services.entrySet()) {
            if (oneShot(service.getKey())) {
                assertTrue(services.values().stream().anyMatch(s -> "service_completed_successfully".equals(condition(s, service.getKey()))),
                        service.getKey() + " is awaited");
            } else {
                Map<String, Object> health = map(service.getValue().get("healthcheck"));
                assertFalse(health.isEmpty(), service.getKey() + " has a health check");
                assertFalse(String.valueOf(health.get("test")).isBlank(), service.getKey());
            }
        }
    }

    @Test
    void nothingStartsBeforeWhatItNeedsIsHealthyOrDone() {
        for (var service : services.entrySet()) {
            for (var dependency : map(service.getValue().get("depends_on")).entrySet()) {
                String expected = oneShot(dependency.getKey()) ? "service_completed_successfully" : "service_healthy";
                assertEquals(expected, condition(service.getValue(), dependency.getKey()), service.getKey() + " -> " + dependency.getKey());
            }
        }
        for (ServiceSpec spec : Catalog.SERVICES) {
            Set<String> needs = map(services.get(spec.name()).get("depends_on")).keySet();
            assertTrue(needs.containsAll(Set.of("kafka", "kafka-topics", "dev-keys")), spec.name() + " " + needs);
            assertEquals(spec.postgresDatabase().isPresent(), needs.contains("postgres"), spec.name());
            assertEquals(spec.mongodb(), needs.contains("mongodb"), spec.name());
        }
    }

    @Test
    void theStoresKeepTheirDataOnNamedVolumesAndKafkaItsLogThere() {
        assertEquals("/var/lib/kafka/data", volumeAt("kafka", "kafka-data"));
        assertEquals("/var/lib/postgresql/data", volumeAt("postgres", "postgres-data"));
        assertEquals("/data/db", volumeAt("mongodb", "mongo-data"));
        String logDirs = String.valueOf(map(services.get("kafka").get("environment")).get("KAFKA_LOG_DIRS"));
        for (String dir : logDirs.split(",")) {
            assertTrue(Path.of(dir).startsWith(volumeAt("kafka", "kafka-data")), "Kafka's log " + dir + " is on its volume");
        }
        assertEquals("false", String.valueOf(map(services.get("kafka").get("environment")).get("KAFKA_AUTO_CREATE_TOPICS_ENABLE")));
        List<String> topicMounts = list(services.get("kafka-topics").get("volumes"));
        assertTrue(topicMounts.contains("./deploy/k8s/kafka-topics/topics.yaml:/topics.yaml:ro"), "the topics as Kubernetes declares them");
        topicMounts.forEach(m -> assertTrue(Files.exists(Kustomize.ROOT.resolve(m.split(":")[0])), m));
    }

    /** The services are the images Kubernetes runs, built here from the one Dockerfile; all verify the dev tokens. */
    @Test
    void theServicesAreTheKubernetesImagesAndVerifyTheDevTokens() {
        String version = Kustomize.pomVersion();
        Set<String> images = new TreeSet<>();
        services.values().forEach(s -> {
            if (String.valueOf(s.get("image")).startsWith("nb-registry/")) {
                images.add(String.valueOf(s.get("image")));
            }
        });
        Set<String> expected = new TreeSet<>();
        for (ServiceSpec spec : Catalog.SERVICES) {
            Map<String, Object> service = services.get(spec.name());
            assertNotNull(service, spec.name());
            expected.add("nb-registry/" + spec.name() + ":" + version);
            assertEquals(KubernetesManifestsTest.container("base", spec.name()).path("image").asText(), service.get("image"), "the image Kubernetes runs");
            Map<String, Object> build = map(service.get("build"));
            assertTrue(Files.isRegularFile(Kustomize.ROOT.resolve(String.valueOf(build.get("dockerfile")))), spec.name());
            assertEquals(spec.name(), map(build.get("args")).get("SERVICE"));
            Map<String, Object> env = map(service.get("environment"));
            assertEquals(DevKeys.ISSUER, env.get("MP_JWT_VERIFY_ISSUER"), spec.name());
            // Metrics on the management port, published on the host's loopback like the API.
            int management = spec.managementPort().defaultPort();
            assertEquals(String.valueOf(management), String.valueOf(env.get("QUARKUS_MANAGEMENT_PORT")), spec.name());
            assertTrue(list(service.get("ports")).contains("127.0.0.1:" + management + ":" + management), spec.name());
            String key = String.valueOf(env.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION"));
            assertTrue(list(service.get("volumes")).stream().anyMatch(v -> v.startsWith("dev-keys:") && key.startsWith(v.split(":")[1] + "/")),
                    spec.name() + " mounts the key it reads");
        }
        assertEquals(expected, images);
        List<String> keyMaker = list(services.get("dev-keys").get("command"));
        assertEquals(List.of("files", "/keys"), keyMaker);
        assertTrue(list(services.get("dev-keys").get("volumes")).contains("dev-keys:/keys"));
    }

    private static boolean oneShot(String service) {
        return "no".equals(String.valueOf(services.get(service).get("restart")));
    }

    private static String condition(Map<String, Object> service, String dependency) {
        return String.valueOf(map(map(service.get("depends_on")).get(dependency)).get("condition"));
    }

    private static String volumeAt(String service, String volume) {
        assertTrue(volumes.containsKey(volume), volume + " is a named volume");
        return list(services.get(service).get("volumes")).stream().filter(v -> v.startsWith(volume + ":")).map(v -> v.split(":")[1])
                .findFirst().orElseThrow(() -> new AssertionError(service + " mounts " + volume));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Object value) {
        return value == null ? List.of() : ((List<Object>) value).stream().map(String::valueOf).toList();
    }
}
