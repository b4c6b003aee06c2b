package org.nbregistry.local.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.nbregistry.local.infra.RegistryTopics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nbregistry.local.platform.Kustomize.get;
import static org.nbregistry.local.platform.Kustomize.name;
import static org.nbregistry.local.platform.Kustomize.ofKind;

/**
 * The rendered base and overlays agree with the platform's catalogue, the services' configuration and
 * api-specs/asyncapi.yaml: every service present with its account, image, ports, probes, database, credentials and
 * token key; analytics-service's replicas each a complete read model; the topics as the event contract states them.
 */
class KubernetesManifestsTest {

    private static final String ANALYTICS_PROPERTIES = "services/analytics-service/src/main/resources/application.properties";

    @Test
    void everyServiceOfThePlatformHasItsOwnAccountDeploymentAndServiceAndNothingElseDoes() {
        List<String> names = Catalog.SERVICES.stream().map(ServiceSpec::name).sorted().toList();
        for (String dir : Kustomize.all()) {
            assertEquals(names, ofKind(dir, "Deployment").stream().map(Kustomize::name).sorted().toList(), dir);
            assertEquals(names, ofKind(dir, "Service").stream().filter(s -> "nb-registry".equals(Kustomize.namespace(s)))
                    .map(Kustomize::name).sorted().toList(), dir);
            for (String service : names) {
                JsonNode pod = get(dir, "Deployment", service).path("spec").path("template").path("spec");
                assertEquals(service, pod.path("serviceAccountName").asText(), dir + ": " + service + " runs as its own account");
                assertFalse(pod.path("automountServiceAccountToken").asBoolean(true), dir + ": " + service + " mounts no API token");
                assertFalse(get(dir, "ServiceAccount", service).path("automountServiceAccountToken").asBoolean(true), service);
            }
        }
    }

