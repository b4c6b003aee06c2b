package org.nbregistry.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.nbregistry.contracts.TestTokens;
import org.nbregistry.contracts.KafkaProbe;
import org.nbregistry.local.infra.RealInfrastructureResource;

import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every field rule of every record type, with a case that breaks it: the answer is a problem document (400 for
 * what cannot be read, 422 for a broken rule) naming the field and the rule. The valid base records pass.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,mongodb")})
class FieldRulesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FUTURE = LocalDate.now().plusDays(2).toString();

    static final Map<String, String> VALID = Map.of(
            "patients", """
                    {"recordId":"PT-1","patientPseudonym":"PSN-RULES","sex":"female","birthYearMonth":"2016-02",
                     "ageAtInitialDiagnosisDays":1180,"initialDiagnosisDate":"2019-05-10","inrgssStage":"M","inssStage":"4S",
                     "mycnStatusAtDiagnosis":"amplified","frontline":{"protocol":"HR-NBL2","hdcAsct":"single","antiGd2":true,"radiotherapy":true}}""",
            "episodes", """
                    {"recordId":"EP-1","patientPseudonym":"PSN-RULES","episodeType":"relapse","episodeDate":"2021-03-01",
                     "diseaseExtent":"combined","metastaticSites":["bone","bone_marrow","distant_lymph_nodes","other"],
                     "otherMetastaticSite":"orbit","lymphNodeInvolvement":"distant","mibg":{"avidity":"avid","curieScore":12,"siopenScore":20},
                     "biopsy":{"performed":true,"date":"2021-03-05"},"molecularProfiling":{"performed":true,"methods":["ngs_panel"]},
                     "mycnStatus":"amplified","alk":{"status":"mutated","hgvsProtein":"p.F1174L","variantAlleleFraction":0.12},
                     "segmentalAberrations":["11q_loss","17q_gain"],"clinicalTrial":{"enrolled":true,"registryId":"2019-001234-56"}}""",
            "response-assessments", """
                    {"recordId":"RA-1","patientPseudonym":"PSN-RULES","episodeRecordId":"EP-1","assessmentDate":"2021-06-01",
                     "timepointLabel":"after 2 cycles","methods":["mibg","ct"],"primaryResponse":"PR","metastaticResponse":"SD",
                     "boneMarrowResponse":"MD","curieScore":4,"siopenScore":6,"boneMarrowInfiltrationPercent":2.5}""",
            "follow-ups", """
                    {"recordId":"FU-1","patientPseudonym":"PSN-RULES","date":"2022-01-01","vitalStatus":"dead",
                     "causeOfDeath":"disease_progression"}""",
            "second-malignancies", """
                    {"recordId":"SM-1","patientPseudonym":"PSN-RULES","diagnosisDate":"2022-01-01","diagnosis":"AML"}""",
            "treatments", """
                    {"recordId":"TR-1","patientPseudonym":"PSN-RULES","episodeRecordId":"EP-1","lineNumber":1,
                     "intent":"curative","startDate":"2021-03-10","endDate":"2021-09-01","regimenLabel":"TEMIRI + dinutuximab beta",
                     "clinicalTrial":{"enrolled":true,"registryId":"NCT02308527"},
                     "components":[
                       {"category":"chemotherapy","agents":["temozolomide","irinotecan"],"startDate":"2021-03-10","endDate":"2021-08-01",
                        "cycles":6,"completed":false,"notCompletedReason":"toxicity"},
                       {"category":"immunotherapy","agents":["dinutuximab_beta","gm_csf"]},
                       {"category":"consolidation","agents":["busulfan","melphalan"],"stemCellRescue":"single"},
                       {"category":"local_surgery","surgeryExtent":"gross_total","startDate":"2021-05-02"},
                       {"category":"local_radiotherapy","radiotherapy":{"totalDoseGy":21.6,"fractions":12,"modality":"proton","target":"primary"}}
                     ]}""");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void everyValidRecordIsAcceptedAndPublishedAsTheEventContractSays() {
        Map<String, String> submissions = new HashMap<>();
        VALID.forEach((collection, body) -> submissions.put(collection, given().contentType(ContentType.JSON).body(body)
                .post("/v1/" + collection).then().statusCode(202).body("records[0].status", equalTo("ACCEPTED"))
                .extract().path("id")));
        // The probe checks every message it reads against api-specs/events, so reading them is the contract test.
        try (KafkaProbe kafka = new KafkaProbe(bootstrapServers)) {
            List<ConsumerRecord<String, String>> published = kafka.read("intake.clinical-records",
                    r -> submissions.values().stream().anyMatch(r.value()::contains), found -> found.size() == submissions.size(),
                    Duration.ofSeconds(30));
            // Every collection's record, the treatment line's too, is on the one topic, keyed by its patient.
            Map<String, String> typeBySubmission = published.stream().collect(Collectors.toMap(
                    r -> JsonPath.from(r.value()).getString("correlationId"), r -> JsonPath.from(r.value()).getString("type")));
            assertEquals(Set.copyOf(submissions.values()), typeBySubmission.keySet());
            assertEquals("TreatmentSubmitted", typeBySubmission.get(submissions.get("treatments")));
            assertTrue(published.stream().allMatch(r -> "PSN-RULES".equals(r.key())), "keyed by the patient pseudonym");
        }
    }

    @Test
    void theAgentVocabularyIsServedWithItsNcitCodes() {
        given().get("/v1/vocabulary/agents").then().statusCode(200)
                .body("find { it.code == 'irinotecan' }.ncitCode", equalTo("C62040"))
                .body("find { it.code == 'naxitamab' }.name", equalTo("Naxitamab"))
                .body("find { it.code == 'dinutuximab_beta' }.agentClass", equalTo("anti_gd2_antibody"));
    }

    static Stream<Arguments> brokenRules() {
        return Stream.of(
                // patient
                broken("patients", r -> r.remove("sex"), 422, "sex", "required"),
                broken("patients", r -> r.put("sex", "x"), 400, "sex", "format"),
                broken("patients", r -> r.put("birthYearMonth", "2016-13"), 422, "birthYearMonth", "pattern"),
                broken("patients", r -> {
                    r.remove("birthYearMonth");
                    r.remove("ageAtInitialDiagnosisDays");
                }, 422, "ageAtInitialDiagnosisDays", "age-or-birth-month"),
                broken("patients", r -> r.put("ageAtInitialDiagnosisDays", 10000), 422, "ageAtInitialDiagnosisDays", "range"),
                broken("patients", r -> r.put("birthYearMonth", "2019-06"), 422, "birthYearMonth", "born-before-diagnosis"),
                broken("patients", r -> r.put("ageAtInitialDiagnosisDays", 30), 422, "ageAtInitialDiagnosisDays", "age-matches-birth-month"),
                broken("patients", r -> r.put("initialDiagnosisDate", FUTURE), 422, "initialDiagnosisDate", "not-in-future"),
                broken("patients", r -> r.put("inssStage", "5"), 400, "inssStage", "format"),
                broken("patients", r -> r.put("sex", 1), 400, "sex", "format"),
                broken("patients", r -> r.with("frontline").put("protocol", "<script>"), 422, "frontline.protocol", "pattern"),
                broken("patients", r -> r.put("dateOfBirth", "2016-02-03"), 400, "dateOfBirth", "unknown-field"),
                broken("patients", r -> r.with("frontline").put("hospitalNumber", "123"), 400, "frontline.hospitalNumber", "unknown-field"),
                // episode
                broken("episodes", r -> r.put("diseaseExtent", "local"), 422, "metastaticSites", "local-without-metastases"),
                broken("episodes", r -> r.remove("otherMetastaticSite"), 422, "otherMetastaticSite", "other-site-named"),
                broken("episodes", r -> r.withArray("metastaticSites").add("bone"), 422, "metastaticSites", "no-duplicates"),
                broken("episodes", r -> r.put("metastaticSites", (String) null).put("lymphNodeInvolvement", "none")
                        .set("metastaticSites", JSON.createArrayNode().add("regional_lymph_nodes")), 422, "lymphNodeInvolvement", "lymph-nodes-consistent"),
                broken("episodes", r -> r.withArray("metastaticSites").add("spleen"), 400, "metastaticSites[4]", "format"),
                broken("episodes", r -> r.with("mibg").put("avidity", "non_avid"), 422, "mibg.curieScore", "scored-only-when-avid"),
                broken("episodes", r -> r.with("mibg").put("curieScore", 31), 422, "mibg.curieScore", "range"),
                broken("episodes", r -> r.with("mibg").put("siopenScore", 73), 422, "mibg.siopenScore", "range"),
                broken("episodes", r -> r.with("biopsy").put("performed", false), 422, "biopsy.date", "only-when-performed"),
                broken("episodes", r -> r.with("biopsy").put("date", "2021-02-01"), 422, "biopsy.date", "not-before-episode"),
                broken("episodes", r -> r.with("molecularProfiling").put("performed", false), 422, "molecularProfiling.methods", "only-when-performed"),
                broken("episodes", r -> r.with("alk").put("status", "wild_type").remove("variantAlleleFraction"), 422, "alk.hgvsProtein", "only-when-mutated"),
                broken("episodes", r -> r.with("alk").put("hgvsProtein", "F1174L"), 422, "alk.hgvsProtein", "pattern"),
                broken("episodes", r -> r.with("alk").put("variantAlleleFraction", 1.5), 422, "alk.variantAlleleFraction", "range"),
                broken("episodes", r -> r.withArray("segmentalAberrations").add("none"), 422, "segmentalAberrations", "exclusive-code"),
                broken("episodes", r -> r.with("clinicalTrial").remove("registryId"), 422, "clinicalTrial.registryId", "required-when-enrolled"),
                broken("episodes", r -> r.with("clinicalTrial").put("enrolled", false), 422, "clinicalTrial.registryId", "only-when-enrolled"),
                broken("episodes", r -> r.with("clinicalTrial").put("registryId", "TRIAL-7"), 422, "clinicalTrial.registryId", "pattern"),
                broken("episodes", r -> r.put("episodeDate", FUTURE).with("biopsy").remove("date"), 422, "episodeDate", "not-in-future"),
                broken("episodes", r -> r.put("episodeOrder", 2), 400, "episodeOrder", "unknown-field"),
                // response assessment
                broken("response-assessments", r -> r.put("overallResponse", "CR"), 400, "overallResponse", "unknown-field"),
                broken("response-assessments", r -> r.put("primaryResponse", "NI").put("metastaticResponse", "NI")
                        .put("boneMarrowResponse", "NI").remove("boneMarrowInfiltrationPercent"), 422, "primaryResponse", "some-component-involved"),
                broken("response-assessments", r -> r.put("boneMarrowResponse", "CR"), 422, "boneMarrowInfiltrationPercent",
                        "marrow-response-matches-infiltration"),
                broken("response-assessments", r -> r.put("boneMarrowResponse", "PR"), 400, "boneMarrowResponse", "format"),
                broken("response-assessments", r -> r.remove("episodeRecordId"), 422, "episodeRecordId", "required"),
                broken("response-assessments", r -> r.withArray("methods").add("ct"), 422, "methods", "no-duplicates"),
                broken("response-assessments", r -> r.put("assessmentDate", FUTURE), 422, "assessmentDate", "not-in-future"),
                // follow-up and second malignancy
                broken("follow-ups", r -> r.put("vitalStatus", "alive"), 422, "causeOfDeath", "only-when-dead"),
                broken("follow-ups", r -> r.put("causeOfDeath", "old age"), 400, "causeOfDeath", "format"),
                broken("second-malignancies", r -> r.remove("diagnosisDate"), 422, "diagnosisDate", "required"),
                broken("second-malignancies", r -> r.put("diagnosis", "x".repeat(41)), 422, "diagnosis", "pattern"),
                // treatment line
                broken("treatments", r -> r.putArray("components"), 422, "components", "required"),
                broken("treatments", r -> r.put("lineNumber", 0), 422, "lineNumber", "range"),
                broken("treatments", r -> r.remove("lineNumber"), 422, "lineNumber", "required"),
                broken("treatments", r -> r.put("endDate", "2021-03-01"), 422, "endDate", "end-not-before-start"),
                broken("treatments", r -> component(r, 0).put("startDate", "2021-03-01"), 422, "components[0].startDate", "within-line"),
                broken("treatments", r -> component(r, 0).put("endDate", "2021-09-02"), 422, "components[0].endDate", "within-line"),
                broken("treatments", r -> component(r, 0).put("endDate", "2021-03-09"), 422, "components[0].endDate", "end-not-before-start"),
                broken("treatments", r -> component(r, 0).withArray("agents").add("aspirin"), 422, "components[0].agents[2]", "known-agent"),
                broken("treatments", r -> component(r, 0).withArray("agents").add("Aspirin!"), 422, "components[0].agents[2]", "pattern"),
                broken("treatments", r -> component(r, 0).withArray("agents").add("irinotecan"), 422, "components[0].agents", "no-duplicates"),
                broken("treatments", r -> component(r, 1).remove("agents"), 422, "components[1].agents", "agents-required"),
                broken("treatments", r -> component(r, 3).putArray("agents").add("etoposide"), 422, "components[3].agents",
                        "no-agents-for-local-treatment"),
                broken("treatments", r -> component(r, 3).remove("surgeryExtent"), 422, "components[3].surgeryExtent", "surgery-extent"),
                broken("treatments", r -> component(r, 3).put("surgeryExtent", "most"), 400, "components[3].surgeryExtent", "format"),
                broken("treatments", r -> component(r, 4).remove("radiotherapy"), 422, "components[4].radiotherapy", "radiotherapy-dose"),
                broken("treatments", r -> component(r, 4).with("radiotherapy").put("totalDoseGy", 0), 422, "components[4].radiotherapy.totalDoseGy", "range"),
                broken("treatments", r -> component(r, 4).with("radiotherapy").remove("fractions"), 422, "components[4].radiotherapy.fractions", "required"),
                broken("treatments", r -> component(r, 0).put("stemCellRescue", "single"), 422, "components[0].stemCellRescue", "only-for-consolidation"),
                broken("treatments", r -> component(r, 0).put("completed", true), 422, "components[0].notCompletedReason", "only-when-not-completed"),
                broken("treatments", r -> component(r, 0).remove("category"), 422, "components[0].category", "required"),
                broken("treatments", r -> r.put("regimenLabel", "TEMIRI; call 555-0199 {x}"), 422, "regimenLabel", "pattern"),
                broken("treatments", r -> r.put("category", "chemotherapy"), 400, "category", "unknown-field"));
    }

    @ParameterizedTest(name = "{0}: {3} {4}")
    @MethodSource("brokenRules")
    void aBrokenRuleIsNamedWithItsField(String collection, String body, int status, String field, String rule) {
        JsonPath problem = given().contentType(ContentType.JSON).body(body).post("/v1/" + collection)
                .then().statusCode(status).contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("errors.field", hasItem(field))
                .extract().jsonPath();
        List<Map<String, String>> errors = problem.getList("errors");
        assertTrue(errors.stream().anyMatch(e -> field.equals(e.get("field")) && rule.equals(e.get("rule"))),
                "expected " + field + "/" + rule + " in " + errors);
        assertTrue(errors.stream().noneMatch(e -> e.get("message") == null || e.get("message").isBlank()), errors.toString());
    }

    private static Arguments broken(String collection, Consumer<ObjectNode> change, int status, String field, String rule) {
        try {
            ObjectNode record = (ObjectNode) JSON.readTree(VALID.get(collection));
            change.accept(record);
            return Arguments.of(collection, JSON.writeValueAsString(record), status, field, rule);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode component(ObjectNode treatment, int index) {
        JsonNode components = treatment.get("components");
        return (ObjectNode) ((ArrayNode) components).get(index);
    }

    /** A request of site S01's data manager. */
    private static RequestSpecification given() {
        return given("S01");
    }

    private static RequestSpecification given(String site) {
        return RestAssured.given().auth().oauth2(TestTokens.site(site));
    }
}
