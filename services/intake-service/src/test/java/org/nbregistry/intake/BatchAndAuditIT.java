package org.nbregistry.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.nbregistry.contracts.TestTokens;
import org.nbregistry.contracts.KafkaProbe;
import org.nbregistry.local.infra.RealInfrastructureResource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Batches with per-record acceptance and Idempotency-Key, and the append-only audit trail. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,mongodb")})
class BatchAndAuditIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private KafkaProbe kafka() {
        return KafkaProbe.shared(bootstrapServers);
    }

    @Test
    void eachRecordOfABatchIsAcceptedOrRefusedOnItsOwnAndARetryChangesNothing() {
        String p = pseudonym();
        String batch = history(p);
        String key = "batch-" + UUID.randomUUID();
        JsonPath first = given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(batch).post("/v1/batches")
                .then().statusCode(202).extract().jsonPath();
        String submission = first.getString("submissionId");
        assertEquals(List.of("ACCEPTED", "ACCEPTED", "ACCEPTED", "ACCEPTED", "ACCEPTED", "ACCEPTED", "INVALID", "INVALID"),
                first.getList("records.outcome"));
        assertEquals("records[6].record.patientName", first.getString("records[6].errors[0].field"));
        assertEquals("unknown-field", first.getString("records[6].errors[0].rule"));
        assertEquals("once-per-batch", first.getString("records[7].errors[0].rule"));

        // One submission carries them all on the one topic, keyed by the patient, in the batch's order: the treatment
        // line after its episode.
        List<ConsumerRecord<String, String>> published = kafka().read("intake.clinical-records", r -> r.value().contains(submission),
                found -> found.size() >= 6, WAIT);
        assertEquals(List.of("PatientSubmitted", "EpisodeSubmitted", "ResponseAssessmentSubmitted", "TreatmentSubmitted",
                        "SecondMalignancySubmitted", "FollowUpSubmitted"),
                published.stream().map(r -> JsonPath.from(r.value()).getString("type")).toList());
        assertEquals(List.of(p, p, p, p, p, p), published.stream().map(ConsumerRecord::key).toList());
        given().get("/v1/submissions/{id}", submission).then().statusCode(200).body("records.size()", equalTo(6));

        // The same request with the same key: the first answer again, nothing submitted.
        String replay = given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(batch).post("/v1/batches")
                .then().statusCode(202).header("Idempotency-Replayed", "true").extract().asString();
        assertEquals(first.prettify(), JsonPath.from(replay).prettify());
        // The same content with each record's fields in another order is the same request.
        given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(fieldsReversed(batch)).post("/v1/batches")
                .then().statusCode(202).header("Idempotency-Replayed", "true");
        // The same records without the key: each is recognised as unchanged.
        JsonPath again = given().contentType(ContentType.JSON).body(batch).post("/v1/batches").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("UNCHANGED", "UNCHANGED", "UNCHANGED", "UNCHANGED", "UNCHANGED", "UNCHANGED", "INVALID", "INVALID"),
                again.getList("records.outcome"));
        assertEquals(submission, again.getString("records[0].submissionId"));
        assertEquals(null, again.getString("submissionId"));
        assertEquals(6, kafka().readFor("intake.clinical-records", r -> p.equals(r.key()), Duration.ofSeconds(2)).size(),
                "nothing was published again");

        given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(history(pseudonym())).post("/v1/batches")
                .then().statusCode(422).body("errors[0].rule", equalTo("idempotency-key-reused"));
    }

    @Test
    void aBrokenBatchEnvelopeIsAProblem() {
        given().contentType(ContentType.JSON).body("{\"records\":[]}").post("/v1/batches")
                .then().statusCode(422).body("errors[0].field", equalTo("records"));
        given().contentType(ContentType.JSON).body("{\"records\":[{\"recordType\":\"diagnosis\",\"record\":{}}]}")
                .post("/v1/batches").then().statusCode(422).body("errors[0].field", equalTo("records[0].recordType"));
        given().contentType(ContentType.JSON).body("{\"records\":[],\"sender\":\"x\"}").post("/v1/batches")
                .then().statusCode(400).body("errors[0].rule", equalTo("unknown-field"));
        given().contentType(ContentType.JSON).header("Idempotency-Key", "short").body("{\"records\":[]}")
                .post("/v1/batches").then().statusCode(422);
    }

    @Test
    void everyAcceptedChangeIsInTheSitesAuditTrail() {
        String p = pseudonym();
        String id = p + "-FU1";
        String created = given().contentType(ContentType.JSON).body(followUp(p, id, "2024-06-01")).put("/v1/follow-ups/{id}", id)
                .then().statusCode(202).extract().path("id");
        given().contentType(ContentType.JSON).body(followUp(p, id, "2024-06-01")).put("/v1/follow-ups/{id}", id).then().statusCode(200);
        String corrected = given().contentType(ContentType.JSON).body(followUp(p, id, "2024-07-01")).put("/v1/follow-ups/{id}", id)
                .then().statusCode(202).extract().path("id");
        String withdrawn = given().delete("/v1/follow-ups/{id}", id).then().statusCode(202).extract().path("id");

        given().get("/v1/audit?recordType=follow-up&recordId={id}", id).then().statusCode(200)
                .body("size()", equalTo(3))
                .body("change", equalTo(List.of("created", "corrected", "withdrawn")))
                .body("submissionId", equalTo(List.of(created, corrected, withdrawn)))
                .body("site", equalTo(List.of("S01", "S01", "S01")))
                .body("actor", equalTo(List.of("data-manager@S01", "data-manager@S01", "data-manager@S01")))
                .body("[0].before", nullValue())
                .body("[0].after.date", equalTo("2024-06-01"))
                .body("[1].before.date", equalTo("2024-06-01"))
                .body("[1].after.date", equalTo("2024-07-01"))
                .body("[2].before.date", equalTo("2024-07-01"))
                .body("[2].after", nullValue());
        given("S02").get("/v1/audit?recordId={id}", id).then().statusCode(200).body("size()", equalTo(0));
    }

    private static String fieldsReversed(String batch) {
        try {
            ObjectMapper json = new ObjectMapper();
            ObjectNode tree = (ObjectNode) json.readTree(batch);
            for (JsonNode entry : tree.get("records")) {
                ObjectNode record = (ObjectNode) entry.get("record");
                List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
                record.fields().forEachRemaining(fields::add);
                Collections.reverse(fields);
                record.removeAll();
                fields.forEach(f -> record.set(f.getKey(), f.getValue()));
            }
            return json.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static String history(String p) {
        return """
                {"records":[
                  {"recordType":"patient","record":{"recordId":"%1$s-PT","patientPseudonym":"%1$s","sex":"male",
                    "ageAtInitialDiagnosisDays":900,"initialDiagnosisDate":"2019-01-15","inrgssStage":"M"}},
                  {"recordType":"episode","record":{"recordId":"%1$s-EP1","patientPseudonym":"%1$s","episodeType":"relapse",
                    "episodeDate":"2021-03-01"}},
                  {"recordType":"response-assessment","record":{"recordId":"%1$s-RA1","patientPseudonym":"%1$s",
                    "episodeRecordId":"%1$s-EP1","assessmentDate":"2021-06-01","primaryResponse":"PR","metastaticResponse":"SD",
                    "boneMarrowResponse":"CR"}},
                  {"recordType":"treatment","record":{"recordId":"%1$s-TR1","patientPseudonym":"%1$s","episodeRecordId":"%1$s-EP1",
                    "lineNumber":1,"startDate":"2021-03-10","components":[{"category":"chemotherapy","agents":["irinotecan","temozolomide"]}]}},
                  {"recordType":"second-malignancy","record":{"recordId":"%1$s-SM1","patientPseudonym":"%1$s",
                    "diagnosisDate":"2022-01-01"}},
                  {"recordType":"follow-up","record":{"recordId":"%1$s-FU1","patientPseudonym":"%1$s","date":"2022-06-01",
                    "vitalStatus":"dead","causeOfDeath":"disease_progression"}},
                  {"recordType":"episode","record":{"recordId":"%1$s-EP2","patientPseudonym":"%1$s","episodeType":"relapse",
                    "episodeDate":"2021-09-01","patientName":"Jane Doe"}},
                  {"recordType":"episode","record":{"recordId":"%1$s-EP1","patientPseudonym":"%1$s","episodeType":"relapse",
                    "episodeDate":"2021-03-02"}}
                ]}""".formatted(p);
    }

    private static String followUp(String p, String id, String date) {
        return """
                {"recordId":"%s","patientPseudonym":"%s","date":"%s","vitalStatus":"alive"}""".formatted(id, p, date);
    }

    private static String pseudonym() {
        return "PSN-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A request of site S01's data manager. */
    private static RequestSpecification given() {
        return given("S01");
    }

    private static RequestSpecification given(String site) {
        return RestAssured.given().auth().oauth2(TestTokens.site(site));
    }
}
