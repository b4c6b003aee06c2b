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
import org.nbregistry.contracts.TestTokens;
import org.nbregistry.local.infra.RealInfrastructureResource;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Treatment lines at episode-service, against real Kafka and PostgreSQL: submitted on the one topic of clinical records. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,postgres"),
        @ResourceArg(name = RealInfrastructureResource.POSTGRES_DATABASE, value = "episodes")})
class TreatmentRecordFlowIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private KafkaProbe kafka() {
        return KafkaProbe.shared(bootstrapServers);
    }

    @Test
    void aTreatmentIsStoredPublishedAndReportedAppliedOnceEvenWhenRedelivered() throws Exception {
        String patient = "PSN-" + UUID.randomUUID().toString().substring(0, 8);
        episodeRecorded(patient, patient + "-EP1", "2024-01-01");
        String submission = UUID.randomUUID().toString();
        String message = treatmentSubmitted(submission, patient, patient + "-TR1", "chemotherapy", "2024-03-03");
        kafka().send("intake.clinical-records", patient, message);
        kafka().send("intake.clinical-records", patient, message);
        String marker = UUID.randomUUID().toString();
        kafka().send("intake.clinical-records", patient, treatmentSubmitted(marker, patient, patient + "-TR2", "local_radiotherapy", "2024-05-05"));
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
        kafka().send("intake.clinical-records", patient,
                treatmentSubmitted(submission, patient, patient + "-TR1", "maintenance", LocalDate.now().plusDays(3).toString()));
        JsonNode status = JSON.readTree(await("registry.record-status", submission, "RecordRejected").value()).path("data");
        assertEquals("startDate", status.path("reasons").path(0).path("field").asText());
        assertEquals("not-in-future", status.path("reasons").path(0).path("rule").asText());
        given().get("/v1/sites/S01/patients/{p}/treatments", patient).then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void aPoisonMessageGoesToTheDeadLetterTopic() {
        String patient = "PSN-" + UUID.randomUUID().toString().substring(0, 8);
        kafka().sendRaw("intake.clinical-records", patient, "not json at all " + patient);
        assertEquals(1, kafka().read("intake.clinical-records.dlq", r -> r.value().contains(patient), found -> !found.isEmpty(), WAIT).size());
    }

    @Test
    void aLineCarriesItsComponentsWithCodedAgentsAndACorrectionReplacesThem() throws Exception {
        String patient = "PSN-" + UUID.randomUUID().toString().substring(0, 8);
        episodeRecorded(patient, patient + "-EP1", "2024-01-01");
        String first = UUID.randomUUID().toString();
        kafka().send("intake.clinical-records", patient, lineSubmitted(first, patient, patient + "-TR1", 1, "2024-02-01", """
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
        kafka().send("intake.clinical-records", patient, lineSubmitted(correction, patient, patient + "-TR1", 1, "2024-02-01", """
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
        kafka().send("intake.clinical-records", patient, lineSubmitted(first, patient, patient + "-TR1", 1, "2024-02-01", components));
        await("registry.record-status", first, "RecordApplied");
        String second = UUID.randomUUID().toString();
        kafka().send("intake.clinical-records", patient, lineSubmitted(second, patient, patient + "-TR2", 1, "2024-05-01", components));
        JsonNode status = JSON.readTree(await("registry.record-status", second, "RecordRejected").value()).path("data");
        assertEquals("lineNumber", status.path("reasons").path(0).path("field").asText());
        assertEquals("distinct-line-numbers", status.path("reasons").path(0).path("rule").asText());
        given().get("/v1/sites/S01/patients/{p}/treatments", patient).then().statusCode(200).body("size()", equalTo(1));
    }

    @Test
    void aLineSentRightAfterItsEpisodeIsAppliedWithoutWaiting() {
        String patient = "PSN-" + UUID.randomUUID().toString().substring(0, 8);
        String episode = UUID.randomUUID().toString();
        kafka().send("intake.clinical-records", patient, DiseaseRecordFlowIT.episodeSubmitted(UUID.randomUUID(), episode, patient,
                patient + "-EP1", "relapse", "2024-01-20"));
        String line = UUID.randomUUID().toString();
        kafka().send("intake.clinical-records", patient, lineSubmitted(line, patient, patient + "-TR1", 1, "2024-02-01",
                "[{\"category\":\"chemotherapy\",\"agents\":[\"topotecan\"]}]"));
        // One topic keyed by patient: the line is taken after its episode, in the same poll or a later one.
        await("registry.record-status", episode, "RecordApplied");
        await("registry.record-status", line, "RecordApplied");
        given().get("/v1/sites/S01/patients/{p}/treatments", patient).then().statusCode(200).body("size()", equalTo(1));
    }

    @Test
    void aLineBeforeItsEpisodeIsRejectedAtOnceAndCanBeSentAgainAfterIt() throws Exception {
        String patient = "PSN-" + UUID.randomUUID().toString().substring(0, 8);
        String components = "[{\"category\":\"chemotherapy\",\"agents\":[\"topotecan\"]}]";
        String early = UUID.randomUUID().toString();
        kafka().send("intake.clinical-records", patient, lineSubmitted(early, patient, patient + "-TR1", 1, "2024-02-01", components));
        JsonNode status = JSON.readTree(await("registry.record-status", early, "RecordRejected").value()).path("data");
        assertEquals("episodeRecordId", status.path("reasons").path(0).path("field").asText());
        assertEquals("known-episode", status.path("reasons").path(0).path("rule").asText());
        given().get("/v1/sites/S01/patients/{p}/treatments", patient).then().statusCode(200).body("size()", equalTo(0));

        episodeRecorded(patient, patient + "-EP1", "2024-01-20");
        String again = UUID.randomUUID().toString();
        kafka().send("intake.clinical-records", patient, lineSubmitted(again, patient, patient + "-TR1", 1, "2024-02-01", components));
        await("registry.record-status", again, "RecordApplied");
        given().get("/v1/sites/S01/patients/{p}/treatments", patient).then().statusCode(200).body("size()", equalTo(1));
    }

    @Test
    void aLineBeforeItsEpisodeOrAfterTheDeathIsRejected() throws Exception {
        String patient = "PSN-" + UUID.randomUUID().toString().substring(0, 8);
        episodeRecorded(patient, patient + "-EP1", "2024-01-20");
        String death = UUID.randomUUID().toString();
        kafka().send("intake.clinical-records", patient, DiseaseRecordFlowIT.followUpSubmitted(UUID.randomUUID(), death, patient,
                patient + "-FU1", "2024-06-01", "dead"));
        await("registry.record-status", death, "RecordApplied");
        String early = UUID.randomUUID().toString();
        kafka().send("intake.clinical-records", patient, lineSubmitted(early, patient, patient + "-TR1", 1, "2024-01-10",
                "[{\"category\":\"chemotherapy\",\"agents\":[\"topotecan\"]}]"));
        JsonNode before = JSON.readTree(await("registry.record-status", early, "RecordRejected").value()).path("data");
        assertEquals("not-before-episode", before.path("reasons").path(0).path("rule").asText());
        String late = UUID.randomUUID().toString();
        kafka().send("intake.clinical-records", patient, lineSubmitted(late, patient, patient + "-TR2", 2, "2024-07-01",
                "[{\"category\":\"chemotherapy\",\"agents\":[\"topotecan\"]}]"));
        JsonNode after = JSON.readTree(await("registry.record-status", late, "RecordRejected").value()).path("data");
        assertEquals("not-after-death", after.path("reasons").path(0).path("rule").asText());
    }

    @Test
    void aWithdrawnLineIsRemovedAndAnUnknownOneRefused() throws Exception {
        String patient = "PSN-" + UUID.randomUUID().toString().substring(0, 8);
        episodeRecorded(patient, patient + "-EP1", "2024-01-01");
        String created = UUID.randomUUID().toString();
        kafka().send("intake.clinical-records", patient, lineSubmitted(created, patient, patient + "-TR1", 1, "2024-02-01",
                "[{\"category\":\"chemotherapy\",\"agents\":[\"topotecan\"]}]"));
        await("registry.record-status", created, "RecordApplied");
        String withdrawal = withdrawal(patient, patient + "-TR1");
        JsonNode withdrawn = JSON.readTree(await("registry.treatment-events", withdrawal, "TreatmentWithdrawn").value()).path("data");
        assertEquals("treatment", withdrawn.path("recordType").asText());
        await("registry.record-status", withdrawal, "RecordApplied");
        given().get("/v1/sites/S01/patients/{p}/treatments", patient).then().statusCode(200).body("size()", equalTo(0));

        String unknown = withdrawal(patient, patient + "-TR9");
        JsonNode refused = JSON.readTree(await("registry.record-status", unknown, "RecordRejected").value()).path("data");
        assertEquals("known-record", refused.path("reasons").path(0).path("rule").asText());
    }

    private String withdrawal(String patient, String recordId) {
        String submission = UUID.randomUUID().toString();
        kafka().send("intake.clinical-records", patient, """
                {"id":"%s","type":"WithdrawalSubmitted","schemaVersion":1,"occurredAt":"2026-01-01T00:00:00Z",
                 "source":"intake-service","subject":"%s","correlationId":"%s","data":{"submissionId":"%s","site":"S01",
                 "recordType":"treatment","recordId":"%s","patientPseudonym":"%s"}}"""
                .formatted(UUID.randomUUID(), patient, submission, submission, recordId, patient));
        return submission;
    }

    private ConsumerRecord<String, String> await(String topic, String submission, String type) {
        List<ConsumerRecord<String, String>> found = kafka().read(topic,
                r -> r.value().contains("\"correlationId\":\"" + submission + "\"") && r.value().contains("\"type\":\"" + type + "\""),
                records -> !records.isEmpty(), WAIT);
        assertEquals(1, found.size(), "expected a " + type + " for submission " + submission);
        return found.get(0);
    }

    private static int lines = 0;

    /** The episode a line refers to, submitted and applied. */
    private void episodeRecorded(String patient, String recordId, String date) {
        String submission = UUID.randomUUID().toString();
        kafka().send("intake.clinical-records", patient, DiseaseRecordFlowIT.episodeSubmitted(UUID.randomUUID(), submission, patient,
                recordId, "relapse", date));
        await("registry.record-status", submission, "RecordApplied");
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
