package org.nbregistry.local.platform;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nbregistry.local.platform.Kustomize.describe;
import static org.nbregistry.local.platform.Kustomize.get;
import static org.nbregistry.local.platform.Kustomize.ofKind;

/**
 * The rules every rendered manifest keeps: Pod Security "restricted", probes and resources, NetworkPolicies that
 * allow exactly the architecture's flows, no credentials in the base, images of this version, and in production
 * the means to stay available (autoscaling, disruption budgets, spreading, TLS ingress).
 */
class KubernetesPolicyTest {

    private static final Set<String> RESTRICTED_VOLUMES = Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
            "persistentVolumeClaim", "projected", "secret");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(PASSWORD|SECRET|TOKEN|CONNECTION_STRING|PRIVATE).*");

    /** https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted, plus a read-only root. */
    @Test
    void everyPodMeetsTheRestrictedPodSecurityStandard() {
        for (String dir : Kustomize.all()) {
            Set<String> podNamespaces = new TreeSet<>();
            for (JsonNode workload : Kustomize.render(dir)) {
                JsonNode pod = Kustomize.podSpec(workload).orElse(null);
                if (pod == null) {
                    continue;
                }
                String where = describe(dir, workload);
                podNamespaces.add(Kustomize.namespace(workload));
                JsonNode podContext = pod.path("securityContext");
                for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
                    assertFalse(pod.path(host).asBoolean(), where + " " + host);
                }
                pod.path("volumes").forEach(volume -> {
                    Set<String> types = new TreeSet<>();
                    volume.fieldNames().forEachRemaining(types::add);
                    types.remove("name");
                    assertTrue(RESTRICTED_VOLUMES.containsAll(types), where + " volume " + types);
                });
                for (JsonNode container : Kustomize.containers(pod)) {
                    String c = where + " container " + container.path("name").asText();
                    JsonNode context = container.path("securityContext");
                    assertTrue(context.path("runAsNonRoot").asBoolean(podContext.path("runAsNonRoot").asBoolean()), c + " runAsNonRoot");
                    assertTrue(context.path("runAsUser").asInt(podContext.path("runAsUser").asInt(1)) != 0, c + " not uid 0");
                    String seccomp = context.path("seccompProfile").path("type").asText(podContext.path("seccompProfile").path("type").asText());
                    assertTrue(Set.of("RuntimeDefault", "Localhost").contains(seccomp), c + " seccompProfile " + seccomp);
                    assertEquals("false", context.path("allowPrivilegeEscalation").asText(), c + " allowPrivilegeEscalation");
                    assertFalse(context.path("privileged").asBoolean(), c);
                    assertTrue(context.path("capabilities").path("drop").toString().contains("\"ALL\""), c + " drops ALL capabilities");
                    context.path("capabilities").path("add").forEach(a -> assertEquals("NET_BIND_SERVICE", a.asText(), c));
                    assertTrue(context.path("readOnlyRootFilesystem").asBoolean(), c + " readOnlyRootFilesystem");
                }
            }
            for (String namespace : podNamespaces) {
                JsonNode ns = get(dir, "Namespace", namespace);
                assertEquals("restricted", ns.path("metadata").path("labels").path("pod-security.kubernetes.io/enforce").asText(),
                        dir + ": namespace " + namespace + " enforces the restricted profile");
            }
        }
    }

    /** Long-running containers have readiness and liveness probes; every container has requests and a memory limit. */
    @Test
    void everyContainerHasProbesAndResources() {
        for (String dir : Kustomize.all()) {
            for (JsonNode workload : Kustomize.render(dir)) {
                boolean longRunning = Set.of("Deployment", "StatefulSet", "DaemonSet").contains(workload.path("kind").asText());
                Kustomize.podSpec(workload).ifPresent(pod -> pod.path("containers").forEach(container -> {
                    String c = describe(dir, workload) + " container " + container.path("name").asText();
                    if (longRunning) {
                        assertTrue(container.has("readinessProbe"), c + " readinessProbe");
                        assertTrue(container.has("livenessProbe"), c + " livenessProbe");
                    }
                    JsonNode resources = container.path("resources");
                    assertFalse(resources.path("requests").path("cpu").asText().isEmpty(), c + " requests cpu");
                    assertFalse(resources.path("requests").path("memory").asText().isEmpty(), c + " requests memory");
                    // A memory limit only: a CPU limit throttles the JVM without protecting neighbours any better than requests.
                    assertFalse(resources.path("limits").path("memory").asText().isEmpty(), c + " limits memory");
                }));
            }
        }
    }

    /** Every pod is behind a namespace-wide default deny (where it is the registry's) and a policy naming it. */
    @Test
    void aNetworkPolicySelectsEveryPod() {
        for (String dir : Kustomize.all()) {
            List<JsonNode> policies = ofKind(dir, "NetworkPolicy");
            for (JsonNode workload : Kustomize.render(dir)) {
                if (Kustomize.podSpec(workload).isEmpty()) {
                    continue;
                }
                String namespace = Kustomize.namespace(workload);
                JsonNode labels = Kustomize.podLabels(workload);
                boolean named = policies.stream().anyMatch(p -> Kustomize.namespace(p).equals(namespace)
                        && !p.path("spec").path("podSelector").isEmpty() && selects(p.path("spec").path("podSelector"), labels));
                assertTrue(named, describe(dir, workload) + " is selected by a NetworkPolicy of its own");
                if (namespace.equals("nb-registry")) {
                    assertTrue(policies.stream().anyMatch(p -> Kustomize.namespace(p).equals(namespace) && p.path("spec").path("podSelector").isEmpty()
                            && p.path("spec").path("policyTypes").size() == 2 && !p.path("spec").has("ingress") && !p.path("spec").has("egress")),
                            dir + ": nb-registry denies what no policy allows");
                }
            }
        }
    }

    /** The registry's pods may talk exactly as the architecture says, and nothing else. */
    @Test
    void networkPoliciesAllowExactlyTheArchitecturesFlows() {
        String dns = "to kube-system/k8s-app=kube-dns:UDP/53";
        String dnsTcp = "to kube-system/k8s-app=kube-dns:TCP/53";
        String kafka = "to nb-registry-data/strimzi.io/cluster=registry:TCP/9092";
        String mongodb = "to nb-registry-data/app.kubernetes.io/name=mongodb:TCP/27017";
        String postgres = "to nb-registry-data/cnpg.io/cluster=registry-postgres:TCP/5432";
        String ingress = "from ingress-nginx/app.kubernetes.io/name=ingress-nginx:TCP/8080";
        // The scraper reaches the management port (metrics) of every service, and nothing else.
        String scrape = "from monitoring/app.kubernetes.io/name=prometheus:TCP/9000";
        Map<String, Set<String>> expected = Map.of(
                "intake-service", Set.of(dns, dnsTcp, kafka, mongodb, ingress, scrape),
                "analytics-service", Set.of(dns, dnsTcp, kafka, mongodb, ingress, scrape),
                "episode-service", Set.of(dns, dnsTcp, kafka, postgres, scrape));
        assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(Catalog.SERVICES.stream().map(ServiceSpec::name).toList()),
                "every service's flows are stated here");
        for (String dir : Kustomize.all()) {
            List<JsonNode> policies = ofKind(dir, "NetworkPolicy").stream().filter(p -> Kustomize.namespace(p).equals("nb-registry")).toList();
            for (ServiceSpec spec : Catalog.SERVICES) {
                JsonNode labels = Kustomize.podLabels(get(dir, "Deployment", spec.name()));
                Set<String> flows = new TreeSet<>();
                for (JsonNode policy : policies) {
                    if (selects(policy.path("spec").path("podSelector"), labels)) {
                        policy.path("spec").path("egress").forEach(rule -> flows.addAll(flows("to", rule.path("to"), rule.path("ports"))));
                        policy.path("spec").path("ingress").forEach(rule -> flows.addAll(flows("from", rule.path("from"), rule.path("ports"))));
                    }
                }
                assertEquals(new TreeSet<>(expected.get(spec.name())), flows, dir + ": " + spec.name());
            }
        }
    }

    /** The base holds no credential: no Secret, no secret-looking literal; production takes all of them from the operator. */
    @Test
    void noSecretValueInTheBaseNorInProduction() {
        for (String dir : List.of(Kustomize.BASE, "overlays/production")) {
            assertEquals(List.of(), ofKind(dir, "Secret").stream().map(s -> describe(dir, s)).toList());
            for (JsonNode object : Kustomize.render(dir)) {
                object.path("data").fields().forEachRemaining(e ->
                        assertFalse(SECRET_NAME.matcher(e.getKey()).matches(), describe(dir, object) + " holds " + e.getKey()));
                Kustomize.podSpec(object).ifPresent(pod -> Kustomize.containers(pod).forEach(c -> c.path("env").forEach(e ->
                        assertFalse(SECRET_NAME.matcher(e.path("name").asText()).matches() && e.has("value"),
                                describe(dir, object) + " sets " + e.path("name").asText() + " literally"))));
            }
        }
    }

    /** The registry's images carry the POM version; every other image is pinned to a tag. */
    @Test
    void everyImageIsPinnedAndTheRegistrysCarryThePomVersion() {
        String version = Kustomize.pomVersion();
        for (String dir : Kustomize.all()) {
            for (JsonNode workload : Kustomize.render(dir)) {
                Kustomize.podSpec(workload).ifPresent(pod -> Kustomize.containers(pod).forEach(container -> {
                    String image = container.path("image").asText();
                    String tag = image.contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "";
                    if (image.startsWith("nb-registry/")) {
                        assertEquals(version, tag, describe(dir, workload) + " " + image);
                    } else {
                        assertFalse(tag.isEmpty() || tag.equals("latest"), describe(dir, workload) + " pins " + image);
                    }
                }));
            }
        }
    }

    @Test
    void productionScalesSurvivesDisruptionsAndTerminatesTls() {
        String dir = "overlays/production";
        for (ServiceSpec spec : Catalog.SERVICES) {
            JsonNode deployment = get(dir, "Deployment", spec.name());
            assertFalse(deployment.path("spec").has("replicas"), "the autoscaler owns " + spec.name() + "'s replicas");
            JsonNode hpa = get(dir, "HorizontalPodAutoscaler", spec.name());
            assertEquals(spec.name(), hpa.path("spec").path("scaleTargetRef").path("name").asText());
            assertTrue(hpa.path("spec").path("minReplicas").asInt() >= 2, spec.name());
            JsonNode pdb = get(dir, "PodDisruptionBudget", spec.name());
            assertTrue(selects(pdb.path("spec").path("selector"), Kustomize.podLabels(deployment)), spec.name());
            assertTrue(pdb.path("spec").path("minAvailable").asInt() >= 1, spec.name());
            JsonNode spread = deployment.path("spec").path("template").path("spec").path("topologySpreadConstraints");
            assertTrue(spread.findValuesAsText("topologyKey").contains("kubernetes.io/hostname"), spec.name() + " spreads over nodes");
            spread.forEach(s -> assertTrue(selects(s.path("labelSelector"), Kustomize.podLabels(deployment)), spec.name()));
        }
        assertTrue(get(dir, "HorizontalPodAutoscaler", "episode-service").path("spec").path("maxReplicas").asInt() <= 6,
                "no more consumers than partitions");
        Map<String, String> exposed = new TreeMap<>();
        for (JsonNode ingress : ofKind(dir, "Ingress")) {
            Set<String> tlsHosts = new TreeSet<>(textList(ingress.path("spec").path("tls")));
            for (JsonNode rule : ingress.path("spec").path("rules")) {
                assertTrue(tlsHosts.contains(rule.path("host").asText()), rule.path("host").asText() + " is served over TLS");
                rule.path("http").path("paths").forEach(p -> exposed.put(p.path("backend").path("service").path("name").asText(), rule.path("host").asText()));
            }
        }
        assertEquals(Set.of("intake-service", "analytics-service"), exposed.keySet(), "only intake and analytics face outside callers");
    }

    private static List<String> textList(JsonNode tls) {
        List<String> hosts = new ArrayList<>();
        tls.forEach(t -> t.path("hosts").forEach(h -> hosts.add(h.asText())));
        return hosts;
    }

    /** Flows of one rule, as "to|from namespace/label=value:PROTOCOL/port"; a peer without a namespace is this one. */
    private static List<String> flows(String direction, JsonNode peers, JsonNode ports) {
        List<String> flows = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        if (peers.isMissingNode() || peers.isEmpty()) {
            targets.add("anywhere");
        }
        peers.forEach(peer -> {
            String namespace = peer.path("namespaceSelector").path("matchLabels").path("kubernetes.io/metadata.name").asText(peer.has("namespaceSelector") ? "*" : "nb-registry");
            StringBuilder pods = new StringBuilder();
            peer.path("podSelector").path("matchLabels").fields().forEachRemaining(e -> pods.append(pods.isEmpty() ? "" : ",").append(e.getKey()).append('=').append(e.getValue().asText()));
            targets.add(peer.has("ipBlock") ? "ip " + peer.path("ipBlock").path("cidr").asText() : namespace + "/" + (pods.isEmpty() ? "*" : pods));
        });
        for (String target : targets) {
            if (ports.isMissingNode() || ports.isEmpty()) {
                flows.add(direction + " " + target + ":any");
            }
            ports.forEach(p -> flows.add(direction + " " + target + ":" + p.path("protocol").asText("TCP") + "/" + p.path("port").asText()));
        }
        return flows;
    }

    /** Whether a label selector (matchLabels and matchExpressions In/NotIn/Exists) selects these labels. */
    static boolean selects(JsonNode selector, JsonNode labels) {
        var matches = new boolean[]{true};
        selector.path("matchLabels").fields().forEachRemaining(e -> matches[0] &= e.getValue().asText().equals(labels.path(e.getKey()).asText(null)));
        selector.path("matchExpressions").forEach(x -> {
            String value = labels.path(x.path("key").asText()).asText(null);
            List<String> values = new ArrayList<>();
            x.path("values").forEach(v -> values.add(v.asText()));
            matches[0] &= switch (x.path("operator").asText()) {
                case "In" -> values.contains(value);
                case "NotIn" -> !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> false;
            };
        });
        return matches[0];
    }
}
