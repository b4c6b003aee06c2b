package org.nbregistry.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.nbregistry.contracts.TestTokens;
import org.nbregistry.contracts.Eventually;
import org.nbregistry.contracts.KafkaProbe;
import org.nbregistry.contracts.OpenApiContract;
import org.nbregistry.local.infra.RealInfrastructureResource;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** intake-service against real Kafka and a MongoDB-wire server: validate, store, publish, show the verdict. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,mongodb")})
class SubmissionFlowIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private KafkaProbe kafka() {
        return KafkaProbe.shared(bootstrapServers);
    }

    @Test
    void anAcceptedEpisodeIsStoredAndPublishedKeyedByPseudonym() throws Exception {
        String patient = pseudonym();
        String submission = given().contentType(ContentType.JSON)
                .body(episode(patient, patient + "-EP1", "relapse", "2024-04-01"))
                .post("/v1/episodes")
                .then().statusCode(202)
                .header("Location", containsString("/v1/submissions/"))
                .body("site", equalTo("S01"))
                .body("records[0].recordType", equalTo("episode"))
                .body("records[0].status", equalTo("ACCEPTED"))
                .extract().path("id");

        List<ConsumerRecord<String, String>> published = kafka().read("intake.clinical-records",
                r -> r.value().contains(submission), found -> !found.isEmpty(), WAIT);
        assertEquals(1, published.size());
        assertEquals(patient, published.get(0).key());
        JsonNode event = JSON.readTree(published.get(0).value());
        assertEquals("EpisodeSubmitted", event.path("type").asText());
        assertEquals(submission, event.path("correlationId").asText());
        assertEquals(patient + "-EP1", event.path("data").path("recordId").asText());
        assertEquals("2024-04-01", event.path("data").path("episodeDate").asText());
        assertEquals("S01", event.path("data").path("site").asText(), "the site of the token");

        given().get("/v1/submissions/{id}", submission).then().statusCode(200)
                .body("records[0].recordId", equalTo(patient + "-EP1"));
    }

    @Test
    void aPatientsRecordsOfEveryKindArriveOnOneTopicInSubmissionOrder() {
        String patient = pseudonym();
        String episode = submitEpisode(patient, patient + "-EP1");
        String treatment = given().contentType(ContentType.JSON)
                .body("""
                        {"recordId":"%s-TR1","patientPseudonym":"%s","episodeRecordId":"%s-EP1","lineNumber":1,
                         "startDate":"2024-04-10","components":[{"category":"immunotherapy","agents":["dinutuximab_beta"]}]}"""
                        .formatted(patient, patient, patient))
                .post("/v1/treatments").then().statusCode(202).extract().path("id");
        String followUp = given().contentType(ContentType.JSON)
                .body("""
                        {"recordId":"%s-FU1","patientPseudonym":"%s","date":"2024-06-01","vitalStatus":"dead"}"""
                        .formatted(patient, patient))
                .post("/v1/follow-ups").then().statusCode(202).extract().path("id");

        // Keyed by the patient on one topic, so the owning service never sees the treatment line before its episode.
        List<ConsumerRecord<String, String>> published = kafka().read("intake.clinical-records", r -> patient.equals(r.key()),
                found -> found.size() >= 3, WAIT);
        assertEquals(List.of("EpisodeSubmitted", "TreatmentSubmitted", "FollowUpSubmitted"),
                published.stream().map(r -> JsonPath.from(r.value()).getString("type")).toList());
        assertEquals(List.of(episode, treatment, followUp),
                published.stream().map(r -> JsonPath.from(r.value()).getString("correlationId")).toList());
    }

    @Test
    void theOwningServicesVerdictsBecomeTheRecordStatus() {
        String patient = pseudonym();
        String applied = submitEpisode(patient, patient + "-EP1");
        String rejected = submitEpisode(patient, patient + "-EP2");
        kafka().send("registry.record-status", patient, verdict(applied, patient, patient + "-EP1", "RecordApplied", "APPLIED", "[]"));
        kafka().send("registry.record-status", patient, verdict(rejected, patient, patient + "-EP2", "RecordRejected", "REJECTED",
                "[{\"field\":\"episodeDate\",\"rule\":\"distinct-episode-dates\",\"message\":\"the patient already has an episode on that day\"}]"));

        awaitStatus(applied, "APPLIED");
        awaitStatus(rejected, "REJECTED");
        given().get("/v1/submissions/{id}", rejected).then()
                .body("records[0].reasons[0].field", equalTo("episodeDate"))
                .body("records[0].reasons[0].rule", equalTo("distinct-episode-dates"));
    }

    @Test
    void anUnreadableVerdictGoesToTheDeadLetterTopicAndTheVerdictsAroundItAreShown() {
        String patient = pseudonym();
        String batch = given().contentType(ContentType.JSON).body("""
                {"records":[{"recordType":"episode","record":%s},{"recordType":"episode","record":%s},{"recordType":"episode","record":%s}]}"""
                .formatted(episode(patient, patient + "-EP1", "relapse", "2024-04-01"), episode(patient, patient + "-EP2", "progression", "2024-05-01"),
                        episode(patient, patient + "-EP3", "progression", "2024-06-01")))
                .post("/v1/batches").then().statusCode(202).extract().path("submissionId");
        String poison = "{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"RecordApplied\",\"data\":" + patient + "}";
        kafka().send("registry.record-status", patient, verdict(batch, patient, patient + "-EP1", "RecordApplied", "APPLIED", "[]"));
        kafka().sendRaw("registry.record-status", patient, poison);
        kafka().send("registry.record-status", patient, verdict(batch, patient, patient + "-EP3", "RecordApplied", "APPLIED", "[]"));
        kafka().send("registry.record-status", patient, verdict(batch, patient, patient + "-EP2", "RecordRejected", "REJECTED",
                "[{\"field\":\"episodeDate\",\"rule\":\"distinct-episode-dates\",\"message\":\"the patient already has an episode on that day\"}]"));

        Eventually.await("every verdict of submission " + batch,
                () -> given().get("/v1/submissions/{id}", batch).then().statusCode(200).extract().<List<String>>path("records.status"),
                List.of("APPLIED", "REJECTED", "APPLIED")::equals, WAIT);
        given().get("/v1/episodes/{id}", patient + "-EP2").then().statusCode(200)
                .body("status", equalTo("REJECTED")).body("reasons[0].rule", equalTo("distinct-episode-dates"));
        List<ConsumerRecord<String, String>> dead = kafka().read("registry.record-status.dlq", r -> patient.equals(r.key()),
                found -> !found.isEmpty(), WAIT);
        assertEquals(List.of(poison), dead.stream().map(ConsumerRecord::value).toList());
        assertEquals("registry.record-status", new String(dead.get(0).headers().lastHeader("dead-letter-topic").value()));
    }

    @Test
    void anUnknownFieldIsRefusedNamingItAndNothingIsPublished() {
        String patient = pseudonym();
        given().contentType(ContentType.JSON)
                .body("""
                        {"recordId":"%s-EP1","patientPseudonym":"%s","episodeType":"relapse",
                         "episodeDate":"2024-04-01","patientName":"Jane Doe"}""".formatted(patient, patient))
                .post("/v1/episodes")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("type", startsWith("https://nbregistry.org/problems/"))
                .body("errors[0].field", equalTo("patientName"))
                .body("errors[0].rule", equalTo("unknown-field"));
        assertNothingPublishedFor(patient);
    }

    @Test
    void everyBrokenFieldRuleIsNamedAndNothingIsPublished() {
        String patient = pseudonym();
        String tomorrow = LocalDate.now().plusDays(2).toString();
        given().contentType(ContentType.JSON)
                .body("""
                        {"recordId":"","patientPseudonym":"%s","episodeType":"relapse","episodeDate":"%s"}"""
                        .formatted(patient, tomorrow))
                .post("/v1/episodes")
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("recordId", "episodeDate"))
                .body("errors.rule", hasItems("required", "not-in-future"));
        assertNothingPublishedFor(patient);
    }

    @Test
    void aValueOutsideTheCodeListIsRefusedWithTheAllowedCodes() {
        String patient = pseudonym();
        given().contentType(ContentType.JSON)
                .body(episode(patient, patient + "-EP1", "remission", "2024-04-01"))
                .post("/v1/episodes")
                .then().statusCode(400)
                .body("errors[0].field", equalTo("episodeType"))
                .body("detail", containsString("refractory, relapse, progression"));
        given().contentType(ContentType.JSON)
                .body(episode(patient, patient + "-EP1", "relapse", "2024-02-30"))
                .post("/v1/episodes")
                .then().statusCode(400)
                .body("errors[0].field", equalTo("episodeDate"));
        given().contentType(ContentType.JSON).body("{\"recordId\": ")
                .post("/v1/episodes")
                .then().statusCode(400)
                .body("type", equalTo("https://nbregistry.org/problems/malformed-json"));
        assertNothingPublishedFor(patient);
    }

    @Test
    void anUnknownSubmissionIs404AsAProblem() {
        given().get("/v1/submissions/{id}", UUID.randomUUID().toString()).then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404));
    }

    @Test
    void aRecordAcceptedWhileTheBrokerIsDownIsPublishedWhenItReturns() {
        String patient = pseudonym();
        RealInfrastructureResource.stopKafka();
        String submission;
        try {
            awaitReadiness(503);
            submission = submitEpisode(patient, patient + "-EP1");
            given().get("/v1/submissions/{id}", submission).then().statusCode(200).body("records[0].status", equalTo("ACCEPTED"));
        } finally {
            RealInfrastructureResource.startKafka();
        }
        awaitReadiness(200);
        List<ConsumerRecord<String, String>> published = kafka().read("intake.clinical-records",
                r -> r.value().contains(submission), found -> !found.isEmpty(), Duration.ofSeconds(60));
        assertEquals(1, published.size(), "the record accepted during the outage reached Kafka once it was back");
    }

    @Test
    void readinessReflectsKafkaAndMongo() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void theServedOpenApiIsTheCheckedInContract() {
        OpenApiContract.assertServedEqualsCheckedIn(given().get("/q/openapi").then().statusCode(200).extract().asString(), "intake.yaml");
    }

    private String submitEpisode(String patient, String recordId) {
        return given().contentType(ContentType.JSON).body(episode(patient, recordId, "relapse", "2024-04-01"))
                .post("/v1/episodes").then().statusCode(202).extract().path("id");
    }

    private void awaitStatus(String submission, String status) {
        Eventually.await("submission " + submission + " " + status,
                () -> given().get("/v1/submissions/{id}", submission).then().statusCode(200).extract().<String>path("records[0].status"),
                status::equals, WAIT);
    }

    private void awaitReadiness(int status) {
        Eventually.await("readiness " + status, () -> given().get("/q/health/ready").then().extract().statusCode(),
                seen -> seen == status, Duration.ofSeconds(60));
    }

    private void assertNothingPublishedFor(String patient) {
        // A valid record of the same patient sent afterwards lands on the same partition, after anything sent before it.
        String marker = submitEpisode(patient, patient + "-MARKER");
        List<ConsumerRecord<String, String>> published = kafka().read("intake.clinical-records",
                r -> patient.equals(r.key()), found -> found.stream().anyMatch(r -> r.value().contains(marker)), WAIT);
        assertEquals(1, published.size(), "only the valid marker record was published");
        assertTrue(published.get(0).value().contains(marker));
    }

    private static String pseudonym() {
        return "PSN-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String episode(String patient, String recordId, String type, String date) {
        return """
                {"recordId":"%s","patientPseudonym":"%s","episodeType":"%s","episodeDate":"%s"}"""
                .formatted(recordId, patient, type, date);
    }

    private static String verdict(String submission, String patient, String recordId, String type, String status, String reasons) {
        return """
                {"id":"%s","type":"%s","schemaVersion":1,"occurredAt":"2026-01-01T00:00:00Z","source":"episode-service",
                 "subject":"%s","correlationId":"%s","data":{"submissionId":"%s","site":"S01","recordType":"episode",
                 "recordId":"%s","status":"%s","reasons":%s}}""".formatted(UUID.randomUUID(), type, patient, submission,
                submission, recordId, status, reasons);
    }

    /** A request of site S01's data manager. */
    private static RequestSpecification given() {
        return given("S01");
    }

    private static RequestSpecification given(String site) {
        return RestAssured.given().auth().oauth2(TestTokens.site(site));
    }
}
