package org.nbregistry.local.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nbregistry.local.infra.ServersDistribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kubernetes base agrees with the platform's catalogue and the services' configuration. No cluster runs here,
 * so this is what can be checked: structure, names, ports, probes, storage and where the token key is read from.
 */
class KubernetesManifestsTest {

    private static final YAMLFactory YAML = new YAMLFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(YAML);
    private static final Path BASE = ServersDistribution.repositoryRoot().resolve("deploy/k8s/base");

    private static JsonNode kustomization;
    private static final Map<String, JsonNode> deployments = new HashMap<>();
    private static final Map<String, JsonNode> services = new HashMap<>();

    @BeforeAll
    static void read() throws IOException {
        kustomization = MAPPER.readTree(BASE.resolve("kustomization.yaml").toFile());
        for (JsonNode resource : kustomization.path("resources")) {
            Path file = BASE.resolve(resource.asText());
            assertTrue(Files.isRegularFile(file), "kustomization lists " + file);
            for (JsonNode document : documents(file)) {
                String name = document.path("metadata").path("name").asText();
                switch (document.path("kind").asText()) {
                    case "Deployment" -> deployments.put(name, document);
                    case "Service" -> services.put(name, document);
                    default -> {
                    }
                }
            }
        }
    }

    @Test
    void everyServiceOfThePlatformHasADeploymentAndAServiceAndNothingElseDoes() {
        List<String> names = Catalog.SERVICES.stream().map(ServiceSpec::name).sorted().toList();
        assertEquals(names, deployments.keySet().stream().sorted().toList());
        assertEquals(names, services.keySet().stream().sorted().toList());
    }

    @Test
    void containersListenWhereTheProbesAndTheServiceLook() {
        for (ServiceSpec spec : Catalog.SERVICES) {
            JsonNode container = container(spec.name());
            assertEquals("nb-registry/" + spec.name() + ":1.0.0", container.path("image").asText());
            assertEquals(8080, container.path("ports").path(0).path("containerPort").asInt());
            assertEquals("http", container.path("ports").path(0).path("name").asText());
            assertEquals("8080", env(container).get("QUARKUS_HTTP_PORT"), spec.name());
            assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText());
            assertEquals("/q/health/live", container.path("livenessProbe").path("httpGet").path("path").asText());
            assertEquals("/q/health/started", container.path("startupProbe").path("httpGet").path("path").asText());

            JsonNode service = services.get(spec.name());
            JsonNode labels = deployments.get(spec.name()).path("spec").path("template").path("metadata").path("labels");
            service.path("spec").path("selector").fields().forEachRemaining(selector ->
                    assertEquals(selector.getValue().asText(), labels.path(selector.getKey()).asText(), spec.name() + " selects its pods"));
            assertEquals("http", service.path("spec").path("ports").path(0).path("targetPort").asText());
        }
    }

    @Test
    void relationalServicesReachTheirOwnDatabase() {
        for (ServiceSpec spec : Catalog.SERVICES) {
            Map<String, String> env = env(container(spec.name()));
            if (spec.postgresDatabase().isPresent()) {
                String database = spec.postgresDatabase().get();
                assertEquals("postgresql://$(POSTGRES_HOST)/" + database, env.get("QUARKUS_DATASOURCE_REACTIVE_URL"));
                assertEquals("jdbc:postgresql://$(POSTGRES_HOST)/" + database, env.get("QUARKUS_DATASOURCE_JDBC_URL"), "Flyway's URL");
            } else {
                assertTrue(!env.containsKey("QUARKUS_DATASOURCE_REACTIVE_URL"), spec.name() + " has no relational data");
            }
        }
        String literals = kustomization.path("configMapGenerator").path(0).path("literals").toString();
        assertTrue(literals.contains("POSTGRES_HOST=") && literals.contains("KAFKA_BOOTSTRAP_SERVERS="), literals);
        assertTrue(kustomization.path("secretGenerator").path(0).path("literals").toString().contains("QUARKUS_MONGODB_CONNECTION_STRING="));
    }

    /** The key the services verify tokens with is read from the mounted Secret, at the path the configuration names. */
    @Test
    void theTokenKeyIsMountedWhereTheConfigurationReadsIt() {
        String location = null;
        for (JsonNode literal : kustomization.path("configMapGenerator").path(0).path("literals")) {
            if (literal.asText().startsWith("MP_JWT_VERIFY_PUBLICKEY_LOCATION=")) {
                location = literal.asText().substring(literal.asText().indexOf('=') + 1);
            }
        }
        assertNotNull(location, "registry-config names the verification key");
        Path key = Path.of(location);
        for (ServiceSpec spec : Catalog.SERVICES) {
            JsonNode pod = deployments.get(spec.name()).path("spec").path("template").path("spec");
            JsonNode container = container(spec.name());
            String volume = null;
            for (JsonNode mount : container.path("volumeMounts")) {
                if (key.getParent().toString().equals(mount.path("mountPath").asText())) {
                    volume = mount.path("name").asText();
                }
            }
            assertNotNull(volume, spec.name() + " mounts " + key.getParent());
            boolean fromSecret = false;
            for (JsonNode v : pod.path("volumes")) {
                fromSecret |= v.path("name").asText().equals(volume) && v.path("secret").path("secretName").asText().equals("registry-jwt");
            }
            assertTrue(fromSecret, spec.name() + " reads the key from Secret registry-jwt");
            assertTrue(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean(), spec.name());
        }
    }

    private static JsonNode container(String service) {
        return deployments.get(service).path("spec").path("template").path("spec").path("containers").path(0);
    }

    private static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        return env;
    }

    private static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (YAMLParser parser = YAML.createParser(file.toFile())) {
            MAPPER.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
        }
        return documents;
    }
}
