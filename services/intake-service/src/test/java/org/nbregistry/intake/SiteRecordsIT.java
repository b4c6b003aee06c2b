package org.nbregistry.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.nbregistry.contracts.TestTokens;
import org.nbregistry.contracts.Eventually;
import org.nbregistry.contracts.KafkaProbe;
import org.nbregistry.local.infra.RealInfrastructureResource;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** A site's records by natural key: idempotent PUT, reading its own records, withdrawal by DELETE. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,mongodb")})
class SiteRecordsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private KafkaProbe kafka() {
        return KafkaProbe.shared(bootstrapServers);
    }

    @Test
    void aRepeatedPutChangesNothingAndACorrectionIsANewSubmission() {
        String p = pseudonym();
        String id = p + "-EP1";
        String first = put(id, episode(p, id, "2024-04-01"), 202);
        String again = put(id, episode(p, id, "2024-04-01"), 200);
        assertEquals(first, again, "the same content answers with the submission that carries it");
        String corrected = put(id, episode(p, id, "2024-04-02"), 202);
        assertNotEquals(first, corrected);

        List<ConsumerRecord<String, String>> published = kafka().read("intake.clinical-records",
                r -> p.equals(r.key()), found -> found.stream().anyMatch(r -> r.value().contains(corrected)), WAIT);
        assertEquals(2, published.size(), "the repeat published nothing");
        given().get("/v1/episodes/{id}", id).then().statusCode(200)
                .body("record.episodeDate", equalTo("2024-04-02"))
                .body("submissionId", equalTo(corrected))
                .body("status", equalTo("ACCEPTED"))
                .body("withdrawn", equalTo(false));
    }

    @Test
    void aRejectedRecordSentAgainIsEvaluatedAgain() {
        String p = pseudonym();
        String id = p + "-FU1";
        String body = """
                {"recordId":"%s","patientPseudonym":"%s","date":"2024-06-01","vitalStatus":"alive"}""".formatted(id, p);
        String first = given().contentType(ContentType.JSON).body(body).put("/v1/follow-ups/{id}", id).then().statusCode(202).extract().path("id");
        verdict(first, p, "follow-up", id, "RecordRejected", "REJECTED",
                "[{\"field\":\"patientPseudonym\",\"rule\":\"known-patient\",\"message\":\"submit the episode first\"}]");
        awaitRecordStatus("follow-ups", id, "REJECTED");
        given().get("/v1/follow-ups/{id}", id).then().body("reasons[0].rule", equalTo("known-patient"));
        String second = given().contentType(ContentType.JSON).body(body).put("/v1/follow-ups/{id}", id).then().statusCode(202).extract().path("id");
        assertNotEquals(first, second);
    }

    @Test
    void theBodyMustNameTheRecordOfThePath() {
        String p = pseudonym();
        given().contentType(ContentType.JSON).body(episode(p, p + "-EP1", "2024-04-01")).put("/v1/episodes/{id}", p + "-OTHER")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("recordId"))
                .body("errors[0].rule", equalTo("matches-path"));
    }

    @Test
    void aSiteReadsAndListsOnlyItsOwnRecords() {
        String p = pseudonym();
        put(p + "-EP1", episode(p, p + "-EP1", "2024-04-01"), 202);
        given("S02").contentType(ContentType.JSON).body(episode(p, p + "-EP9", "2024-05-01"))
                .put("/v1/episodes/{id}", p + "-EP9").then().statusCode(202);

        given("S02").get("/v1/episodes/{id}", p + "-EP1").then().statusCode(404).contentType("application/problem+json");
        given().get("/v1/episodes/{id}", p + "-EP9").then().statusCode(404);
        given().get("/v1/episodes/{id}", p + "-NOPE").then().statusCode(404);
        List<String> s01 = given().get("/v1/episodes").then().statusCode(200).extract().path("recordId");
        List<String> s02 = given("S02").get("/v1/episodes").then().statusCode(200).extract().path("recordId");
        assertEquals(List.of(true, false), List.of(s01.contains(p + "-EP1"), s01.contains(p + "-EP9")));
        assertEquals(List.of(false, true), List.of(s02.contains(p + "-EP1"), s02.contains(p + "-EP9")));
    }

    @Test
    void deleteWithdrawsOnceAndAnotherSiteCannot() throws Exception {
        String p = pseudonym();
        String id = p + "-EP1";
        String created = put(id, episode(p, id, "2024-04-01"), 202);
        verdict(created, p, "episode", id, "RecordApplied", "APPLIED", "[]");
        awaitRecordStatus("episodes", id, "APPLIED");

        given("S02").delete("/v1/episodes/{id}", id).then().statusCode(404);
        given().delete("/v1/episodes/{id}", p + "-NOPE").then().statusCode(404);
        String withdrawal = given().delete("/v1/episodes/{id}", id).then().statusCode(202)
                .header("Location", containsString("/v1/submissions/"))
                .body("records[0].recordType", equalTo("episode"))
                .extract().path("id");
        assertEquals(withdrawal, given().delete("/v1/episodes/{id}", id).then().statusCode(200).extract().path("id"));

        List<ConsumerRecord<String, String>> published = kafka().read("intake.clinical-records",
                r -> r.value().contains(withdrawal), found -> !found.isEmpty(), WAIT);
        assertEquals(1, published.size());
        JsonNode event = JSON.readTree(published.get(0).value());
        assertEquals("WithdrawalSubmitted", event.path("type").asText());
        assertEquals(p, event.path("subject").asText());
        assertEquals("episode", event.path("data").path("recordType").asText());

        verdict(withdrawal, p, "episode", id, "RecordApplied", "APPLIED", "[]");
        awaitRecordStatus("episodes", id, "APPLIED");
        given().get("/v1/episodes/{id}", id).then()
                .body("withdrawn", equalTo(true))
                .body("lastChange", equalTo("withdrawn"))
                .body("record.episodeDate", equalTo("2024-04-01"));
    }

    private String put(String recordId, String body, int status) {
        return given().contentType(ContentType.JSON).body(body).put("/v1/episodes/{id}", recordId)
                .then().statusCode(status).extract().path("id");
    }

    private void awaitRecordStatus(String collection, String recordId, String status) {
        Eventually.await(recordId + " " + status,
                () -> given().get("/v1/" + collection + "/{id}", recordId).then().statusCode(200).extract().<String>path("status"),
                status::equals, WAIT);
    }

    private void verdict(String submission, String patient, String recordType, String recordId, String type, String status, String reasons) {
        kafka().send("registry.record-status", patient, """
                {"id":"%s","type":"%s","schemaVersion":1,"occurredAt":"2026-01-01T00:00:00Z","source":"episode-service",
                 "subject":"%s","correlationId":"%s","data":{"submissionId":"%s","site":"S01","recordType":"%s",
                 "recordId":"%s","status":"%s","reasons":%s}}""".formatted(UUID.randomUUID(), type, patient, submission,
                submission, recordType, recordId, status, reasons));
    }

    private static String pseudonym() {
        return "PSN-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String episode(String patient, String recordId, String date) {
        return """
                {"recordId":"%s","patientPseudonym":"%s","episodeType":"relapse","episodeDate":"%s"}"""
                .formatted(recordId, patient, date);
    }

    /** A request of site S01's data manager. */
    private static RequestSpecification given() {
        return given("S01");
    }

    private static RequestSpecification given(String site) {
        return RestAssured.given().auth().oauth2(TestTokens.site(site));
    }
}
