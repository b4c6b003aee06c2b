package org.nbregistry.treatment;

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

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** treatment-service against real Kafka and PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,postgres"),
        @ResourceArg(name = RealInfrastructureResource.POSTGRES_DATABASE, value = "treatments")})
class TreatmentRecordFlowIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String dbUser;
    @ConfigProperty(name = "quarkus.datasource.password")
    String dbPassword;

    private KafkaProbe kafka() {
        return KafkaProbe.shared(bootstrapServers);
    }

    @Test
    void aTreatmentIsStoredPublishedAndReportedAppliedOnceEvenWhenRedelivered() throws Exception {
        String patient = "PSN-" + UUID.randomUUID().toString().substring(0, 8);
        episodeRecorded(patient, patient + "-EP1", "2024-01-01");
        String submission = UUID.randomUUID().toString();
        String message = treatmentSubmitted(submission, patient, patient + "-TR1", "chemotherapy", "2024-03-03");
        kafka().send("intake.treatment-records", patient, message);
        kafka().send("intake.treatment-records", patient, message);
        String marker = UUID.randomUUID().toString();
        kafka().send("intake.treatment-records", patient, treatmentSubmitted(marker, patient, patient + "-TR2", "local_radiotherapy", "2024-05-05"));
        await("registry.record-status", marker, "RecordApplied");

        List<ConsumerRecord<String, String>> recorded = kafka().read("registry.treatment-events",
                r -> r.value().contains(submission), found -> false, Duration.ofSeconds(2));
        assertEquals(1, recorded.size(), "one TreatmentRecorded for two deliveries");
        JsonNode data = JSON.readTree(recorded.get(0).value()).path("data");
        assertEquals("chemotherapy", data.path("category").asText());
        assertEquals(patient + "-EP1", data.path("episodeRecordId").asText());
        given().get("/v1/sites/S01/patients/{p}/treatments", patient).then().statusCode(200)
                .body("size()", equalTo(2))
                .body("[0].category", equalTo("chemotherapy"))
                .body("[1].category", equalTo("local_radiotherapy"));
    }

    @Test
    void aTreatmentStartingInTheFutureIsRejectedWithItsReason() throws Exception {
        String patient = "PSN-" + UUID.randomUUID().toString().substring(0, 8);
        episodeRecorded(patient, patient + "-EP1", "2024-01-01");
        String submission = UUID.randomUUID().toString();
        kafka().send("intake.treatment-records", patient,
                treatmentSubmitted(submission, patient, patient + "-TR1", "maintenance", LocalDate.now().plusDays(3).toString()));
        JsonNode status = JSON.readTree(await("registry.record-status", submission, "RecordRejected").value()).path("data");
        assertEquals("startDate", status.path("reasons").path(0).path("field").asText());
        assertEquals("not-in-future", status.path("reasons").path(0).path("rule").asText());
        given().get("/v1/sites/S01/patients/{p}/treatments", patient).then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void aPoisonMessageGoesToTheDeadLetterTopic() {
        String patient = "PSN-" + UUID.randomUUID().toString().substring(0, 8);
        kafka().sendRaw("intake.treatment-records", patient, "not json at all " + patient);
        assertEquals(1, kafka().read("intake.treatment-records.dlq", r -> r.value().contains(patient), found -> !found.isEmpty(), WAIT).size());
    }

    @Test
    void aLineCarriesItsComponentsWithCodedAgentsAndACorrectionReplacesThem() throws Exception {
        String patient = "PSN-" + UUID.randomUUID().toString().substring(0, 8);
        episodeRecorded(patient, patient + "-EP1", "2024-01-01");
        String first = UUID.randomUUID().toString();
        kafka().send("intake.treatment-records", patient, lineSubmitted(first, patient, patient + "-TR1", 1, "2024-02-01", """
                [{"category":"chemotherapy","agents":["irinotecan","temozolomide"],"cycles":4,"completed":true},
                 {"category":"immunotherapy","agents":["dinutuximab_beta","gm_csf"]},
                 {"category":"local_radiotherapy","radiotherapy":{"totalDoseGy":21.6,"fractions":12,"modality":"proton"}}]"""));
        JsonNode line = JSON.readTree(await("registry.treatment-events", first, "TreatmentRecorded").value()).path("data");
        assertEquals("chemotherapy", line.path("category").asText(), "the first component's category, for 1.0 consumers");
        assertEquals("[\"chemotherapy\",\"immunotherapy\",\"local_radiotherapy\"]", line.path("categories").toString());
        assertEquals("[\"irinotecan\",\"temozolomide\",\"dinutuximab_beta\",\"gm_csf\"]", line.path("agentCodes").toString());
        JsonNode irinotecan = line.path("components").path(0).path("agents").path(0);
        assertEquals("C62040", irinotecan.path("ncitCode").asText());
        assertEquals("Irinotecan", irinotecan.path("name").asText());
        assertEquals("cytotoxic", irinotecan.path("agentClass").asText());
        assertTrue(line.path("components").path(1).path("agents").path(0).path("ncitCode").isMissingNode(), "dinutuximab beta has no code yet");
        assertEquals(12, line.path("components").path(2).path("radiotherapy").path("fractions").asInt());

        String correction = UUID.randomUUID().toString();
        kafka().send("intake.treatment-records", patient, lineSubmitted(correction, patient, patient + "-TR1", 1, "2024-02-01", """
                [{"category":"chemotherapy","agents":["topotecan","cyclophosphamide"]}]"""));
        await("registry.record-status", correction, "RecordApplied");
        given().get("/v1/sites/S01/patients/{p}/treatments", patient).then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].components.size()", equalTo(1))
                .body("[0].agentCodes", equalTo(List.of("topotecan", "cyclophosphamide")));
    }

    @Test
    void aSecondLineWithTheSameNumberIsRejected() throws Exception {
        String patient = "PSN-" + UUID.randomUUID().toString().substring(0, 8);
        episodeRecorded(patient, patient + "-EP1", "2024-01-01");
        String first = UUID.randomUUID().toString();
        String components = "[{\"category\":\"chemotherapy\",\"agents\":[\"topotecan\"]}]";
        kafka().send("intake.treatment-records", patient, lineSubmitted(first, patient, patient + "-TR1", 1, "2024-02-01", components));
        await("registry.record-status", first, "RecordApplied");
        String second = UUID.randomUUID().toString();
        kafka().send("intake.treatment-records", patient, lineSubmitted(second, patient, patient + "-TR2", 1, "2024-05-01", components));
        JsonNode status = JSON.readTree(await("registry.record-status", second, "RecordRejected").value()).path("data");
        assertEquals("lineNumber", status.path("reasons").path(0).path("field").asText());
        assertEquals("distinct-line-numbers", status.path("reasons").path(0).path("rule").asText());
        given().get("/v1/sites/S01/patients/{p}/treatments", patient).then().statusCode(200).body("size()", equalTo(1));
    }

    @Test
    void aLineWaitsForItsEpisodeAndIsAppliedWhenTheEpisodeArrives() {
        String patient = "PSN-" + UUID.randomUUID().toString().substring(0, 8);
        String submission = UUID.randomUUID().toString();
        kafka().send("intake.treatment-records", patient, lineSubmitted(submission, patient, patient + "-TR1", 1, "2024-02-01",
                "[{\"category\":\"chemotherapy\",\"agents\":[\"topotecan\"]}]"));
        assertEquals(0, kafka().readFor("registry.record-status", r -> r.value().contains(submission), Duration.ofMillis(1500)).size(),
                "no verdict while the episode is unknown");
        episodeRecorded(patient, patient + "-EP1", "2024-01-20");
        // Well inside the 4 s episode wait of %test: settled by the episode's arrival, not by the sweep.
        assertEquals(1, kafka().read("registry.record-status", r -> r.value().contains(submission) && r.value().contains("\"RecordApplied\""),
                found -> !found.isEmpty(), Duration.ofMillis(2500)).size());
    }

    @Test
    void aLineOfAnEpisodeThatNeverArrivesIsRejectedAfterTheWait() throws Exception {
        String patient = "PSN-" + UUID.randomUUID().toString().substring(0, 8);
        String submission = UUID.randomUUID().toString();
        kafka().send("intake.treatment-records", patient, lineSubmitted(submission, patient, patient + "-TR1", 1, "2024-02-01",
                "[{\"category\":\"chemotherapy\",\"agents\":[\"topotecan\"]}]"));
        JsonNode status = JSON.readTree(await("registry.record-status", submission, "RecordRejected").value()).path("data");
        assertEquals("episodeRecordId", status.path("reasons").path(0).path("field").asText());
        assertEquals("known-episode", status.path("reasons").path(0).path("rule").asText());
        given().get("/v1/sites/S01/patients/{p}/treatments", patient).then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void episodeEventsThatChangeNothingHereArePassedWithoutAnInboxRowAndTheRestApplied() throws Exception {
        String patient = "PSN-" + UUID.randomUUID().toString().substring(0, 8);
        String patientRecorded = event("PatientRecorded", patient, """
                {"patientId":"%s","site":"S01","recordId":"%s-PT","patientPseudonym":"%s","sex":"female","initialDiagnosisDate":"2022-05-01"}""".formatted(UUID.randomUUID(), patient, patient));
        String malignancyRecorded = event("SecondMalignancyRecorded", patient, """
                {"secondMalignancyId":"%s","site":"S01","recordId":"%s-SM1","patientPseudonym":"%s","diagnosisDate":"2025-01-01"}"""
                .formatted(UUID.randomUUID(), patient, patient));
        kafka().send("registry.episode-events", patient, patientRecorded);
        kafka().send("registry.episode-events", patient, malignancyRecorded);
        String episodeEvent = episodeRecorded(patient, patient + "-EP1", "2024-01-01");
        String submission = UUID.randomUUID().toString();
        kafka().send("intake.treatment-records", patient, treatmentSubmitted(submission, patient, patient + "-TR1", "chemotherapy", "2024-03-03"));
        await("registry.record-status", submission, "RecordApplied");

        try (Connection db = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
             PreparedStatement inbox = db.prepareStatement("select count(*) from processed_message where message_id = cast(? as uuid)")) {
            assertEquals(1, rows(inbox, episodeEvent), "the episode's event is recorded as applied");
            assertEquals(0, rows(inbox, patientRecorded), "a patient's event changes nothing here");
            assertEquals(0, rows(inbox, malignancyRecorded), "nor does a second malignancy's");
        }
    }

    private static int rows(PreparedStatement inbox, String message) throws Exception {
        inbox.setString(1, JSON.readTree(message).path("id").asText());
        try (ResultSet result = inbox.executeQuery()) {
            result.next();
            return result.getInt(1);
        }
    }

    @Test
    void aLineBeforeItsEpisodeOrAfterTheDeathIsRejected() throws Exception {
        String patient = "PSN-" + UUID.randomUUID().toString().substring(0, 8);
        episodeRecorded(patient, patient + "-EP1", "2024-01-20");
        kafka().send("registry.episode-events", patient, event("FollowUpRecorded", patient, """
                {"followUpId":"%s","site":"S01","recordId":"%s-FU1","patientPseudonym":"%s","date":"2024-06-01","vitalStatus":"dead",
                 "lastFollowUpDate":"2024-06-01","deathDate":"2024-06-01"}""".formatted(UUID.randomUUID(), patient, patient)));
        String early = UUID.randomUUID().toString();
        kafka().send("intake.treatment-records", patient, lineSubmitted(early, patient, patient + "-TR1", 1, "2024-01-10",
                "[{\"category\":\"chemotherapy\",\"agents\":[\"topotecan\"]}]"));
        JsonNode before = JSON.readTree(await("registry.record-status", early, "RecordRejected").value()).path("data");
        assertEquals("not-before-episode", before.path("reasons").path(0).path("rule").asText());
        String late = UUID.randomUUID().toString();
        kafka().send("intake.treatment-records", patient, lineSubmitted(late, patient, patient + "-TR2", 2, "2024-07-01",
                "[{\"category\":\"chemotherapy\",\"agents\":[\"topotecan\"]}]"));
        JsonNode after = JSON.readTree(await("registry.record-status", late, "RecordRejected").value()).path("data");
        assertEquals("not-after-death", after.path("reasons").path(0).path("rule").asText());
    }

    @Test
    void aWithdrawnLineIsRemovedAndAParkedOneIsDroppedWithItsSubmissionRejected() throws Exception {
        String patient = "PSN-" + UUID.randomUUID().toString().substring(0, 8);
        episodeRecorded(patient, patient + "-EP1", "2024-01-01");
        String created = UUID.randomUUID().toString();
        kafka().send("intake.treatment-records", patient, lineSubmitted(created, patient, patient + "-TR1", 1, "2024-02-01",
                "[{\"category\":\"chemotherapy\",\"agents\":[\"topotecan\"]}]"));
        await("registry.record-status", created, "RecordApplied");
        String withdrawal = withdrawal(patient, patient + "-TR1");
        JsonNode withdrawn = JSON.readTree(await("registry.treatment-events", withdrawal, "TreatmentWithdrawn").value()).path("data");
        assertEquals("treatment", withdrawn.path("recordType").asText());
        await("registry.record-status", withdrawal, "RecordApplied");
        given().get("/v1/sites/S01/patients/{p}/treatments", patient).then().statusCode(200).body("size()", equalTo(0));

        // A line still waiting for its episode: the withdrawal drops it, and its own submission is answered.
        String parked = UUID.randomUUID().toString();
        kafka().send("intake.treatment-records", patient, lineSubmitted(parked, patient, patient + "-TR2", 1, "2024-02-01",
                "[{\"category\":\"chemotherapy\",\"agents\":[\"topotecan\"]}]").replace(patient + "-EP1", patient + "-EP9"));
        String dropped = withdrawal(patient, patient + "-TR2");
        await("registry.record-status", dropped, "RecordApplied");
        JsonNode original = JSON.readTree(await("registry.record-status", parked, "RecordRejected").value()).path("data");
        assertEquals("withdrawn", original.path("reasons").path(0).path("rule").asText());

        String unknown = withdrawal(patient, patient + "-TR9");
        JsonNode refused = JSON.readTree(await("registry.record-status", unknown, "RecordRejected").value()).path("data");
        assertEquals("known-record", refused.path("reasons").path(0).path("rule").asText());
    }

    private String withdrawal(String patient, String recordId) {
        String submission = UUID.randomUUID().toString();
        kafka().send("intake.treatment-records", patient, """
                {"id":"%s","type":"WithdrawalSubmitted","schemaVersion":1,"occurredAt":"2026-01-01T00:00:00Z",
                 "source":"intake-service","subject":"%s","correlationId":"%s","data":{"submissionId":"%s","site":"S01",
                 "recordType":"treatment","recordId":"%s","patientPseudonym":"%s"}}"""
                .formatted(UUID.randomUUID(), patient, submission, submission, recordId, patient));
        return submission;
    }

    @Test
    void readinessReflectsKafkaAndDatabase() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void theServedOpenApiIsTheCheckedInContract() {
        OpenApiContract.assertServedEqualsCheckedIn(given().get("/q/openapi").then().statusCode(200).extract().asString(), "treatment.yaml");
    }

    private ConsumerRecord<String, String> await(String topic, String submission, String type) {
        List<ConsumerRecord<String, String>> found = kafka().read(topic,
                r -> r.value().contains("\"correlationId\":\"" + submission + "\"") && r.value().contains("\"type\":\"" + type + "\""),
                records -> !records.isEmpty(), WAIT);
        assertEquals(1, found.size(), "expected a " + type + " for submission " + submission);
        return found.get(0);
    }

    private static int lines = 0;

    /** Plays episode-service: the episode a line refers to becomes known to treatment-service. */
    private String episodeRecorded(String patient, String recordId, String date) {
        String message = event("EpisodeRecorded", patient, """
                {"episodeId":"%s","site":"S01","recordId":"%s","patientPseudonym":"%s","episodeType":"relapse","episodeDate":"%s",
                 "episodeOrder":1}""".formatted(UUID.randomUUID(), recordId, patient, date));
        kafka().send("registry.episode-events", patient, message);
        return message;
    }

    private static String event(String type, String patient, String data) {
        return """
                {"id":"%s","type":"%s","schemaVersion":1,"occurredAt":"2026-01-01T00:00:00Z","source":"episode-service",
                 "subject":"%s","correlationId":"sub-%s","data":%s}""".formatted(UUID.randomUUID(), type, patient, UUID.randomUUID(), data);
    }

    /** A one-component line; local treatments carry their extent or dose, systemic ones an agent. */
    private static String treatmentSubmitted(String submission, String patient, String recordId, String category, String start) {
        String component = switch (category) {
            case "local_radiotherapy" -> "{\"category\":\"local_radiotherapy\",\"radiotherapy\":{\"totalDoseGy\":21.6,\"fractions\":12}}";
            case "local_surgery" -> "{\"category\":\"local_surgery\",\"surgeryExtent\":\"complete\"}";
            default -> "{\"category\":\"" + category + "\",\"agents\":[\"topotecan\"]}";
        };
        return lineSubmitted(submission, patient, recordId, ++lines, start, "[" + component + "]");
    }

    static String lineSubmitted(String submission, String patient, String recordId, int lineNumber, String start, String components) {
        return """
                {"id":"%s","type":"TreatmentSubmitted","schemaVersion":1,"occurredAt":"2026-01-01T00:00:00Z",
                 "source":"intake-service","subject":"%s","correlationId":"%s","data":{"submissionId":"%s","site":"S01",
                 "recordId":"%s","patientPseudonym":"%s","episodeRecordId":"%s-EP1","lineNumber":%d,"startDate":"%s",
                 "components":%s}}"""
                .formatted(UUID.randomUUID(), patient, submission, submission, recordId, patient, patient, lineNumber, start, components);
    }

    /** Patient files are for the role operator. */
    private static RequestSpecification given() {
        return RestAssured.given().auth().oauth2(TestTokens.operator());
    }
}
