package org.nbregistry.episode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.nbregistry.contracts.KafkaProbe;
import org.nbregistry.contracts.OpenApiContract;
import org.nbregistry.contracts.TestTokens;
import org.nbregistry.local.infra.RealInfrastructureResource;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** episode-service against real Kafka and PostgreSQL: records in, events and verdicts out, exactly once. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,postgres"),
        @ResourceArg(name = RealInfrastructureResource.POSTGRES_DATABASE, value = "episodes")})
class DiseaseRecordFlowIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private KafkaProbe kafka() {
        return KafkaProbe.shared(bootstrapServers);
    }

    @Test
    void anEpisodeIsStoredPublishedAndReportedApplied() {
        String patient = pseudonym();
        String submission = UUID.randomUUID().toString();
        kafka().send("intake.clinical-records", patient, episodeSubmitted(UUID.randomUUID(), submission, patient, patient + "-EP-1", "relapse", "2024-05-02"));

        JsonNode recorded = data(awaitOne("registry.episode-events", submission, "EpisodeRecorded"));
        assertEquals(patient + "-EP-1", recorded.path("recordId").asText());
        assertEquals("relapse", recorded.path("episodeType").asText());
        assertEquals("2024-05-02", recorded.path("episodeDate").asText());
        assertEquals(1, recorded.path("episodeOrder").asInt());
        assertEquals("APPLIED", data(awaitOne("registry.record-status", submission, "RecordApplied")).path("status").asText());

        given().get("/v1/sites/S01/patients/{p}", patient).then().statusCode(200)
                .body("episodes.size()", equalTo(1))
                .body("episodes[0].recordId", equalTo(patient + "-EP-1"))
                .body("episodes[0].episodeOrder", equalTo(1));
    }

    @Test
    void anEarlierEpisodeTakesOrderOneAndTheLaterOneIsRenumbered() {
        String patient = pseudonym();
        String first = UUID.randomUUID().toString();
        kafka().send("intake.clinical-records", patient, episodeSubmitted(UUID.randomUUID(), first, patient, patient + "-EP-LATE", "progression", "2024-09-01"));
        awaitOne("registry.record-status", first, "RecordApplied");
        String second = UUID.randomUUID().toString();
        kafka().send("intake.clinical-records", patient, episodeSubmitted(UUID.randomUUID(), second, patient, patient + "-EP-EARLY", "refractory", "2023-11-15"));

        List<ConsumerRecord<String, String>> recorded = kafka().read("registry.episode-events", r -> r.value().contains(second)
                && r.value().contains("\"EpisodeRecorded\""), found -> found.size() >= 2, WAIT);
        assertEquals(2, recorded.size(), "the new episode and the renumbered one are both published");
        assertTrue(recorded.stream().map(DiseaseRecordFlowIT::data).anyMatch(d -> d.path("recordId").asText().equals(patient + "-EP-EARLY") && d.path("episodeOrder").asInt() == 1));
        assertTrue(recorded.stream().map(DiseaseRecordFlowIT::data).anyMatch(d -> d.path("recordId").asText().equals(patient + "-EP-LATE") && d.path("episodeOrder").asInt() == 2));
    }

    @Test
    void aRedeliveredRecordChangesNothing() {
        String patient = pseudonym();
        String submission = UUID.randomUUID().toString();
        String message = episodeSubmitted(UUID.randomUUID(), submission, patient, patient + "-EP-1", "relapse", "2024-01-10");
        kafka().send("intake.clinical-records", patient, message);
        kafka().send("intake.clinical-records", patient, message);
        // Same key, same partition: once the follow-up's verdict is out, both copies above were consumed.
        String marker = UUID.randomUUID().toString();
        kafka().send("intake.clinical-records", patient, followUpSubmitted(UUID.randomUUID(), marker, patient, patient + "-FU-1", "2024-06-01", "alive"));
        awaitOne("registry.record-status", marker, "RecordApplied");

        List<ConsumerRecord<String, String>> recorded = kafka().read("registry.episode-events",
                r -> r.value().contains(submission) && r.value().contains("\"EpisodeRecorded\""), found -> false, Duration.ofSeconds(2));
        assertEquals(1, recorded.size(), "one EpisodeRecorded for two deliveries");
        given().get("/v1/sites/S01/patients/{p}", patient).then().statusCode(200).body("episodes.size()", equalTo(1));
    }

    @Test
    void aFollowUpOfAnUnknownPatientIsRejectedWithItsReason() {
        String patient = pseudonym();
        String submission = UUID.randomUUID().toString();
        kafka().send("intake.clinical-records", patient, followUpSubmitted(UUID.randomUUID(), submission, patient, patient + "-FU-9", "2024-06-01", "dead"));

        JsonNode status = data(awaitOne("registry.record-status", submission, "RecordRejected"));
        assertEquals("REJECTED", status.path("status").asText());
        assertEquals("patientPseudonym", status.path("reasons").path(0).path("field").asText());
        assertEquals("known-patient", status.path("reasons").path(0).path("rule").asText());
        given().get("/v1/sites/S01/patients/{p}", patient).then().statusCode(404);
    }

    @Test
    void aDeathBeforeALaterContactIsRejectedAndNothingIsApplied() {
        String patient = pseudonym();
        kafka().send("intake.clinical-records", patient, episodeSubmitted(UUID.randomUUID(), UUID.randomUUID().toString(), patient,
                patient + "-EP-1", "relapse", "2024-01-10"));
        // Same partition: once the follow-up is applied, so is the episode before it.
        String setup = UUID.randomUUID().toString();
        kafka().send("intake.clinical-records", patient, followUpSubmitted(UUID.randomUUID(), setup, patient, patient + "-FU-1", "2024-08-01", "alive"));
        awaitOne("registry.record-status", setup, "RecordApplied");
        String submission = UUID.randomUUID().toString();
        kafka().send("intake.clinical-records", patient, followUpSubmitted(UUID.randomUUID(), submission, patient, patient + "-FU-2", "2024-03-01", "dead"));

        JsonNode status = data(awaitOne("registry.record-status", submission, "RecordRejected"));
        assertEquals("not-before-last-contact", status.path("reasons").path(0).path("rule").asText());
        given().get("/v1/sites/S01/patients/{p}", patient).then().statusCode(200)
                .body("followUps.size()", equalTo(1))
                .body("followUps[0].vitalStatus", equalTo("alive"));
    }

    @Test
    void aPoisonMessageGoesToTheDeadLetterTopicAndConsumptionContinues() {
        String patient = pseudonym();
        kafka().sendRaw("intake.clinical-records", patient, "{\"this is\": \"not an envelope for " + patient + "\"}");
        String submission = UUID.randomUUID().toString();
        kafka().send("intake.clinical-records", patient, episodeSubmitted(UUID.randomUUID(), submission, patient, patient + "-EP-1", "relapse", "2024-02-02"));

        List<ConsumerRecord<String, String>> dead = kafka().read("intake.clinical-records.dlq", r -> r.value().contains(patient),
                found -> !found.isEmpty(), WAIT);
        assertEquals(1, dead.size());
        awaitOne("registry.record-status", submission, "RecordApplied");
    }

    @Test
    void readinessReflectsKafkaAndDatabase() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void theServedOpenApiIsTheCheckedInContract() {
        OpenApiContract.assertServedEqualsCheckedIn(given().get("/q/openapi").then().statusCode(200).extract().asString(), "episode.yaml");
    }

    private ConsumerRecord<String, String> awaitOne(String topic, String submission, String type) {
        List<ConsumerRecord<String, String>> found = kafka().read(topic,
                r -> r.value().contains("\"correlationId\":\"" + submission + "\"") && r.value().contains("\"type\":\"" + type + "\""),
                records -> !records.isEmpty(), WAIT);
        assertEquals(1, found.size(), "expected a " + type + " for submission " + submission + " on " + topic);
        return found.get(0);
    }

    private static JsonNode data(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value()).path("data");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String pseudonym() {
        return "PSN-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String episodeSubmitted(UUID id, String submission, String patient, String recordId, String type, String date) {
        return envelope(id, "EpisodeSubmitted", patient, submission, """
                {"submissionId":"%s","site":"S01","recordId":"%s","patientPseudonym":"%s","episodeType":"%s","episodeDate":"%s"}"""
                .formatted(submission, recordId, patient, type, date));
    }

    static String followUpSubmitted(UUID id, String submission, String patient, String recordId, String date, String vital) {
        return envelope(id, "FollowUpSubmitted", patient, submission, """
                {"submissionId":"%s","site":"S01","recordId":"%s","patientPseudonym":"%s","date":"%s","vitalStatus":"%s"}"""
                .formatted(submission, recordId, patient, date, vital));
    }

    static String envelope(UUID id, String type, String patient, String submission, String data) {
        return """
                {"id":"%s","type":"%s","schemaVersion":1,"occurredAt":"2026-01-01T00:00:00Z","source":"intake-service",
                 "subject":"%s","correlationId":"%s","data":%s}""".formatted(id, type, patient, submission, data);
    }

    /** Patient files are for the role operator. */
    private static RequestSpecification given() {
        return RestAssured.given().auth().oauth2(TestTokens.operator());
    }
}