    @Test
    void containersListenWhereTheProbesAndTheServiceLookAndRunTheImageOfThisVersion() {
        String version = Kustomize.pomVersion();
        for (String dir : Kustomize.all()) {
            for (ServiceSpec spec : Catalog.SERVICES) {
                JsonNode container = container(dir, spec.name());
                assertEquals("nb-registry/" + spec.name() + ":" + version, container.path("image").asText(), dir);
                assertEquals(8080, container.path("ports").path(0).path("containerPort").asInt());
                assertEquals("http", container.path("ports").path(0).path("name").asText());
                assertEquals("8080", env(container).get("QUARKUS_HTTP_PORT"), spec.name());
                // Metrics on the management interface, announced to Prometheus' pod discovery, not behind the Service.
                assertEquals(9000, container.path("ports").path(1).path("containerPort").asInt(), spec.name());
                assertEquals("management", container.path("ports").path(1).path("name").asText(), spec.name());
                assertEquals("9000", env(container).get("QUARKUS_MANAGEMENT_PORT"), spec.name());
                JsonNode annotations = get(dir, "Deployment", spec.name()).path("spec").path("template").path("metadata").path("annotations");
                assertEquals("true", annotations.path("prometheus.io/scrape").asText(), spec.name());
                assertEquals("9000", annotations.path("prometheus.io/port").asText(), spec.name());
                assertEquals("/q/metrics", annotations.path("prometheus.io/path").asText(), spec.name());
                assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText());
                assertEquals("/q/health/live", container.path("livenessProbe").path("httpGet").path("path").asText());
                assertEquals("/q/health/started", container.path("startupProbe").path("httpGet").path("path").asText());

                JsonNode service = get(dir, "Service", spec.name());
                JsonNode labels = Kustomize.podLabels(get(dir, "Deployment", spec.name()));
                assertFalse(service.path("spec").path("selector").isEmpty(), spec.name());
                service.path("spec").path("selector").fields().forEachRemaining(selector ->
                        assertEquals(selector.getValue().asText(), labels.path(selector.getKey()).asText(), spec.name() + " selects its pods"));
                assertEquals("http", service.path("spec").path("ports").path(0).path("targetPort").asText());
                assertEquals(1, service.path("spec").path("ports").size(), spec.name() + ": the Service exposes no metrics");
            }
        }
    }

    @Test
    void relationalServicesReachTheirOwnDatabase() {
        for (String dir : Kustomize.all()) {
            for (ServiceSpec spec : Catalog.SERVICES) {
                Map<String, String> env = env(container(dir, spec.name()));
                if (spec.postgresDatabase().isPresent()) {
                    String database = spec.postgresDatabase().get();
                    assertEquals("postgresql://$(POSTGRES_HOST)/" + database, env.get("QUARKUS_DATASOURCE_REACTIVE_URL"));
                    assertEquals("jdbc:postgresql://$(POSTGRES_HOST)/" + database, env.get("QUARKUS_DATASOURCE_JDBC_URL"), "Flyway's URL");
                } else {
                    assertFalse(env.containsKey("QUARKUS_DATASOURCE_REACTIVE_URL"), spec.name() + " has no relational data");
                }
            }
        }
    }

    /** Each service reads one Secret, its own, with what it needs and nothing else; the dev overlay provides them. */
    @Test
    void eachServiceReadsOnlyItsOwnCredentials() {
        for (String dir : Kustomize.all()) {
            for (ServiceSpec spec : Catalog.SERVICES) {
                JsonNode container = container(dir, spec.name());
                List<String> secrets = container.path("envFrom").findValuesAsText("name").stream()
                        .filter(n -> !n.startsWith("registry-config")).toList();
                assertEquals(1, secrets.size(), dir + ": " + spec.name() + " reads one Secret: " + secrets);
                assertTrue(secrets.get(0).startsWith(spec.name() + "-credentials"), secrets.get(0));
                for (JsonNode volume : get(dir, "Deployment", spec.name()).path("spec").path("template").path("spec").path("volumes")) {
                    if (volume.has("secret")) {
                        assertEquals("registry-jwt", volume.path("secret").path("secretName").asText(), "the only other Secret: the public key");
                    }
                }
                if (dir.equals("overlays/dev")) {
                    Set<String> expected = new TreeSet<>();
                    if (spec.postgresDatabase().isPresent()) {
                        expected.addAll(List.of("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD"));
                    }
                    if (spec.mongodb()) {
                        expected.add("QUARKUS_MONGODB_CONNECTION_STRING");
                    }
                    JsonNode secret = get(dir, "Secret", secrets.get(0));
                    Set<String> keys = new TreeSet<>();
                    secret.path("data").fieldNames().forEachRemaining(keys::add);
                    assertEquals(expected, keys, spec.name());
                }
            }
        }
    }

    /** Every overlay names Kafka, PostgreSQL and the token issuer; every service mounts the key where the config reads it. */
    @Test
    void theTokenKeyIsMountedWhereTheConfigurationReadsIt() {
        for (String overlay : Kustomize.overlays()) {
            Map<String, String> config = config(overlay);
            for (String required : List.of("KAFKA_BOOTSTRAP_SERVERS", "POSTGRES_HOST", "MP_JWT_VERIFY_ISSUER", "MP_JWT_VERIFY_PUBLICKEY_LOCATION")) {
                assertFalse(config.getOrDefault(required, "").isBlank(), overlay + " sets " + required);
            }
            Path key = Path.of(config.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION"));
            for (ServiceSpec spec : Catalog.SERVICES) {
                JsonNode pod = get(overlay, "Deployment", spec.name()).path("spec").path("template").path("spec");
                String volume = null;
                for (JsonNode mount : container(overlay, spec.name()).path("volumeMounts")) {
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
            }
        }
        assertEquals(DevKeys.ISSUER, config("overlays/dev").get("MP_JWT_VERIFY_ISSUER"), "the dev overlay accepts the dev tokens");
    }

    /**
     * Each analytics replica is a complete read model: a consumer group of its own (the pod's name) on the shared
     * projection database, ready once caught up, and rolled out one new ready replica before an old one goes.
     */
    @Test
    void analyticsReplicasAreCompleteReadModelsThatRollOutWithoutAGap() throws IOException {
        String properties = Files.readString(Kustomize.ROOT.resolve(ANALYTICS_PROPERTIES));
        assertTrue(properties.contains("\nregistry.analytics.consumer-group="), "the variable below overrides this property");
        assertTrue(properties.contains("\nregistry.analytics.database=analytics"), properties);
        assertTrue(properties.contains("group.id=${registry.analytics.consumer-group}"), "both channels use the group");
        for (String dir : Kustomize.all()) {
            JsonNode deployment = get(dir, "Deployment", "analytics-service");
            JsonNode container = container(dir, "analytics-service");
            JsonNode group = null;
            for (JsonNode e : container.path("env")) {
                if (e.path("name").asText().equals("REGISTRY_ANALYTICS_CONSUMER_GROUP")) {
                    group = e;
                }
            }
            assertNotNull(group, dir);
            assertEquals("metadata.name", group.path("valueFrom").path("fieldRef").path("fieldPath").asText(), "a group per pod");
            assertEquals("analytics", env(container).get("REGISTRY_ANALYTICS_DATABASE"), "one shared projection");
            JsonNode rolling = deployment.path("spec").path("strategy").path("rollingUpdate");
            assertEquals("RollingUpdate", deployment.path("spec").path("strategy").path("type").asText());
            assertEquals(0, rolling.path("maxUnavailable").asInt(-1), dir);
            assertEquals(1, rolling.path("maxSurge").asInt(), dir);
            assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText(), "ready = caught up");
            int replicas = deployment.path("spec").has("replicas") ? deployment.path("spec").path("replicas").asInt()
                    : get(dir, "HorizontalPodAutoscaler", "analytics-service").path("spec").path("minReplicas").asInt();
            assertTrue(replicas >= 2, dir + ": a node loss leaves a complete replica serving");
        }
    }

    /** Each topic of api-specs/asyncapi.yaml and its .dlq, declared with the partitions, retention and cleanup stated there. */
    @Test
    void topicsAreDeclaredAsTheEventContractStatesThem() throws IOException {
        JsonNode asyncapi = new ObjectMapper(new YAMLFactory()).readTree(Kustomize.ROOT.resolve("api-specs/asyncapi.yaml").toFile());
        String info = asyncapi.path("info").path("description").asText();
        Matcher sizes = Pattern.compile("Partitions: (\\d+) per topic in production \\((\\d+) on a local platform\\); replication factor (\\d+)").matcher(info);
        assertTrue(sizes.find(), info);
        assertTrue(info.contains("`<topic>.dlq` with the same partitions, retention unlimited"), info);
        assertTrue(info.contains("no topic is compacted"), info);
        Map<String, Long> retention = new HashMap<>();
        asyncapi.path("channels").forEach(channel -> {
            String description = channel.path("description").asText();
            assertTrue(description.contains("not compacted"), description);
            long ms = description.contains("Retention unlimited") ? -1 : description.contains("Retention 30 days") ? 30L * 86_400_000 : 0;
            assertTrue(ms != 0, "a retention the test knows: " + description);
            retention.put(channel.path("address").asText(), ms);
            retention.put(channel.path("address").asText() + ".dlq", -1L);
        });
        assertEquals(new TreeSet<>(RegistryTopics.declared(Kustomize.ROOT)), new TreeSet<>(retention.keySet()));

        Map<String, List<Integer>> sizing = Map.of("overlays/production", List.of(Integer.parseInt(sizes.group(1)), Integer.parseInt(sizes.group(3)), 2),
                "overlays/dev", List.of(Integer.parseInt(sizes.group(2)), 1, 1));
        assertEquals(new TreeSet<>(Kustomize.overlays()), new TreeSet<>(sizing.keySet()), "every overlay has its topic sizes here");
        for (String overlay : Kustomize.overlays()) {
            Set<String> declared = new HashSet<>();
            for (JsonNode topic : ofKind(overlay, "KafkaTopic")) {
                JsonNode spec = topic.path("spec");
                String name = spec.path("topicName").asText();
                declared.add(name);
                assertEquals(name, name(topic));
                assertEquals("registry", topic.path("metadata").path("labels").path("strimzi.io/cluster").asText());
                assertEquals("nb-registry-data", Kustomize.namespace(topic), "where the Topic Operator of cluster registry looks");
                assertEquals(sizing.get(overlay).get(0), spec.path("partitions").asInt(), overlay + " " + name);
                assertEquals(sizing.get(overlay).get(1), spec.path("replicas").asInt(), overlay + " " + name);
                assertEquals(sizing.get(overlay).get(2), spec.path("config").path("min.insync.replicas").asInt(), overlay + " " + name);
                assertEquals(retention.get(name), spec.path("config").path("retention.ms").asLong(), overlay + " " + name);
                assertEquals("delete", spec.path("config").path("cleanup.policy").asText(), name);
            }
            assertEquals(retention.keySet(), declared, overlay);
        }
        JsonNode kafka = get("overlays/dev", "Kafka", "registry");
        assertEquals("false", kafka.path("spec").path("kafka").path("config").path("auto.create.topics.enable").asText(), "no topic appears with defaults");
    }

    /** The dev stores' credentials are the ones the services are given. */
    @Test
    void theDevStoresAcceptTheServicesCredentials() {
        String dir = "overlays/dev";
        for (ServiceSpec spec : Catalog.SERVICES) {
            Map<String, String> secret = decoded(get(dir, "Secret", container(dir, spec.name()).path("envFrom").findValuesAsText("name").stream()
                    .filter(n -> n.startsWith(spec.name() + "-credentials")).findFirst().orElseThrow()));
            if (spec.postgresDatabase().isPresent()) {
                Map<String, String> role = decoded(get(dir, "Secret", spec.name() + "-postgres"));
                assertEquals(role.get("username"), secret.get("QUARKUS_DATASOURCE_USERNAME"));
                assertEquals(role.get("password"), secret.get("QUARKUS_DATASOURCE_PASSWORD"));
                assertTrue(get(dir, "Cluster", "registry-postgres").path("spec").path("managed").path("roles").findValuesAsText("name").contains(role.get("username")));
                assertTrue(ofKind(dir, "Database").stream().anyMatch(d -> d.path("spec").path("name").asText().equals(spec.postgresDatabase().get())
                        && d.path("spec").path("owner").asText().equals(role.get("username"))), spec.name() + " owns its database");
            } else {
                String user = spec.name().replace("-service", "");
                Map<String, String> users = decoded(get(dir, "Secret", "mongodb-users"));
                assertEquals("mongodb://" + user + ":" + users.get(user.toUpperCase() + "_PASSWORD") + "@mongodb.nb-registry-data.svc:27017/?authSource=" + user,
                        secret.get("QUARKUS_MONGODB_CONNECTION_STRING"));
            }
        }
    }

    static JsonNode container(String dir, String service) {
        return get(dir, "Deployment", service).path("spec").path("template").path("spec").path("containers").path(0);
    }

    static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        return env;
    }

    private static Map<String, String> config(String dir) {
        List<JsonNode> maps = ofKind(dir, "ConfigMap").stream().filter(c -> name(c).startsWith("registry-config")).toList();
        assertEquals(1, maps.size(), dir);
        Map<String, String> config = new HashMap<>();
        maps.get(0).path("data").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        return config;
    }

    private static Map<String, String> decoded(JsonNode secret) {
        Map<String, String> values = new HashMap<>();
        secret.path("data").fields().forEachRemaining(e ->
                values.put(e.getKey(), new String(Base64.getMimeDecoder().decode(e.getValue().asText()), StandardCharsets.UTF_8)));
        return values;
    }
}
