package org.nbregistry.treatment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nbregistry.contracts.KafkaProbe;
import org.nbregistry.contracts.OpenApiContract;
import org.nbregistry.local.infra.RealInfrastructureResource;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

    private KafkaProbe kafka;

    @BeforeEach
    void connect() {
        kafka = new KafkaProbe(bootstrapServers);
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    @Test
    void aTreatmentIsStoredPublishedAndReportedAppliedOnceEvenWhenRedelivered() throws Exception {
        String patient = "PSN-" + UUID.randomUUID().toString().substring(0, 8);
        String submission = UUID.randomUUID().toString();
        String message = treatmentSubmitted(submission, patient, patient + "-TR1", "chemotherapy", "2024-03-03");
        kafka.send("intake.treatment-records", patient, message);
        kafka.send("intake.treatment-records", patient, message);
        String marker = UUID.randomUUID().toString();
        kafka.send("intake.treatment-records", patient, treatmentSubmitted(marker, patient, patient + "-TR2", "local_radiotherapy", "2024-05-05"));
        await("registry.record-status", marker, "RecordApplied");

        List<ConsumerRecord<String, String>> recorded = kafka.read("registry.treatment-events",
                r -> r.value().contains(submission), found -> false, Duration.ofSeconds(2));
        assertEquals(1, recorded.size(), "one TreatmentRecorded for two deliveries");
        JsonNode data = JSON.readTree(recorded.get(0).value()).path("data");
        assertEquals("chemotherapy", data.path("category").asText());
        assertEquals(patient + "-EP1", data.path("episodeRecordId").asText());
        given().get("/v1/patients/{p}/treatments", patient).then().statusCode(200)
                .body("size()", equalTo(2))
                .body("[0].category", equalTo("chemotherapy"))
                .body("[1].category", equalTo("local_radiotherapy"));
    }

    @Test
    void aTreatmentStartingInTheFutureIsRejectedWithItsReason() throws Exception {
        String patient = "PSN-" + UUID.randomUUID().toString().substring(0, 8);
        String submission = UUID.randomUUID().toString();
        kafka.send("intake.treatment-records", patient,
                treatmentSubmitted(submission, patient, patient + "-TR1", "maintenance", LocalDate.now().plusDays(3).toString()));
        JsonNode status = JSON.readTree(await("registry.record-status", submission, "RecordRejected").value()).path("data");
        assertEquals("startDate", status.path("reasons").path(0).path("field").asText());
        assertEquals("not-in-future", status.path("reasons").path(0).path("rule").asText());
        given().get("/v1/patients/{p}/treatments", patient).then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void aPoisonMessageGoesToTheDeadLetterTopic() {
        String patient = "PSN-" + UUID.randomUUID().toString().substring(0, 8);
        kafka.sendRaw("intake.treatment-records", patient, "not json at all " + patient);
        assertEquals(1, kafka.read("intake.treatment-records.dlq", r -> r.value().contains(patient), found -> !found.isEmpty(), WAIT).size());
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
        List<ConsumerRecord<String, String>> found = kafka.read(topic,
                r -> r.value().contains("\"correlationId\":\"" + submission + "\"") && r.value().contains("\"type\":\"" + type + "\""),
                records -> !records.isEmpty(), WAIT);
        assertEquals(1, found.size(), "expected a " + type + " for submission " + submission);
        return found.get(0);
    }

    private static String treatmentSubmitted(String submission, String patient, String recordId, String category, String start) {
        return """
                {"id":"%s","type":"TreatmentSubmitted","schemaVersion":1,"occurredAt":"2026-01-01T00:00:00Z",
                 "source":"intake-service","subject":"%s","correlationId":"%s","data":{"submissionId":"%s","site":"S01",
                 "recordId":"%s","patientPseudonym":"%s","episodeRecordId":"%s-EP1","category":"%s","startDate":"%s"}}"""
                .formatted(UUID.randomUUID(), patient, submission, submission, recordId, patient, patient, category, start);
    }
}
