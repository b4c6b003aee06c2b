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
import java.util.List;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pseudonym names a patient within the site that submits it: what one site sends under a pseudonym another site
 * registered is answered exactly as for a pseudonym nobody registered, changes nothing of the other site's patient,
 * and no verdict or event names the other site's records, dates or facts.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,postgres"),
        @ResourceArg(name = RealInfrastructureResource.POSTGRES_DATABASE, value = "episodes")})
class CrossSitePrivacyIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private KafkaProbe kafka() {
        return KafkaProbe.shared(bootstrapServers);
    }

    @Test
    void anotherSitesPatientIsAnsweredAsAnUnknownOneAndStaysUntouched() {
        String registered = DiseaseRecordFlowIT.pseudonym();
        String unknown = DiseaseRecordFlowIT.pseudonym();
        // Site S01's patient: the patient record, an episode, then death.
        apply("S01", registered, "PatientSubmitted", """
                "recordId":"%s-PT","sex":"male","ageAtInitialDiagnosisDays":800,"initialDiagnosisDate":"2023-05-01\"""".formatted(registered));
        apply("S01", registered, "EpisodeSubmitted", """
                "recordId":"%s-EP1","episodeType":"relapse","episodeDate":"2024-01-10\"""".formatted(registered));
        apply("S01", registered, "FollowUpSubmitted", """
                "recordId":"%s-FU1","date":"2024-06-01","vitalStatus":"dead","causeOfDeath":"disease_progression\"""".formatted(registered));

        // S02 sends the same records under both pseudonyms; each pair of verdicts must be the same but for the names.
        for (String[] record : List.of(
                new String[]{"FollowUpSubmitted", "\"recordId\":\"%s-S02-FU0\",\"date\":\"2024-03-01\",\"vitalStatus\":\"dead\""},
                new String[]{"EpisodeSubmitted", "\"recordId\":\"%s-S02-EP1\",\"episodeType\":\"progression\",\"episodeDate\":\"2024-08-01\""},
                new String[]{"FollowUpSubmitted", "\"recordId\":\"%s-S02-FU1\",\"date\":\"2024-09-01\",\"vitalStatus\":\"alive\""},
                new String[]{"SecondMalignancySubmitted", "\"recordId\":\"%s-S02-SM1\",\"diagnosisDate\":\"2024-09-15\",\"diagnosis\":\"AML\""},
                new String[]{"EpisodeSubmitted", "\"recordId\":\"%s-S02-EP0\",\"episodeType\":\"relapse\",\"episodeDate\":\"2024-01-10\""},
                // A patient record of its own under the same pseudonym: two sites, two patients.
                new String[]{"PatientSubmitted", "\"recordId\":\"%s-S02-PT\",\"sex\":\"female\",\"ageAtInitialDiagnosisDays\":900,\"initialDiagnosisDate\":\"2023-06-01\""})) {
            JsonNode forRegistered = verdict("S02", registered, record[0], record[1].formatted(registered));
            JsonNode forUnknown = verdict("S02", unknown, record[0], record[1].formatted(unknown));
            assertEquals(forUnknown.toString().replace(unknown, "P"), forRegistered.toString().replace(registered, "P"),
                    record[0] + " of S02 under another site's pseudonym");
            assertTrue(!forRegistered.toString().contains("S01") && !forRegistered.toString().contains("2024-06-01"),
                    "the verdict names nothing of S01: " + forRegistered);
        }

        // S01's patient is as S01 left it: one episode, the death, no second malignancy; S02's is its own.
        given().get("/v1/sites/S01/patients/{p}", registered).then().statusCode(200)
                .body("episodes.size()", equalTo(1))
                .body("episodes[0].episodeOrder", equalTo(1))
                .body("followUps.size()", equalTo(1))
                .body("followUps[0].vitalStatus", equalTo("dead"))
                .body("secondMalignancies.size()", equalTo(0));
        given().get("/v1/sites/S01/patients/{p}", registered).then().body("patient.recordId", equalTo(registered + "-PT"));
        given().get("/v1/sites/S02/patients/{p}", registered).then().statusCode(200)
                .body("patient.recordId", equalTo(registered + "-S02-PT"))
                .body("episodes.recordId", equalTo(List.of(registered + "-S02-EP0", registered + "-S02-EP1")))
                .body("secondMalignancies.size()", equalTo(1));
        // Every event about S02's records carries S02: the analysis keeps the two patients apart.
        List<ConsumerRecord<String, String>> events = kafka().read("registry.episode-events",
                r -> registered.equals(r.key()) && r.value().contains("-S02-"), found -> found.size() >= 4, WAIT);
        assertTrue(events.stream().map(CrossSitePrivacyIT::data).allMatch(d -> d.path("site").asText().equals("S02")), events.toString());
    }

    /** Sends a record of the site and returns the data of its verdict. */
    private JsonNode verdict(String site, String patient, String type, String fields) {
        String submission = UUID.randomUUID().toString();
        kafka().send("intake.clinical-records", patient, DiseaseRecordFlowIT.envelope(UUID.randomUUID(), type, patient, submission,
                "{\"submissionId\":\"%s\",\"site\":\"%s\",\"patientPseudonym\":\"%s\",%s}".formatted(submission, site, patient, fields)));
        List<ConsumerRecord<String, String>> found = kafka().read("registry.record-status",
                r -> r.value().contains("\"correlationId\":\"" + submission + "\""), records -> !records.isEmpty(), WAIT);
        assertEquals(1, found.size());
        JsonNode data = data(found.get(0)).deepCopy();
        // The submission id differs by construction.
        ((com.fasterxml.jackson.databind.node.ObjectNode) data).remove("submissionId");
        return data;
    }

    private void apply(String site, String patient, String type, String fields) {
        assertEquals("APPLIED", verdict(site, patient, type, fields).path("status").asText());
    }

    private static JsonNode data(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value()).path("data");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static RequestSpecification given() {
        return RestAssured.given().auth().oauth2(TestTokens.operator());
    }
}
