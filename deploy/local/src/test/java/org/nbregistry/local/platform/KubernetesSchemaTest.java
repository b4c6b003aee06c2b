package org.nbregistry.local.platform;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.nbregistry.local.platform.Kustomize.describe;
import static org.nbregistry.local.platform.Kustomize.find;
import static org.nbregistry.local.platform.Kustomize.name;
import static org.nbregistry.local.platform.Kustomize.namespace;

/**
 * Every rendered object is a valid object of its kind. Kubernetes' own kinds are read into fabric8's model of the
 * API types, where every field must be known (fabric8 keeps unknown fields aside instead of failing, so they are
 * looked for), and the references between objects must resolve. The operators' kinds (Strimzi, CloudNativePG) have
 * no model here: their apiVersion and kind, and each field used, are checked against the expectations below, written
 * from the operators' documentation; a field they do not list fails the test until it is added there deliberately.
 */
class KubernetesSchemaTest {

    private static final ObjectMapper MAPPER = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private static final Map<String, Class<?>> KINDS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("batch/v1/Job", Job.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class));

    /** The fields each operator kind may have ('*' is any one key); besides metadata name, namespace, labels, annotations. */
    private static final Map<String, Set<String>> CUSTOM_KINDS = Map.of(
            "kafka.strimzi.io/v1beta2/KafkaTopic", Set.of("spec/topicName", "spec/partitions", "spec/replicas", "spec/config/*"),
            "kafka.strimzi.io/v1beta2/Kafka", Set.of("spec/kafka/listeners/[]/name", "spec/kafka/listeners/[]/port",
                    "spec/kafka/listeners/[]/type", "spec/kafka/listeners/[]/tls",
                    "spec/kafka/listeners/[]/networkPolicyPeers/[]/namespaceSelector/matchLabels/*",
                    "spec/kafka/config/*", "spec/entityOperator/topicOperator"),
            "kafka.strimzi.io/v1beta2/KafkaNodePool", Set.of("spec/replicas", "spec/roles/[]", "spec/storage/type",
                    "spec/storage/volumes/[]/id", "spec/storage/volumes/[]/type", "spec/storage/volumes/[]/size",
                    "spec/storage/volumes/[]/deleteClaim", "spec/storage/volumes/[]/kraftMetadata",
                    "spec/resources/requests/*", "spec/resources/limits/*"),
            "postgresql.cnpg.io/v1/Cluster", Set.of("spec/instances", "spec/storage/size", "spec/resources/requests/*",
                    "spec/resources/limits/*", "spec/managed/roles/[]/name", "spec/managed/roles/[]/ensure",
                    "spec/managed/roles/[]/login", "spec/managed/roles/[]/passwordSecret/name"),
            "postgresql.cnpg.io/v1/Database", Set.of("spec/cluster/name", "spec/name", "spec/owner"));

    private static final Set<String> METADATA = Set.of("metadata/name", "metadata/namespace", "metadata/labels/*", "metadata/annotations/*");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    @Test
    void everyObjectIsAValidObjectOfItsKind() throws Exception {
        for (String dir : Kustomize.all()) {
            for (JsonNode object : Kustomize.render(dir)) {
                String where = describe(dir, object);
                String type = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
                assertTrue(DNS_SUBDOMAIN.matcher(name(object)).matches(), where + ": a valid name");
                assertEquals(!CLUSTER_SCOPED.contains(object.path("kind").asText()), !namespace(object).isEmpty(), where + ": namespace");
                if (KINDS.containsKey(type)) {
                    Object typed = MAPPER.treeToValue(object, KINDS.get(type));
                    List<String> unknown = new ArrayList<>();
                    unknownFields(typed, type, unknown);
                    assertEquals(List.of(), unknown, where + ": fields Kubernetes does not know");
                } else if (CUSTOM_KINDS.containsKey(type)) {
                    List<String> unknown = new ArrayList<>();
                    fields(object, new ArrayList<>(), unknown, type);
                    assertEquals(List.of(), unknown, where + ": fields not in the expectation of " + type);
                } else {
                    fail(where + ": " + type + " is neither a Kubernetes kind with a model here nor an expected operator kind");
                }
            }
        }
    }

    @Test
    void workloadsHaveWhatTheApiServerRequires() {
        for (String dir : Kustomize.all()) {
            for (JsonNode object : Kustomize.render(dir)) {
                String where = describe(dir, object);
                String kind = object.path("kind").asText();
                if (Set.of("Deployment", "StatefulSet").contains(kind)) {
                    JsonNode selector = object.path("spec").path("selector");
                    assertFalse(selector.isEmpty(), where + " selector");
                    assertTrue(KubernetesPolicyTest.selects(selector, Kustomize.podLabels(object)), where + ": the selector selects its own template");
                }
                Kustomize.podSpec(object).ifPresent(pod -> {
                    assertFalse(pod.path("containers").isEmpty(), where + " containers");
                    for (JsonNode container : Kustomize.containers(pod)) {
                        assertFalse(container.path("name").asText().isEmpty(), where + " container name");
                        assertFalse(container.path("image").asText().isEmpty(), where + " image");
                        Set<String> volumes = new HashSet<>();
                        pod.path("volumes").forEach(v -> volumes.add(v.path("name").asText()));
                        object.path("spec").path("volumeClaimTemplates").forEach(v -> volumes.add(name(v)));
                        container.path("volumeMounts").forEach(m -> assertTrue(volumes.contains(m.path("name").asText()), where + " mounts " + m));
                    }
                    if (kind.equals("Job")) {
                        assertTrue(Set.of("Never", "OnFailure").contains(pod.path("restartPolicy").asText()), where + " restartPolicy");
                    }
                });
                if (kind.equals("Service")) {
                    object.path("spec").path("ports").forEach(p -> assertTrue(p.path("port").asInt() > 0, where + " port"));
                }
            }
        }
    }

    /** Names that objects give each other resolve within the rendering (Secrets the operator provides aside). */
    @Test
    void referencesBetweenObjectsResolve() {
        for (String dir : Kustomize.all()) {
            for (JsonNode object : Kustomize.render(dir)) {
                String where = describe(dir, object);
                String ns = namespace(object);
                switch (object.path("kind").asText()) {
                    case "HorizontalPodAutoscaler" -> assertTrue(inNamespace(dir, "Deployment",
                            object.path("spec").path("scaleTargetRef").path("name").asText(), ns), where);
                    case "Ingress" -> object.path("spec").path("rules").findValues("service").forEach(backend -> {
                        JsonNode service = find(dir, "Service", backend.path("name").asText()).orElseThrow(() -> new AssertionError(where + " " + backend));
                        assertTrue(service.path("spec").path("ports").findValuesAsText("name").contains(backend.path("port").path("name").asText()), where);
                    });
                    case "Service" -> assertTrue(Kustomize.render(dir).stream().anyMatch(w -> namespace(w).equals(ns) && Kustomize.podSpec(w).isPresent()
                            && KubernetesPolicyTest.selects(object.path("spec").path("selector"), Kustomize.podLabels(w))), where + " selects pods");
                    case "RoleBinding" -> {
                        assertTrue(inNamespace(dir, "Role", object.path("roleRef").path("name").asText(), ns), where);
                        object.path("subjects").forEach(s -> assertTrue(inNamespace(dir, "ServiceAccount", s.path("name").asText(), s.path("namespace").asText()), where));
                    }
                    case "KafkaTopic", "KafkaNodePool" -> {
                        if (!Kustomize.ofKind(dir, "Kafka").isEmpty()) {
                            assertTrue(inNamespace(dir, "Kafka", object.path("metadata").path("labels").path("strimzi.io/cluster").asText(), ns), where);
                        }
                    }
                    case "Database" -> assertTrue(inNamespace(dir, "Cluster", object.path("spec").path("cluster").path("name").asText(), ns), where);
                    case "Cluster" -> object.path("spec").path("managed").path("roles").forEach(role -> {
                        JsonNode secret = find(dir, "Secret", role.path("passwordSecret").path("name").asText())
                                .orElseThrow(() -> new AssertionError(where + " " + role));
                        assertEquals("kubernetes.io/basic-auth", secret.path("type").asText(), where);
                        assertEquals(ns, namespace(secret), where);
                    });
                    default -> {
                    }
                }
                Kustomize.podSpec(object).ifPresent(pod -> {
                    assertTrue(inNamespace(dir, "ServiceAccount", pod.path("serviceAccountName").asText(), ns), where + " runs as a ServiceAccount of its own");
                    pod.findValues("configMap").forEach(c -> assertTrue(inNamespace(dir, "ConfigMap", c.path("name").asText(), ns), where + " " + c));
                    pod.findValues("configMapRef").forEach(c -> assertTrue(inNamespace(dir, "ConfigMap", c.path("name").asText(), ns), where + " " + c));
                    if (dir.equals("overlays/dev")) {
                        // registry-jwt is made by the dev-keys Job; every other Secret of the dev stack is in the overlay.
                        pod.findValues("secretRef").forEach(s -> assertTrue(inNamespace(dir, "Secret", s.path("name").asText(), ns), where + " " + s));
                        pod.findValues("secretName").stream().filter(s -> !s.asText().equals("registry-jwt"))
                                .forEach(s -> assertTrue(inNamespace(dir, "Secret", s.asText(), ns), where + " " + s));
                    }
                });
            }
        }
    }

    private static boolean inNamespace(String dir, String kind, String name, String namespace) {
        return Kustomize.ofKind(dir, kind).stream().anyMatch(o -> name(o).equals(name) && namespace(o).equals(namespace));
    }

    /** Fields of an operator's object not matched by its expectation (leaves, and empty objects as leaves). */
    private static void fields(JsonNode node, List<String> path, List<String> unknown, String type) {
        if (node.isObject() && !node.isEmpty()) {
            node.fields().forEachRemaining(e -> {
                List<String> next = new ArrayList<>(path);
                next.add(e.getKey());
                if (!(path.isEmpty() && Set.of("apiVersion", "kind").contains(e.getKey()))) {
                    fields(e.getValue(), next, unknown, type);
                }
            });
        } else if (node.isArray() && !node.isEmpty()) {
            List<String> next = new ArrayList<>(path);
            next.add("[]");
            node.forEach(element -> fields(element, next, unknown, type));
        } else if (!path.isEmpty() && Stream.concat(CUSTOM_KINDS.get(type).stream(), METADATA.stream()).noneMatch(p -> matches(p, path))) {
            unknown.add(String.join("/", path));
        }
    }

    private static boolean matches(String pattern, List<String> path) {
        String[] segments = pattern.split("/");
        if (segments.length != path.size()) {
            return false;
        }
        for (int i = 0; i < segments.length; i++) {
            if (!segments[i].equals("*") && !segments[i].equals(path.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Collects the fields fabric8 kept aside as unknown ("additional properties"), anywhere in the object. */
    private static void unknownFields(Object value, String path, List<String> unknown) throws ReflectiveOperationException {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                unknownFields(e.getValue(), path + "." + e.getKey(), unknown);
            }
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            } catch (InvocationTargetException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
            } else {
                unknownFields(field, path + "." + getter.getName().substring(3), unknown);
            }
        }
    }
}
