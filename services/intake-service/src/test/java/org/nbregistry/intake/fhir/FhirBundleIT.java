package org.nbregistry.intake.fhir;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nbregistry.contracts.KafkaProbe;
import org.nbregistry.contracts.TestTokens;
import org.nbregistry.intake.submission.RecordKind;
import org.nbregistry.local.infra.RealInfrastructureResource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * POST /fhir/Bundle on real Kafka and MongoDB: a history sent as FHIR becomes the same records, events and audit as
 * the same history sent as JSON; a redelivered bundle changes nothing; a refused bundle (identifying data, broken
 * references, R4 schema errors) stores nothing; DELETE
 * entries withdraw. Each test is its own site, so record ids of the example never meet.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,mongodb")})
class FhirBundleIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FHIR_JSON = "application/fhir+json";

    /** The example's records: type and id. */
    private static final List<Map.Entry<RecordKind, String>> RECORDS = List.of(Map.entry(RecordKind.PATIENT, "PT1"),
            Map.entry(RecordKind.EPISODE, "EP1"), Map.entry(RecordKind.RESPONSE_ASSESSMENT, "RA1"), Map.entry(RecordKind.TREATMENT, "TL1"),
            Map.entry(RecordKind.FOLLOW_UP, "FU1"), Map.entry(RecordKind.SECOND_MALIGNANCY, "PT1-SMN1"), Map.entry(RecordKind.FOLLOW_UP, "PT1-death"));

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /** A bundle without records is answered, with nothing to do. */
    @BeforeEach
    void anEmptyBundleIsAnsweredWithNothingToDo() {
        postBundle(site(), "{\"resourceType\":\"Bundle\",\"type\":\"collection\"}").then().statusCode(200)
                .body("issue[0].diagnostics", equalTo("the bundle carries no records"));
    }

    @Test
    void aHistoryAsFhirBecomesTheSameRecordsEventsAndAuditAsAsJson() {
        String fhirSite = site();
        String jsonSite = site();
        String p = pseudonym();
        ExtractableResponse<Response> posted = postBundle(fhirSite, FhirExamples.bundle(fhirSite, p)).then().statusCode(202)
                .contentType(FHIR_JSON).extract();
        JsonPath outcome = posted.jsonPath();
        assertEquals("OperationOutcome", outcome.getString("resourceType"));
        assertEquals(RECORDS.stream().map(r -> "ACCEPTED").toList(), outcome.getList("issue.details.coding.code.flatten()"));
        assertEquals(RECORDS.size(), outcome.getList("issue").size());
        String location = posted.header("Location");
        String submission = location.substring(location.lastIndexOf('/') + 1);
        given(fhirSite).get("/v1/submissions/{id}", submission).then().statusCode(200).body("records.size()", equalTo(RECORDS.size()));

        given(jsonSite).contentType(ContentType.JSON).body(FhirExamples.records(p)).post("/v1/batches").then().statusCode(202);
        for (Map.Entry<RecordKind, String> record : RECORDS) {
            Map<String, Object> viaFhir = content(fhirSite, record.getKey(), record.getValue());
            Map<String, Object> viaJson = content(jsonSite, record.getKey(), record.getValue());
            assertEquals(viaJson, viaFhir, record.getKey().recordType() + " " + record.getValue());
        }

        // Published like a batch: one submission, all on the one topic keyed by the patient, the treatment line after its episode.
        List<ConsumerRecord<String, String>> published = kafka().read("intake.clinical-records", r -> r.value().contains(submission),
                found -> found.size() >= RECORDS.size(), WAIT);
        assertEquals(List.of("PatientSubmitted", "EpisodeSubmitted", "ResponseAssessmentSubmitted", "TreatmentSubmitted", "FollowUpSubmitted",
                        "SecondMalignancySubmitted", "FollowUpSubmitted"),
                published.stream().map(r -> JsonPath.from(r.value()).getString("type")).toList());
        assertEquals(RECORDS.stream().map(r -> p).toList(), published.stream().map(ConsumerRecord::key).toList());

        // The audit trail names the bundle by its identifier.
        given(fhirSite).get("/v1/audit?recordType=episode&recordId=EP1").then().statusCode(200)
                .body("change", equalTo(List.of("created")))
                .body("bundle", equalTo(List.of("https://nbregistry.org/fhir/sid/" + fhirSite + "/bundle|" + p + "-history-1")));
        given(jsonSite).get("/v1/audit?recordType=episode&recordId=EP1").then().statusCode(200).body("[0].bundle", equalTo(null));
    }

    @Test
    void aRedeliveredBundleChangesNothing() throws Exception {
        String site = site();
        String p = pseudonym();
        String bundle = FhirExamples.bundle(site, p);
        String first = postBundle(site, bundle).then().statusCode(202).extract().asString();
        // The same Bundle.identifier: the first answer again, nothing submitted.
        String again = postBundle(site, bundle).then().statusCode(202).header("Idempotency-Replayed", "true").extract().asString();
        assertEquals(first, again);
        // The same content without an identifier: each record is recognised as unchanged.
        ObjectNode anonymous = (ObjectNode) JSON.readTree(bundle);
        anonymous.remove("identifier");
        JsonPath unchanged = postBundle(site, JSON.writeValueAsString(anonymous)).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("UNCHANGED"), unchanged.getList("issue.details.coding.code.flatten()").stream().distinct().toList());
        // The same identifier for other content is refused.
        postBundle(site, bundle.replace("2022-01-10", "2022-01-11")).then().statusCode(422)
                .body("issue[0].details.text", equalTo("idempotency-key-reused"))
                .body("issue[0].expression[0]", equalTo("Bundle.identifier"));
        assertEquals(RECORDS.size(), kafka().readFor("intake.clinical-records", r -> p.equals(r.key()), Duration.ofSeconds(2)).size(),
                "each record was published once");
        given(site).get("/v1/audit?recordType=patient&recordId=PT1").then().statusCode(200).body("size()", equalTo(1));
    }

    @Test
    void aBundleWithIdentifyingDataOrBrokenReferencesIsRefusedWholeAndStoresNothing() throws Exception {
        String site = site();
        ObjectNode bundle = (ObjectNode) JSON.readTree(FhirExamples.bundle(site, pseudonym()));
        ((ObjectNode) bundle.get("entry").get(0).get("resource")).putArray("name").addObject().put("family", "Doe");
        ((ObjectNode) bundle.get("entry").get(17).get("resource").get("focus").get(0)).put("reference", "Observation/NOWHERE");
        ((ObjectNode) bundle.get("entry").get(17).get("resource")).remove("status"); // required by the R4 schema
        JsonPath refused = postBundle(site, JSON.writeValueAsString(bundle)).then().statusCode(422).contentType(FHIR_JSON)
                .header("Cache-Control", "no-store").extract().jsonPath();
        assertEquals("OperationOutcome", refused.getString("resourceType"));
        assertEquals(List.of("Bundle.entry[0].resource.name", "Bundle.entry[17].resource", "Bundle.entry[17].resource.focus[0]"),
                refused.getList("issue.expression.flatten()", String.class).stream().sorted().toList());
        assertEquals(List.of("error", "error", "error"), refused.getList("issue.severity"));
        for (Map.Entry<RecordKind, String> record : RECORDS) {
            given(site).get("/v1/{collection}/{id}", record.getKey().collection(), record.getValue()).then().statusCode(404);
        }

        postBundle(site, "{\"resourceType\":\"Patient\"}").then().statusCode(400).body("resourceType", equalTo("OperationOutcome"));
        RestAssured.given().contentType(FHIR_JSON).body(FhirExamples.bundle(site, pseudonym())).post("/fhir/Bundle").then().statusCode(401);
    }

    @Test
    void aBundleBreakingR4sRulesOrARegistryProfileIsRefusedAtThePlace() throws Exception {
        String site = site();
        ObjectNode bundle = (ObjectNode) JSON.readTree(FhirExamples.bundle(site, pseudonym()));
        ((ObjectNode) bundle.get("entry").get(17).get("resource")).put("valueString", "CR"); // inrc-response: value[x] 0..0
        ((ObjectNode) bundle.get("entry").get(4).get("resource")).putObject("dataAbsentReason").put("text", "not done"); // R4 obs-6
        JsonPath refused = postBundle(site, JSON.writeValueAsString(bundle)).then().statusCode(422).contentType(FHIR_JSON).extract().jsonPath();
        List<String> places = refused.getList("issue.expression.flatten()", String.class);
        assertTrue(places.contains("Bundle.entry[17].resource") && places.contains("Bundle.entry[4].resource"), places.toString());
        assertTrue(refused.getList("issue.details.text", String.class).contains("fhir-r4-profile"), refused.prettify());
        assertTrue(refused.getList("issue.diagnostics", String.class).stream().anyMatch(d -> d.contains("inrc-response")), refused.prettify());
        for (Map.Entry<RecordKind, String> record : RECORDS) {
            given(site).get("/v1/{collection}/{id}", record.getKey().collection(), record.getValue()).then().statusCode(404);
        }
    }

    @Test
    void deleteEntriesWithdrawTheirRecordsInOneSubmission() {
        String site = site();
        String p = pseudonym();
        postBundle(site, FhirExamples.bundle(site, p)).then().statusCode(202);
        String withdrawal = """
                {"resourceType":"Bundle","id":"withdraw-1","type":"transaction","entry":[
                  {"request":{"method":"DELETE","url":"Observation/RA1"}},
                  {"request":{"method":"DELETE","url":"Encounter/FU1"}}]}""";
        JsonPath answer = postBundle(site, withdrawal).then().statusCode(202).extract().jsonPath();
        assertEquals(List.of("WITHDRAWN", "WITHDRAWN"), answer.getList("issue.details.coding.code.flatten()"));
        // Withdrawn once the owning service applies it (no owning service runs here): the change is on its way.
        given(site).get("/v1/response-assessments/RA1").then().statusCode(200).body("lastChange", equalTo("withdrawn"));
        given(site).get("/v1/follow-ups/FU1").then().statusCode(200).body("lastChange", equalTo("withdrawn"));
        given(site).get("/v1/episodes/EP1").then().statusCode(200).body("lastChange", equalTo("submitted"));
        given(site).get("/v1/audit?recordType=follow-up&recordId=FU1").then().statusCode(200)
                .body("change", equalTo(List.of("created", "withdrawn")))
                .body("[1].bundle", equalTo("withdraw-1"));
        // Withdrawing again changes nothing.
        postBundle(site, withdrawal).then().statusCode(200);
    }

    private Map<String, Object> content(String site, RecordKind kind, String id) {
        Map<String, Object> record = given(site).get("/v1/{collection}/{id}", kind.collection(), id).then().statusCode(200)
                .extract().jsonPath().getMap("record");
        assertNotNull(record, kind + " " + id);
        assertEquals(site, record.remove("site"));
        return record;
    }

    /** Sent without the example's indentation: the body must arrive within the test profile's 2 s, also on a busy machine. */
    private static Response postBundle(String site, String bundle) {
        try {
            return given(site).contentType(FHIR_JSON).body(JSON.writeValueAsString(JSON.readTree(bundle))).post("/fhir/Bundle");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + bundle, e);
        }
    }

    private KafkaProbe kafka() {
        return KafkaProbe.shared(bootstrapServers);
    }

    private static String site() {
        return "F" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    private static String pseudonym() {
        return "PSN-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static RequestSpecification given(String site) {
        return RestAssured.given().auth().oauth2(TestTokens.site(site));
    }
}
