package org.nbregistry.intake.fhir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.nbregistry.intake.fhir.Issues.Issue;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The FHIR R4 schema on parsed bundles: what the JSON parser lets through, named by FHIRPath; and what it costs. */
class FhirSchemaTest {

    private static final FhirJson FHIR = new FhirJson();
    private static final FhirSchema SCHEMA = new FhirSchema(FHIR);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theExampleHistoryMeetsTheSchema() {
        Issues issues = new Issues();
        SCHEMA.check(parse(FhirExamples.bundle("S01", "PSN-EXAMPLE")), issues);
        assertEquals(List.of(), issues.all());
    }

    @Test
    void missingRequiredElementsAndValuesOutsideTheirTypeAreNamedByTheElementConcerned() throws Exception {
        ObjectNode bundle = (ObjectNode) JSON.readTree(FhirExamples.bundle("S01", "PSN-EXAMPLE"));
        resource(bundle, 26).remove("study"); // ResearchSubject.study is 1..1
        resource(bundle, 17).remove("status"); // Observation.status is 1..1
        resource(bundle, 18).put("id", "FU_1"); // a FHIR id has no underscore
        Issues issues = new Issues();
        SCHEMA.check(parse(JSON.writeValueAsString(bundle)), issues);
        List<Issue> found = issues.all();
        assertEquals(List.of("Bundle.entry[17].resource", "Bundle.entry[18].resource.id", "Bundle.entry[26].resource"),
                found.stream().map(Issue::expression).sorted().distinct().toList(), found.toString());
        assertTrue(found.stream().allMatch(i -> i.rule().equals("fhir-r4-schema")));
        assertTrue(found.stream().anyMatch(i -> i.diagnostics().contains("study}")), found.toString());
        assertTrue(found.stream().anyMatch(i -> i.diagnostics().contains("status}")), found.toString());
    }

    /** Figures, not assertions: what the schema adds at start and per bundle, beside parsing and mapping. */
    @Test
    void whatTheSchemaCosts() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        long heapBefore = runtime.totalMemory() - runtime.freeMemory();
        long started = System.nanoTime();
        FhirSchema schema = new FhirSchema(FHIR);
        double startMs = (System.nanoTime() - started) / 1e6;
        System.gc();
        long heapAfter = runtime.totalMemory() - runtime.freeMemory();
        String text = FhirExamples.bundle("S01", "PSN-EXAMPLE");
        int runs = 100;
        double[] parseAndMap = new double[runs];
        double[] check = new double[runs];
        for (int round = 0; round < 2; round++) { // the first round warms up
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                Issues issues = new Issues();
                Bundle bundle = FHIR.parse(text, issues);
                new BundleMapper("S01", issues).map(bundle);
                long t1 = System.nanoTime();
                schema.check(bundle, issues);
                long t2 = System.nanoTime();
                parseAndMap[i] = (t1 - t0) / 1e6;
                check[i] = (t2 - t1) / 1e6;
                assertEquals(List.of(), issues.all());
            }
        }
        System.out.printf("FHIR schema check: start %.0f ms, retained heap ~%d MB; example bundle (%d entries, %d kB JSON): "
                        + "parse+map median %.2f ms p95 %.2f ms, schema median %.2f ms p95 %.2f ms%n",
                startMs, (heapAfter - heapBefore) / (1024 * 1024), parse(text).getEntry().size(), text.length() / 1024,
                percentile(parseAndMap, 50), percentile(parseAndMap, 95), percentile(check, 50), percentile(check, 95));
    }

    private static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
    }

    private static Bundle parse(String text) {
        Issues issues = new Issues();
        Bundle bundle = FHIR.parse(text, issues);
        assertEquals(List.of(), issues.all(), "the bundle parses");
        return bundle;
    }

    private static ObjectNode resource(ObjectNode bundle, int entry) {
        return (ObjectNode) bundle.get("entry").get(entry).get("resource");
    }
}
