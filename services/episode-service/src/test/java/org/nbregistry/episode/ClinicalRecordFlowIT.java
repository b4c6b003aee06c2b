package org.nbregistry.episode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The clinical model on real Kafka and PostgreSQL: patient, detailed episodes, INRC assessments with the derived
 * overall and best response, second malignancy and death; every event checked against api-specs/events.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,postgres"),
        @ResourceArg(name = RealInfrastructureResource.POSTGRES_DATABASE, value = "episodes")})
class ClinicalRecordFlowIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ACCEPTED_AT = "2025-12-31T23:59:58Z";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private KafkaProbe kafka() {
        return KafkaProbe.shared(bootstrapServers);
    }

    @Test
    void aCompleteHistoryIsAppliedWithDerivedResponsesAndPublishedInFull() {
        String p = DiseaseRecordFlowIT.pseudonym();
        String s1 = submit("PatientSubmitted", p, """
                {"site":"S01","recordId":"%1$s-PT","patientPseudonym":"%1$s","sex":"female","birthYearMonth":"2016-02",
                 "initialDiagnosisDate":"2019-05-10","inrgssStage":"M","inssStage":"4","mycnStatusAtDiagnosis":"amplified",
                 "frontline":{"protocol":"HR-NBL2","hdcAsct":"single","antiGd2":true,"radiotherapy":true}}""".formatted(p));
        ConsumerRecord<String, String> recorded = awaitOne("registry.episode-events", s1, "PatientRecorded");
        assertEquals(ACCEPTED_AT, envelope(recorded).path("acceptedAt").asText(), "intake's acceptance time travels on");
        JsonNode patient = data(recorded);
        assertEquals("4", patient.path("inssStage").asText());
        assertEquals("single", patient.path("frontline").path("hdcAsct").asText());
        awaitOne("registry.record-status", s1, "RecordApplied");

        String s2 = submit("EpisodeSubmitted", p, """
                {"site":"S01","recordId":"%1$s-EP1","patientPseudonym":"%1$s","episodeType":"relapse","episodeDate":"2021-03-01",
                 "diseaseExtent":"combined","metastaticSites":["bone","bone_marrow","distant_lymph_nodes","other"],"otherMetastaticSite":"orbit",
                 "lymphNodeInvolvement":"distant","mibg":{"avidity":"avid","curieScore":12,"siopenScore":20},
                 "biopsy":{"performed":true,"date":"2021-03-05"},"molecularProfiling":{"performed":true,"methods":["ngs_panel","snp_array"]},
                 "mycnStatus":"amplified","alk":{"status":"mutated","hgvsProtein":"p.F1174L","variantAlleleFraction":0.12},
                 "segmentalAberrations":["11q_loss","17q_gain"],"clinicalTrial":{"enrolled":true,"registryId":"NCT02308527"}}""".formatted(p));
        JsonNode episode = data(awaitOne("registry.episode-events", s2, "EpisodeRecorded"));
        assertEquals("relapse_progression", episode.path("episodeGroup").asText());
        assertEquals(661, episode.path("timeFromInitialDiagnosisDays").asInt(), "2019-05-10 to 2021-03-01");
        assertEquals("p.F1174L", episode.path("alk").path("hgvsProtein").asText());
        assertEquals("[\"11q_loss\",\"17q_gain\"]", episode.path("segmentalAberrations").toString());
        assertFalse(episode.has("bestOverallResponse"), "no assessment yet");

        String s3 = submit("ResponseAssessmentSubmitted", p, assessment(p, "RA1", "2021-06-01", "SD", "PR", "SD"));
        JsonNode first = data(awaitOne("registry.episode-events", s3, "ResponseAssessmentRecorded"));
        assertEquals("MR", first.path("overallResponse").asText(), "PR with SD: mixed response");
        assertEquals("INRC 2017", first.path("responseSystem").asText());
        assertEquals("MR", data(awaitOne("registry.episode-events", s3, "EpisodeRecorded")).path("bestOverallResponse").asText());

        String s4 = submit("ResponseAssessmentSubmitted", p, assessment(p, "RA2", "2021-09-01", "PR", "CR", "MD"));
        assertEquals("PR", data(awaitOne("registry.episode-events", s4, "ResponseAssessmentRecorded")).path("overallResponse").asText());
        JsonNode best = data(awaitOne("registry.episode-events", s4, "EpisodeRecorded"));
        assertEquals("PR", best.path("bestOverallResponse").asText());
        assertTrue(best.path("diseaseControl").asBoolean());

        String s5 = submit("EpisodeSubmitted", p, """
                {"site":"S01","recordId":"%1$s-EP2","patientPseudonym":"%1$s","episodeType":"progression","episodeDate":"2022-01-15"}"""
                .formatted(p));
        assertEquals(2, data(awaitOne("registry.episode-events", s5, "EpisodeRecorded")).path("episodeOrder").asInt());
        String s6 = submit("SecondMalignancySubmitted", p, """
                {"site":"S01","recordId":"%1$s-SM1","patientPseudonym":"%1$s","diagnosisDate":"2022-06-01","diagnosis":"AML"}""".formatted(p));
        awaitOne("registry.episode-events", s6, "SecondMalignancyRecorded");
        String s7 = submit("FollowUpSubmitted", p, """
                {"site":"S01","recordId":"%1$s-FU1","patientPseudonym":"%1$s","date":"2022-08-01","vitalStatus":"dead",
                 "causeOfDeath":"disease_progression"}""".formatted(p));
        JsonNode death = data(awaitOne("registry.episode-events", s7, "FollowUpRecorded"));
        assertEquals("2022-08-01", death.path("deathDate").asText());
        assertEquals("disease_progression", death.path("causeOfDeath").asText());
        awaitOne("registry.record-status", s7, "RecordApplied");

        given().get("/v1/sites/S01/patients/{p}", p).then().statusCode(200)
                .body("patient.sex", equalTo("female"))
                .body("episodes.size()", equalTo(2))
                .body("episodes[0].bestOverallResponse", equalTo("PR"))
                .body("episodes[0].metastaticSites.size()", equalTo(4))
                .body("episodes[0].otherMetastaticSite", equalTo("orbit"))
                .body("responseAssessments.size()", equalTo(2))
                .body("responseAssessments[1].overallResponse", equalTo("PR"))
                .body("secondMalignancies[0].diagnosis", equalTo("AML"))
                .body("followUps[0].causeOfDeath", equalTo("disease_progression"));
    }

    @Test
    void aPatientRecordArrivingAfterTheEpisodesGivesThemTheirTimeFromDiagnosis() {
        String p = DiseaseRecordFlowIT.pseudonym();
        String s1 = submit("EpisodeSubmitted", p, """
                {"site":"S01","recordId":"%1$s-EP1","patientPseudonym":"%1$s","episodeType":"refractory","episodeDate":"2020-02-01"}""".formatted(p));
        assertFalse(data(awaitOne("registry.episode-events", s1, "EpisodeRecorded")).has("timeFromInitialDiagnosisDays"));
        String s2 = submit("PatientSubmitted", p, patient(p, "2019-11-03"));
        awaitOne("registry.episode-events", s2, "PatientRecorded");
        JsonNode episode = data(awaitOne("registry.episode-events", s2, "EpisodeRecorded"));
        assertEquals(90, episode.path("timeFromInitialDiagnosisDays").asInt());
        assertEquals("refractory", episode.path("episodeGroup").asText());
    }

    @Test
    void anAssessmentOfAnUnknownEpisodeIsRejectedAndNothingIsStored() {
        String p = DiseaseRecordFlowIT.pseudonym();
        String setup = submit("PatientSubmitted", p, patient(p, "2019-01-01"));
        awaitOne("registry.record-status", setup, "RecordApplied");
        String s = submit("ResponseAssessmentSubmitted", p, assessment(p, "RA1", "2021-06-01", "PR", "NI", "CR"));
        JsonNode status = data(awaitOne("registry.record-status", s, "RecordRejected"));
        assertEquals("episodeRecordId", status.path("reasons").path(0).path("field").asText());
        assertEquals("known-episode", status.path("reasons").path(0).path("rule").asText());
        given().get("/v1/sites/S01/patients/{p}", p).then().statusCode(200).body("responseAssessments.size()", equalTo(0));
    }

    @Test
    void anEpisodeBeforeTheInitialDiagnosisIsRejectedAndNothingIsStored() {
        String p = DiseaseRecordFlowIT.pseudonym();
        String setup = submit("PatientSubmitted", p, patient(p, "2019-01-01"));
        awaitOne("registry.record-status", setup, "RecordApplied");
        String s = submit("EpisodeSubmitted", p, """
                {"site":"S01","recordId":"%1$s-EP1","patientPseudonym":"%1$s","episodeType":"relapse","episodeDate":"2018-12-01"}""".formatted(p));
        JsonNode status = data(awaitOne("registry.record-status", s, "RecordRejected"));
        assertEquals("after-initial-diagnosis", status.path("reasons").path(0).path("rule").asText());
        given().get("/v1/sites/S01/patients/{p}", p).then().statusCode(200).body("episodes.size()", equalTo(0));
    }

    @Test
    void withdrawalsRemoveRecordsRenumberTheRestAndAreRefusedWhileDependentsRemain() {
        String p = DiseaseRecordFlowIT.pseudonym();
        submit("EpisodeSubmitted", p, """
                {"site":"S01","recordId":"%1$s-EP1","patientPseudonym":"%1$s","episodeType":"relapse","episodeDate":"2021-03-01"}""".formatted(p));
        submit("EpisodeSubmitted", p, """
                {"site":"S01","recordId":"%1$s-EP2","patientPseudonym":"%1$s","episodeType":"progression","episodeDate":"2022-03-01"}""".formatted(p));
        submit("ResponseAssessmentSubmitted", p, assessment(p, "RA1", "2021-06-01", "PR", "NI", "CR"));
        String alive = submit("FollowUpSubmitted", p, """
                {"site":"S01","recordId":"%1$s-FU1","patientPseudonym":"%1$s","date":"2022-05-01","vitalStatus":"alive"}""".formatted(p));
        awaitOne("registry.record-status", alive, "RecordApplied");

        String refused = withdraw(p, "episode", p + "-EP1");
        JsonNode status = data(awaitOne("registry.record-status", refused, "RecordRejected"));
        assertEquals("no-dependent-records", status.path("reasons").path(0).path("rule").asText());

        String assessment = withdraw(p, "response-assessment", p + "-RA1");
        assertEquals("response-assessment", data(awaitOne("registry.episode-events", assessment, "ResponseAssessmentWithdrawn")).path("recordType").asText());
        assertFalse(data(awaitOne("registry.episode-events", assessment, "EpisodeRecorded")).has("bestOverallResponse"),
                "the episode lost its only assessment");

        String episode = withdraw(p, "episode", p + "-EP1");
        JsonNode withdrawn = data(awaitOne("registry.episode-events", episode, "EpisodeWithdrawn"));
        assertEquals(p + "-EP1", withdrawn.path("recordId").asText());
        JsonNode renumbered = data(awaitOne("registry.episode-events", episode, "EpisodeRecorded"));
        assertEquals(p + "-EP2", renumbered.path("recordId").asText());
        assertEquals(1, renumbered.path("episodeOrder").asInt());

        String followUp = withdraw(p, "follow-up", p + "-FU1");
        JsonNode summary = data(awaitOne("registry.episode-events", followUp, "FollowUpWithdrawn"));
        assertFalse(summary.has("lastFollowUpDate"), "no follow-up remains");
        awaitOne("registry.record-status", followUp, "RecordApplied");

        String unknown = withdraw(p, "second-malignancy", p + "-SM9");
        assertEquals("known-record", data(awaitOne("registry.record-status", unknown, "RecordRejected"))
                .path("reasons").path(0).path("rule").asText());
        given().get("/v1/sites/S01/patients/{p}", p).then().statusCode(200)
                .body("episodes.size()", equalTo(1))
                .body("responseAssessments.size()", equalTo(0))
                .body("followUps.size()", equalTo(0));
    }

    /** A patient's treatment lines hold their episode, and no death may precede them. */
    @Test
    void treatmentLinesHoldTheirEpisodeAndNoDeathPrecedesThem() {
        String p = DiseaseRecordFlowIT.pseudonym();
        String episode = submit("EpisodeSubmitted", p, """
                {"site":"S01","recordId":"%1$s-EP1","patientPseudonym":"%1$s","episodeType":"relapse","episodeDate":"2021-03-01"}""".formatted(p));
        awaitOne("registry.record-status", episode, "RecordApplied");
        String line = submit("TreatmentSubmitted", p, """
                {"site":"S01","recordId":"%1$s-TR1","patientPseudonym":"%1$s","episodeRecordId":"%1$s-EP1","lineNumber":1,
                 "startDate":"2021-04-01","components":[{"category":"chemotherapy","agents":["topotecan"]}]}""".formatted(p));
        awaitOne("registry.record-status", line, "RecordApplied");
        JsonPath known = patientView(p);
        assertEquals(1, known.getList("treatmentLines").size(), known.prettify());
        assertEquals("2021-04-01", known.getString("treatmentLines[0].startDate"));

        String early = submit("FollowUpSubmitted", p, """
                {"site":"S01","recordId":"%1$s-FU1","patientPseudonym":"%1$s","date":"2021-03-20","vitalStatus":"dead"}""".formatted(p));
        assertEquals("not-before-treatment", data(awaitOne("registry.record-status", early, "RecordRejected"))
                .path("reasons").path(0).path("rule").asText());
        String held = withdraw(p, "episode", p + "-EP1");
        JsonNode reasons = data(awaitOne("registry.record-status", held, "RecordRejected")).path("reasons");
        assertEquals("no-dependent-records", reasons.path(0).path("rule").asText());
        assertTrue(reasons.path(0).path("message").asText().contains(p + "-TR1"), reasons.toString());

        // The line's withdrawal and the episode's, back to back: applied in that order, so the episode is free to go.
        String lineGone = withdraw(p, "treatment", p + "-TR1");
        String released = withdraw(p, "episode", p + "-EP1");
        awaitOne("registry.record-status", lineGone, "RecordApplied");
        awaitOne("registry.record-status", released, "RecordApplied");
        given().get("/v1/sites/S01/patients/{p}", p).then().statusCode(404);
    }

    private static JsonPath patientView(String pseudonym) {
        return given().get("/v1/sites/S01/patients/{p}", pseudonym).then().statusCode(200).extract().jsonPath();
    }

    private String withdraw(String patient, String recordType, String recordId) {
        return submit("WithdrawalSubmitted", patient, """
                {"site":"S01","recordType":"%s","recordId":"%s","patientPseudonym":"%s"}""".formatted(recordType, recordId, patient));
    }

    private String submit(String type, String patient, String data) {
        String submission = UUID.randomUUID().toString();
        String withId = "{\"submissionId\":\"" + submission + "\"," + data.strip().substring(1);
        kafka().send("intake.clinical-records", patient, """
                {"id":"%s","type":"%s","schemaVersion":1,"occurredAt":"2026-01-01T00:00:00Z","source":"intake-service",
                 "subject":"%s","correlationId":"%s","acceptedAt":"%s","data":%s}""".formatted(UUID.randomUUID(), type, patient, submission,
                ACCEPTED_AT, withId));
        return submission;
    }

    private static String patient(String p, String diagnosis) {
        return """
                {"site":"S01","recordId":"%1$s-PT","patientPseudonym":"%1$s","sex":"male","ageAtInitialDiagnosisDays":800,
                 "initialDiagnosisDate":"%2$s"}""".formatted(p, diagnosis);
    }

    private static String assessment(String p, String id, String date, String primary, String metastases, String marrow) {
        return """
                {"site":"S01","recordId":"%1$s-%2$s","patientPseudonym":"%1$s","episodeRecordId":"%1$s-EP1","assessmentDate":"%3$s",
                 "timepointLabel":"after 2 cycles","methods":["mibg","ct","bm_aspirate"],"primaryResponse":"%4$s",
                 "metastaticResponse":"%5$s","boneMarrowResponse":"%6$s","curieScore":4,"siopenScore":5,
                 "boneMarrowInfiltrationPercent":%7$s}""".formatted(p, id, date, primary, metastases, marrow,
                        switch (marrow) { case "CR", "NI" -> "0"; case "MD" -> "3.5"; default -> "20"; });
    }

    private ConsumerRecord<String, String> awaitOne(String topic, String submission, String type) {
        List<ConsumerRecord<String, String>> found = kafka().read(topic,
                r -> r.value().contains("\"correlationId\":\"" + submission + "\"") && r.value().contains("\"type\":\"" + type + "\""),
                records -> !records.isEmpty(), WAIT);
        assertEquals(1, found.size(), "expected one " + type + " for submission " + submission + " on " + topic);
        return found.get(0);
    }

    private static JsonNode data(ConsumerRecord<String, String> record) {
        return envelope(record).path("data");
    }

    private static JsonNode envelope(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Patient files are for the role operator. */
    private static RequestSpecification given() {
        return RestAssured.given().auth().oauth2(TestTokens.operator());
    }
}
