package org.nbregistry.intake.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.nbregistry.intake.fhir.BundleMapper.Mapped;
import org.nbregistry.intake.fhir.Issues.Issue;
import org.nbregistry.intake.submission.RecordKind;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mapping alone: the example bundle becomes exactly the example JSON records, and each refusal says what and where. */
class BundleMapperTest {

    private static final FhirJson FHIR = new FhirJson();
    private static final String REG = "https://nbregistry.org/fhir/StructureDefinition/";
    private static final String MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition/";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void theExampleBundleMapsToTheExampleRecords() throws Exception {
        Issues issues = new Issues();
        BundleMapper.Result result = map(FhirExamples.bundle("S01", "PSN-EXAMPLE"), "S01", issues);
        assertEquals(List.of(), issues.all());
        ArrayNode expected = (ArrayNode) JSON.readTree(FhirExamples.records("PSN-EXAMPLE")).get("records");
        assertEquals(expected.size(), result.records().size());
        for (int i = 0; i < expected.size(); i++) {
            Mapped m = result.records().get(i);
            assertEquals(expected.get(i).get("recordType").asText(), m.kind().recordType());
            assertEquals(expected.get(i).get("record"), JSON.valueToTree(m.record()), "record " + i);
        }
        assertEquals(List.of(), result.withdrawals());
    }

    @Test
    void identifyingDataIsRefusedWhereItIs() throws Exception {
        ObjectNode bundle = example();
        ObjectNode patient = resource(bundle, 0);
        patient.putArray("name").addObject().put("family", "Doe");
        patient.putArray("telecom").addObject().put("system", "phone").put("value", "555-0100");
        patient.putArray("address").addObject().put("city", "Madrid");
        ObjectNode mrn = ((ArrayNode) patient.get("identifier")).addObject();
        mrn.putObject("type").putArray("coding").addObject().put("system", "http://terminology.hl7.org/CodeSystem/v2-0203").put("code", "MR");
        mrn.put("system", "urn:hospital:mrn").put("value", "12345");
        ((ArrayNode) patient.get("identifier")).addObject().put("system", "https://nbregistry.org/fhir/sid/S02/pseudonym").put("value", "OTHER");
        resource(bundle, 1).putObject("text").put("status", "generated").put("div", "<div xmlns=\"http://www.w3.org/1999/xhtml\">Jane Doe</div>");
        List<Issue> issues = refused(bundle);
        assertEquals(List.of("Bundle.entry[0].resource.address", "Bundle.entry[0].resource.identifier[1]", "Bundle.entry[0].resource.identifier[2]",
                        "Bundle.entry[0].resource.name", "Bundle.entry[0].resource.telecom", "Bundle.entry[1].resource.text"),
                issues.stream().map(Issue::expression).sorted(BundleMapperTest::byEntry).toList());
        assertTrue(issues.stream().allMatch(i -> i.rule().equals("no-identifying-data")));
    }

    @Test
    void unknownCodesWrongProfilesAndUnresolvedReferencesAreEachNamed() throws Exception {
        ObjectNode bundle = example();
        codeOf(resource(bundle, 1)).put("code", "254955001"); // a SNOMED CT code, not neuroblastoma
        ((ArrayNode) resource(bundle, 1).get("code").get("coding")).remove(1);
        ((ObjectNode) resource(bundle, 9).get("medicationCodeableConcept").get("coding").get(0)).put("code", "999999");
        ((ArrayNode) resource(bundle, 2).get("meta").get("profile")).set(0, JSON.getNodeFactory().textNode("http://example.org/StructureDefinition/other-stage"));
        ((ObjectNode) resource(bundle, 17).get("focus").get(0)).put("reference", "urn:uuid:00000000-0000-4000-8000-999999999999");
        ((ObjectNode) resource(bundle, 8).get("subject")).put("reference", "Patient/NOT-IN-BUNDLE");
        List<Issue> issues = refused(bundle);
        assertEquals(List.of(
                        "Bundle.entry[1].resource.code neuroblastoma",
                        "Bundle.entry[2].resource.meta.profile[0] profile",
                        "Bundle.entry[8].resource.subject reference-in-bundle",
                        "Bundle.entry[9].resource.medicationCodeableConcept known-agent",
                        "Bundle.entry[17].resource.focus[0] reference-in-bundle"),
                issues.stream().map(i -> i.expression() + " " + i.rule()).sorted(BundleMapperTest::byEntry).toList());
    }

    @Test
    void anUnknownCodeOfEveryRegistryFieldIsRefusedWhereItIs() throws Exception {
        ObjectNode bundle = example();
        extension(resource(bundle, 0), REG + "cause-of-death").put("valueCode", "murder");
        extension(extension(resource(bundle, 1), REG + "frontline-therapy"), "hdcAsct").put("valueCode", "triple");
        ((ObjectNode) extension(resource(bundle, 1), REG + "age-at-diagnosis").get("valueAge")).put("code", "mo");
        extension(resource(bundle, 5), REG + "disease-extent").put("valueCode", "regional");
        extension(resource(bundle, 5), REG + "lymph-node-involvement").put("valueCode", "many");
        coding((ObjectNode) extension(resource(bundle, 8), MCODE + "mcode-procedure-intent").get("valueCodeableConcept")).put("code", "262202000");
        extension(extension(resource(bundle, 11), REG + "treatment-component"), "notCompletedReason").put("valueCode", "boredom");
        extension(resource(bundle, 13), REG + "radiotherapy-target").put("valueCode", "brain");
        coding(componentValue(resource(bundle, 17), 6)).put("code", "xray");
        ObjectNode site = (ObjectNode) resource(bundle, 19).get("bodySite").get(0);
        ((ArrayNode) site.get("coding")).remove(1);
        coding(site).put("code", "spleen");
        resource(bundle, 22).put("status", "in-progress");
        coding((ObjectNode) resource(bundle, 23).get("valueCodeableConcept")).put("code", "glowing");
        coding(componentValue(resource(bundle, 24), 1)).put("code", "sanger");
        coding(componentValue(resource(bundle, 25), 0)).put("code", "7q_gain");
        resource(bundle, 26).put("status", "candidate");
        List<Issue> issues = refused(bundle);
        assertEquals(List.of(
                        "Bundle.entry[0].resource.extension('" + REG + "cause-of-death') known-code",
                        "Bundle.entry[1].resource.extension('" + REG + "age-at-diagnosis').valueAge age-in-days",
                        "Bundle.entry[1].resource.extension('" + REG + "frontline-therapy').extension('hdcAsct') known-code",
                        "Bundle.entry[5].resource.extension('" + REG + "disease-extent') known-code",
                        "Bundle.entry[5].resource.extension('" + REG + "lymph-node-involvement') known-code",
                        "Bundle.entry[8].resource.extension('" + MCODE + "mcode-procedure-intent').valueCodeableConcept known-code",
                        "Bundle.entry[11].resource.extension('" + REG + "treatment-component').extension('notCompletedReason') known-code",
                        "Bundle.entry[13].resource.extension('" + REG + "radiotherapy-target') known-code",
                        "Bundle.entry[17].resource.component[6].valueCodeableConcept known-code",
                        "Bundle.entry[19].resource.bodySite[0] known-code",
                        "Bundle.entry[22].resource.status biopsy-status",
                        "Bundle.entry[23].resource.valueCodeableConcept known-code",
                        "Bundle.entry[24].resource.component[1].valueCodeableConcept known-code",
                        "Bundle.entry[25].resource.component[0].valueCodeableConcept known-code",
                        "Bundle.entry[26].resource.status enrolled-status"),
                issues.stream().map(i -> i.expression() + " " + i.rule()).sorted(BundleMapperTest::byEntry).toList());
    }

    @Test
    void notEnrolledIsSaidOnTheEpisodeOrLineAndAComponentsResourcesAgree() throws Exception {
        ObjectNode bundle = example();
        ((ArrayNode) bundle.get("entry")).remove(26); // the ResearchSubject
        ((ArrayNode) resource(bundle, 5).get("extension")).addObject().put("url", REG + "clinical-trial-enrolment").put("valueBoolean", false);
        Issues issues = new Issues();
        BundleMapper.Result result = map(JSON.writeValueAsString(bundle), "S01", issues);
        assertEquals(List.of(), issues.all());
        assertEquals(JSON.readTree("{\"enrolled\":false}"), JSON.valueToTree(result.records().get(1).record()).get("clinicalTrial"));
        assertEquals(null, JSON.valueToTree(result.records().get(3).record()).get("clinicalTrial"));

        ((ArrayNode) resource(bundle, 8).get("extension")).addObject().put("url", REG + "clinical-trial-enrolment").put("valueBoolean", true);
        extension(extension(resource(bundle, 10), REG + "treatment-component"), "cycles").put("valuePositiveInt", 6);
        assertEquals(List.of(
                        "Bundle.entry[8].resource.extension('" + REG + "clinical-trial-enrolment') trial-enrolment",
                        "Bundle.entry[10].resource.extension('" + REG + "treatment-component').extension('cycles') component-consistent"),
                refused(bundle).stream().map(i -> i.expression() + " " + i.rule()).sorted(BundleMapperTest::byEntry).toList());
    }

    @Test
    void registryCodesCarryWhatStandardCodesCannot() throws Exception {
        ObjectNode bundle = example();
        ObjectNode alk = resource(bundle, 7);
        alk.putObject("valueCodeableConcept").putArray("coding").addObject().put("system", "https://nbregistry.org/fhir/CodeSystem/alk-status").put("code", "amplified");
        ((ArrayNode) alk.get("component")).remove(2);
        ((ArrayNode) alk.get("component")).remove(1);
        ObjectNode modality = (ObjectNode) extension(extension(resource(bundle, 13), MCODE + "mcode-radiotherapy-modality-and-technique"), "modality")
                .get("valueCodeableConcept").get("coding").get(0);
        modality.put("system", "https://nbregistry.org/fhir/CodeSystem/radiotherapy-modality").put("code", "other");
        Issues issues = new Issues();
        BundleMapper.Result result = map(JSON.writeValueAsString(bundle), "S01", issues);
        assertEquals(List.of(), issues.all());
        assertEquals(JSON.readTree("{\"status\":\"amplified\"}"), JSON.valueToTree(result.records().get(1).record()).get("alk"));
        assertEquals("other", JSON.valueToTree(result.records().get(3).record()).get("components").get(3).get("radiotherapy").get("modality").asText());
    }

    @Test
    void earlierMcodeNamesMapAsTheCurrentOnes() throws Exception {
        ObjectNode bundle = example();
        extension(resource(bundle, 8), MCODE + "mcode-procedure-intent").put("url", MCODE + "mcode-treatment-intent"); // STU1/STU2
        ((ArrayNode) resource(bundle, 2).get("meta").get("profile")).set(0, JSON.getNodeFactory().textNode(MCODE + "mcode-neuroblastoma-inrgss-stage"));
        codeOf(resource(bundle, 4)).put("code", "93797-9"); // MYCN copy number by FISH, reported as a status
        Issues issues = new Issues();
        BundleMapper.Result result = map(JSON.writeValueAsString(bundle), "S01", issues);
        assertEquals(List.of(), issues.all());
        ArrayNode expected = (ArrayNode) JSON.readTree(FhirExamples.records("PSN-EXAMPLE")).get("records");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).get("record"), JSON.valueToTree(result.records().get(i).record()), "record " + i);
        }
    }

    @Test
    void aComponentKeySeparatesComponentsOfOneCategoryAndPeriod() throws Exception {
        ObjectNode bundle = example();
        extension(resource(bundle, 9), REG + "treatment-component").withArray("extension").addObject().put("url", "key").put("valueString", "first");
        extension(resource(bundle, 10), REG + "treatment-component").withArray("extension").addObject().put("url", "key").put("valueString", "second");
        Issues issues = new Issues();
        BundleMapper.Result result = map(JSON.writeValueAsString(bundle), "S01", issues);
        assertEquals(List.of(), issues.all());
        var components = JSON.valueToTree(result.records().get(3).record()).get("components");
        assertEquals(List.of("[\"irinotecan\"]", "[\"temozolomide\"]", "[\"dinutuximab_beta\"]"),
                List.of(components.get(0).get("agents").toString(), components.get(1).get("agents").toString(), components.get(2).get("agents").toString()));

        ((ArrayNode) resource(bundle, 14).get("extension")).addObject().put("url", REG + "treatment-component")
                .putArray("extension").addObject().put("url", "key").put("valueString", "first");
        assertEquals(List.of("Bundle.entry[14].resource.extension('" + REG + "treatment-component').extension('key') component-consistent"),
                refused(bundle).stream().map(i -> i.expression() + " " + i.rule()).toList());
    }

    @Test
    void keyedMedicationsGivenOnDifferentDaysAreOneComponentOverTheirSpan() throws Exception {
        ObjectNode bundle = example();
        for (int entry : new int[] {9, 10}) {
            extension(resource(bundle, entry), REG + "treatment-component").withArray("extension").addObject().put("url", "key").put("valueString", "course");
        }
        ((ObjectNode) resource(bundle, 10).get("effectivePeriod")).put("start", "2021-03-12").put("end", "2021-07-02");
        var course = component(bundle, 0);
        assertEquals("[\"irinotecan\",\"temozolomide\"]", course.get("agents").toString());
        assertEquals(List.of("2021-03-10", "2021-07-02"), List.of(course.get("startDate").asText(), course.get("endDate").asText()));

        ((ObjectNode) resource(bundle, 10).get("effectivePeriod")).remove("end");
        course = component(bundle, 0);
        assertEquals("2021-03-10", course.get("startDate").asText());
        assertTrue(course.get("endDate") == null, "ongoing while one of its medications is: " + course);
    }

    @Test
    void anAgentFreeTreatmentIsAProcedureOfCategoryOther() throws Exception {
        ObjectNode bundle = example();
        var other = component(bundle, 5);
        assertEquals("other", other.get("category").asText());
        assertTrue(other.get("agents") == null);

        extension(resource(bundle, 28), REG + "treatment-category").put("valueCode", "chemotherapy");
        extension(resource(bundle, 12), REG + "surgery-extent").put("url", REG + "treatment-category").put("valueCode", "surgery");
        assertEquals(List.of("Bundle.entry[12].resource.extension('" + REG + "treatment-category') known-code",
                        "Bundle.entry[28].resource.extension('" + REG + "treatment-category') procedure-category"),
                refused(bundle).stream().map(i -> i.expression() + " " + i.rule()).sorted(BundleMapperTest::byEntry).toList());
    }

    @Test
    void aDeathKeepsTheFollowUpIdItWasFirstSentWith() throws Exception {
        ObjectNode bundle = example();
        ObjectNode id = resource(bundle, 0).putObject("_deceasedDateTime").putArray("extension").addObject().put("url", REG + "follow-up-id");
        id.put("valueString", "FU-DEATH");
        Issues issues = new Issues();
        BundleMapper.Result result = map(JSON.writeValueAsString(bundle), "S01", issues);
        assertEquals(List.of(), issues.all());
        assertEquals(List.of("FU-DEATH", "FU1"), result.records().stream().filter(m -> m.kind() == RecordKind.FOLLOW_UP)
                .map(m -> m.record().recordId()).sorted().toList());

        id.remove("valueString");
        id.put("valueInteger", 7);
        assertEquals(List.of("Bundle.entry[0].resource.deceasedDateTime.extension('" + REG + "follow-up-id') string"),
                refused(bundle).stream().map(i -> i.expression() + " " + i.rule()).toList());
    }

    @Test
    void aDeleteEntryWithdrawsTheRecordsItsResourceBecomes() {
        String bundle = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"request":{"method":"DELETE","url":"Observation/RA1"}},
                  {"request":{"method":"DELETE","url":"Encounter/FU1"}},
                  {"request":{"method":"DELETE","url":"Procedure/PR-RT"}},
                  {"request":{"method":"DELETE","url":"Condition/PT1-SMN1"}}]}""";
        Issues issues = new Issues();
        BundleMapper.Result result = map(bundle, "S01", issues);
        assertEquals(List.of("Bundle.entry[2].request.url delete-target"), issues.all().stream().map(i -> i.expression() + " " + i.rule()).toList());
        assertEquals(List.of(RecordKind.EPISODE, RecordKind.RESPONSE_ASSESSMENT, RecordKind.FOLLOW_UP, RecordKind.SECOND_MALIGNANCY),
                result.withdrawals().stream().map(w -> w.kind()).toList());
    }

    @Test
    void elementsR4DoesNotDefineAreRefusedByTheParser() {
        Issues issues = new Issues();
        Bundle bundle = FHIR.parse(FhirExamples.bundle("S01", "PSN-X").replace("\"gender\": \"female\"", "\"gender\": \"girl\", \"favouriteColour\": \"blue\""), issues);
        assertTrue(bundle != null);
        assertEquals(List.of("invalid-value", "unknown-element"), issues.all().stream().map(Issue::rule).sorted().toList());
        assertTrue(issues.all().stream().anyMatch(i -> i.expression().endsWith("favouriteColour")));
    }

    private static List<Issue> refused(ObjectNode bundle) throws Exception {
        Issues issues = new Issues();
        map(JSON.writeValueAsString(bundle), "S01", issues);
        return issues.all();
    }

    /** A component of the example's treatment line, as the mapped record gives it; the bundle maps without issues. */
    private static JsonNode component(ObjectNode bundle, int index) throws Exception {
        Issues issues = new Issues();
        BundleMapper.Result result = map(JSON.writeValueAsString(bundle), "S01", issues);
        assertEquals(List.of(), issues.all());
        Mapped line = result.records().stream().filter(m -> m.kind() == RecordKind.TREATMENT).findFirst().orElseThrow();
        return JSON.valueToTree(line.record()).get("components").get(index);
    }

    private static BundleMapper.Result map(String text, String site, Issues issues) {
        Bundle bundle = FHIR.parse(text, issues);
        assertEquals(List.of(), issues.all(), "the example parses");
        return new BundleMapper(site, issues).map(bundle);
    }

    private static ObjectNode example() throws Exception {
        return (ObjectNode) JSON.readTree(FhirExamples.bundle("S01", "PSN-EXAMPLE"));
    }

    private static ObjectNode resource(ObjectNode bundle, int entry) {
        return (ObjectNode) bundle.get("entry").get(entry).get("resource");
    }

    /** The first extension with the url, of a resource or of a complex extension. */
    private static ObjectNode extension(ObjectNode on, String url) {
        for (var e : on.get("extension")) {
            if (url.equals(e.get("url").asText())) {
                return (ObjectNode) e;
            }
        }
        throw new AssertionError("no extension " + url);
    }

    private static ObjectNode componentValue(ObjectNode observation, int component) {
        return (ObjectNode) observation.get("component").get(component).get("valueCodeableConcept");
    }

    private static ObjectNode coding(ObjectNode concept) {
        return (ObjectNode) concept.get("coding").get(0);
    }

    private static ObjectNode codeOf(ObjectNode resource) {
        return (ObjectNode) resource.get("code").get("coding").get(0);
    }

    /** Orders locations by entry number, then by text. */
    private static int byEntry(String a, String b) {
        int c = Integer.compare(entry(a), entry(b));
        return c != 0 ? c : a.compareTo(b);
    }

    private static int entry(String expression) {
        String digits = expression.replaceAll("^Bundle\\.entry\\[(\\d+)].*$", "$1");
        return digits.equals(expression) ? -1 : Integer.parseInt(digits);
    }
}
