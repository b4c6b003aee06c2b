package org.nbregistry.intake.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.nbregistry.contracts.RegistryRoot;
import org.nbregistry.intake.fhir.Issues.Issue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HL7's instance validator on bundles as sent: R4's own rules and the registry's profiles, by FHIRPath; and what it costs. */
class FhirProfilesTest {

    private static final String REG = "https://nbregistry.org/fhir/StructureDefinition/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long LOADING_STARTED = System.nanoTime();
    private static final FhirProfiles PROFILES = new FhirProfiles();

    static {
        PROFILES.load();
    }

    @Test
    void theExampleHistoryMeetsR4AndTheRegistryProfiles() {
        Issues issues = new Issues();
        PROFILES.check(FhirExamples.bundle("S01", "PSN-EXAMPLE"), List.of(), issues);
        assertEquals(List.of(), issues.all());
    }

    @Test
    void whatARegistryProfileForbidsOrRequiresIsNamedWhereItIs() throws Exception {
        ObjectNode bundle = example();
        resource(bundle, 0).putArray("name").addObject().put("family", "Doe"); // registry-patient: name 0..0
        resource(bundle, 17).put("valueString", "CR"); // inrc-response: the overall response is derived, never sent
        resource(bundle, 23).remove("focus"); // episode-finding: focus 1..1
        resource(bundle, 8).remove("supportingInfo"); // treatment-line-plan: supportingInfo 1..1
        ((ObjectNode) resource(bundle, 27).get("code")).remove("text"); // second-malignancy: code.text 1..1
        List<Issue> found = check(bundle);
        assertEquals(List.of("Bundle.entry[0].resource", "Bundle.entry[17].resource", "Bundle.entry[23].resource", "Bundle.entry[27].resource.code",
                        "Bundle.entry[8].resource"),
                found.stream().map(Issue::expression).sorted().distinct().toList(), found.toString());
        assertTrue(found.stream().allMatch(i -> i.rule().equals("fhir-r4-profile")), found.toString());
        for (String profile : List.of("registry-patient", "inrc-response", "episode-finding", "treatment-line-plan", "second-malignancy")) {
            assertTrue(found.stream().anyMatch(i -> i.diagnostics().contains(REG + profile)), profile + " in " + found);
        }
        assertTrue(found.stream().anyMatch(i -> i.diagnostics().contains("Patient.name")), found.toString());
    }

    @Test
    void r4sOwnInvariantsBindingsAndBundleRulesApplyToEveryResource() throws Exception {
        ObjectNode bundle = example();
        // obs-6: dataAbsentReason only when there is no value
        resource(bundle, 4).putObject("dataAbsentReason").put("text", "not done");
        // Bundle: a fullUrl of the form [base]/Type/id names the resource it carries
        ((ObjectNode) bundle.get("entry").get(18)).put("fullUrl", "https://hospital.example.org/fhir/Encounter/SOMETHING-ELSE");
        // a required binding: Encounter.status
        resource(bundle, 18).put("status", "done");
        List<Issue> found = check(bundle);
        assertTrue(found.stream().anyMatch(i -> i.expression().equals("Bundle.entry[4].resource") && i.diagnostics().contains("obs-6")), found.toString());
        assertTrue(found.stream().anyMatch(i -> i.expression().equals("Bundle.entry[18].fullUrl") && i.diagnostics().contains("SOMETHING-ELSE")), found.toString());
        assertTrue(found.stream().anyMatch(i -> i.expression().equals("Bundle.entry[18].resource.status")), found.toString());
    }

    @Test
    void codesOfExternalSystemsAreNotLookedUpHere() throws Exception {
        ObjectNode bundle = example();
        // a SNOMED CT code that does not exist: the mapping's code tables refuse it, the validator cannot know it offline
        ((ObjectNode) resource(bundle, 1).get("code").get("coding").get(0)).put("code", "999999999999");
        assertEquals(List.of(), check(bundle));
    }

    @Test
    void everyRegistryProfileTheMappingAcceptsIsPublishedAndValidatedAgainst() throws Exception {
        Set<String> accepted = FhirTerms.PROFILES.values().stream().flatMap(Set::stream).filter(url -> url.startsWith(REG))
                .map(url -> url.substring(REG.length())).collect(Collectors.toCollection(TreeSet::new));
        Set<String> published;
        try (Stream<Path> files = Files.list(RegistryRoot.apiSpecs().resolve("fhir").resolve("profiles"))) {
            published = files.map(f -> f.getFileName().toString().replaceFirst("\\.json$", "")).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(accepted, published, "the registry profiles accepted in meta.profile and those in api-specs/fhir/profiles");
        assertEquals(accepted, new TreeSet<>(FhirProfiles.REGISTRY_PROFILES), "the registry profiles validated against");
        for (String id : published) {
            JsonNode profile = JSON.readTree(RegistryRoot.apiSpecs().resolve("fhir").resolve("profiles").resolve(id + ".json").toFile());
            assertEquals(REG + id, profile.get("url").asText(), id);
            assertTrue(FhirTerms.PROFILES.get(profile.get("type").asText()).contains(REG + id), id + " is accepted on " + profile.get("type"));
        }
    }

    @Test
    void theLocationDropsTheResourceNamesTheValidatorWritesInComments() {
        assertEquals("Bundle.entry[1].resource.code.coding[0]", FhirProfiles.location("Bundle.entry[1].resource/*Observation/o1*/.code.coding[0]"));
        assertEquals("Bundle", FhirProfiles.location(null));
    }

    /** Figures, not assertions: loading the R4 definitions and the registry's profiles, the heap they take, and a check. */
    @Test
    void whatTheValidatorCosts() {
        Runtime runtime = Runtime.getRuntime();
        PROFILES.check(FhirExamples.bundle("S01", "PSN-EXAMPLE"), List.of(), new Issues()); // waits for the loading
        double loadSeconds = (System.nanoTime() - LOADING_STARTED) / 1e9;
        System.gc();
        long heap = runtime.totalMemory() - runtime.freeMemory();
        String text = FhirExamples.bundle("S01", "PSN-EXAMPLE");
        int runs = 30;
        double[] ms = new double[runs];
        for (int round = 0; round < 2; round++) { // the first round warms up
            for (int i = 0; i < runs; i++) {
                long started = System.nanoTime();
                PROFILES.check(text, List.of(), new Issues());
                ms[i] = (System.nanoTime() - started) / 1e6;
            }
        }
        Arrays.sort(ms);
        System.out.printf("FHIR profile validation: definitions loaded %.1f s after the class was; heap in use after GC %d MB; "
                + "per bundle of %d resources median %.1f ms, max %.1f ms%n", loadSeconds, heap / (1024 * 1024),
                ((ArrayNode) example().get("entry")).size(), ms[runs / 2], ms[runs - 1]);
        assertTrue(ms[0] > 0);
    }

    private static List<Issue> check(ObjectNode bundle) throws Exception {
        Issues issues = new Issues();
        List<String> fullUrls = new java.util.ArrayList<>();
        bundle.get("entry").forEach(e -> fullUrls.add(e.has("fullUrl") ? e.get("fullUrl").asText() : null));
        PROFILES.check(JSON.writeValueAsString(bundle), fullUrls, issues);
        return issues.all();
    }

    private static ObjectNode example() {
        try {
            return (ObjectNode) JSON.readTree(FhirExamples.bundle("S01", "PSN-EXAMPLE"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode resource(ObjectNode bundle, int entry) {
        return (ObjectNode) bundle.get("entry").get(entry).get("resource");
    }
}
