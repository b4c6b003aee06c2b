package org.nbregistry.analytics;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.nbregistry.contracts.KafkaProbe;
import org.nbregistry.local.infra.RealInfrastructureResource;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nbregistry.analytics.RegistryEvents.EPISODES;
import static org.nbregistry.analytics.RegistryEvents.TREATMENTS;

/**
 * The analysis dataset kept from every event type of registry.episode-events and registry.treatment-events, on real
 * Kafka and a MongoDB-wire server: each new factor groups the survival curves, corrections replace, withdrawals
 * retract, and redelivered events change nothing. Every event is checked against its schema before it is sent.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,mongodb")})
class DatasetFlowIT {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private KafkaProbe kafka() {
        return KafkaProbe.shared(bootstrapServers);
    }

    @Test
    void everyFactorOfTheStudyGroupsTheSurvivalCurves() {
        String site = uniqueSite();
        // Ten patients, one episode each: the first five have every "yes" of the study's groupings, the others every "no".
        for (int p = 0; p < 10; p++) {
            String patient = site + "-P" + p;
            boolean yes = p < 5;
            String episodeId = uuid(patient + ":E1");
            send(EPISODES, patient, "PatientRecorded", """
                    {"patientId":"%s","site":"%s","recordId":"PT-1","patientPseudonym":"%s","sex":"female","initialDiagnosisDate":"2019-05-01",
                     "mycnStatusAtDiagnosis":"%s"}""".formatted(uuid(patient + ":PT"), site, patient, yes ? "amplified" : "not_amplified"));
            send(EPISODES, patient, "EpisodeRecorded", episode(site, patient, episodeId, "EP-1", "relapse", "2021-01-01", 1, """
                    ,"lymphNodeInvolvement":"%s","metastaticSites":["bone"],"biopsy":{"performed":%s},"molecularProfiling":{"performed":%s,
                     "methods":[]},"clinicalTrial":{"enrolled":%s}""".formatted(yes ? "regional" : "none", yes, yes, yes)));
            send(TREATMENTS, patient, "TreatmentRecorded", treatment(site, patient, uuid(patient + ":T1"), "TR-1", "EP-1", yes
                    ? "\"chemotherapy\",\"local_radiotherapy\",\"immunotherapy\",\"consolidation\"" : "\"chemotherapy\"",
                    yes ? "\"irinotecan\",\"temozolomide\",\"dinutuximab_beta\"" : "\"cyclophosphamide\""));
            send(EPISODES, patient, "ResponseAssessmentRecorded", assessment(site, patient, uuid(patient + ":A1"), episodeId, "EP-1",
                    yes ? "PR" : "PD"));
            send(EPISODES, patient, "FollowUpRecorded", followUp(site, patient, uuid(patient + ":F1"), "2022-01-01", p % 3 == 0 ? "2022-01-01" : null));
        }
        for (String factor : List.of("response_or_stabilisation", "mycn_amplified", "lymph_node_metastases", "irinotecan_or_topotecan",
                "local_radiotherapy", "immunotherapy", "consolidation", "trial_enrolment", "biopsy", "molecular_profiling")) {
            JsonPath grouped = awaitSurvival("endpoint=OS&groupBy=" + factor + "&site=" + site,
                    // Every patient's last event applied: both groups complete, none left out as unknown.
                    a -> is(a, "overall.n", 10) && a.getList("groups.level").equals(List.of("no", "yes"))
                            && Integer.valueOf(0).equals(a.get("excluded")) && List.of(5, 5).equals(a.getList("groups.n", Integer.class)));
            assertEquals(List.of(5, 5), grouped.getList("groups.n", Integer.class), factor);
            assertEquals(0, grouped.getInt("excluded"), factor);
            assertEquals(false, grouped.getBoolean("comparison.suppressed"), factor);
            assertEquals(1, grouped.getInt("comparison.df"), factor);
        }
        JsonPath summary = summary(site);
        assertEquals(5, summary.getInt("biopsy.find { it.level == 'yes' }.count"));
        assertEquals(5, summary.getInt("mycnStatus.find { it.level == 'amplified' }.count"));
        assertEquals(10, summary.getInt("metastaticSites.find { it.site == 'bone' }.episodes.count"));
        assertEquals(10, summary.getInt("responseRate.assessed.count"));
        assertEquals(5, summary.getInt("responseRate.count.count"));
        assertEquals(50.0, summary.getDouble("diseaseControlRate.count.percent"), 1e-9);
    }

    @Test
    void correctionsReplaceWithdrawalsRetractAndRedeliveryChangesNothing() {
        String site = uniqueSite();
        List<String[]> firstDelivery = new ArrayList<>();
        for (int p = 0; p < 5; p++) {
            String patient = site + "-P" + p;
            firstDelivery.addAll(List.of(
                    event(EPISODES, patient, "PatientRecorded", """
                            {"patientId":"%s","site":"%s","recordId":"PT-1","patientPseudonym":"%s","sex":"male","initialDiagnosisDate":"2019-05-01",
                             "mycnStatusAtDiagnosis":"amplified"}""".formatted(uuid(patient + ":PT"), site, patient)),
                    event(EPISODES, patient, "EpisodeRecorded", episode(site, patient, uuid(patient + ":E1"), "EP-1", "relapse", "2021-01-01", 1, "")),
                    event(EPISODES, patient, "EpisodeRecorded", episode(site, patient, uuid(patient + ":E2"), "EP-2", "progression", "2021-07-01", 2, "")),
                    event(TREATMENTS, patient, "TreatmentRecorded", treatment(site, patient, uuid(patient + ":T1"), "TR-1", "EP-1",
                            "\"chemotherapy\"", "\"topotecan\",\"cyclophosphamide\"")),
                    event(EPISODES, patient, "ResponseAssessmentRecorded", assessment(site, patient, uuid(patient + ":A1"),
                            uuid(patient + ":E1"), "EP-1", "PR")),
                    event(EPISODES, patient, "FollowUpRecorded", followUp(site, patient, uuid(patient + ":F1"), "2022-01-01", null))));
        }
        firstDelivery.forEach(e -> kafka().send(e[0], e[1], e[2]));
        // The later episode closes the first one's EFS on day 181; the later one is censored.
        JsonPath byOrder = awaitSurvival("endpoint=EFS&groupBy=episode_order&site=" + site, a -> is(a, "overall.n", 10)
                && is(a, "groups[0].events", 5));
        assertEquals(List.of(5, 0), byOrder.getList("groups.events", Integer.class));
        assertEquals(181, byOrder.getInt("groups[0].table[0].day"));
        assertEquals(5, awaitSurvival("endpoint=EFS&groupBy=irinotecan_or_topotecan&site=" + site, a -> is(a, "overall.n", 10))
                .getInt("groups.find { it.level == 'yes' }.n"));

        // Every event again (a redelivery), then a correction: the second episode becomes a relapse, two months later.
        firstDelivery.forEach(e -> kafka().send(e[0], e[1], e[2]));
        for (int p = 0; p < 5; p++) {
            String patient = site + "-P" + p;
            send(EPISODES, patient, "EpisodeRecorded", episode(site, patient, uuid(patient + ":E2"), "EP-2", "relapse", "2021-09-01", 2, ""));
        }
        JsonPath corrected = awaitSurvival("endpoint=EFS&groupBy=episode_order&site=" + site,
                a -> is(a, "groups[0].table[0].day", 243));
        assertEquals(10, corrected.getInt("overall.n"), "redelivered events are not counted twice");
        assertEquals(List.of(5, 5), corrected.getList("groups.n", Integer.class));
        JsonPath correctedSummary = summary(site);
        assertEquals(10, correctedSummary.getInt("episodes.count"));
        assertEquals(10, correctedSummary.getInt("episodeType.find { it.level == 'relapse' }.count"));
        assertEquals(0, correctedSummary.getInt("episodeType.find { it.level == 'progression' }.count"));

        // A death and a subsequent malignancy, then their withdrawal with every other kind.
        for (int p = 0; p < 5; p++) {
            String patient = site + "-P" + p;
            send(EPISODES, patient, "FollowUpRecorded", followUp(site, patient, uuid(patient + ":F2"), "2022-02-01", "2022-02-01"));
            send(EPISODES, patient, "SecondMalignancyRecorded", """
                    {"secondMalignancyId":"%s","site":"%s","recordId":"SM-1","patientPseudonym":"%s","diagnosisDate":"2021-03-01"}"""
                    .formatted(uuid(patient + ":SM"), site, patient));
        }
        JsonPath dead = awaitSurvival("endpoint=OS&site=" + site, a -> is(a, "overall.events", 10));
        assertEquals(10, dead.getInt("overall.n"));
        JsonPath malignancy = awaitSurvival("endpoint=EFS&groupBy=episode_order&site=" + site, a -> is(a, "groups[0].table[0].day", 59));
        assertEquals(List.of(5, 5), malignancy.getList("groups.events", Integer.class), "the malignancy ends the first, death the second");
        assertEquals(5, summary(site).getInt("secondMalignancies.count"));

        for (int p = 0; p < 5; p++) {
            String patient = site + "-P" + p;
            send(EPISODES, patient, "SecondMalignancyWithdrawn", withdrawal("second-malignancy", uuid(patient + ":SM"), site, "SM-1", patient, ""));
            send(EPISODES, patient, "FollowUpWithdrawn", withdrawal("follow-up", uuid(patient + ":F2"), site, "FU-2022-02-01", patient,
                    ",\"lastFollowUpDate\":\"2022-01-01\""));
            send(EPISODES, patient, "EpisodeWithdrawn", withdrawal("episode", uuid(patient + ":E2"), site, "EP-2", patient, ""));
            send(EPISODES, patient, "ResponseAssessmentWithdrawn", withdrawal("response-assessment", uuid(patient + ":A1"), site, "RA-1", patient, ""));
            send(TREATMENTS, patient, "TreatmentWithdrawn", withdrawal("treatment", uuid(patient + ":T1"), site, "TR-1", patient, ""));
            send(EPISODES, patient, "PatientWithdrawn", withdrawal("patient", uuid(patient + ":PT"), site, "PT-1", patient, ""));
        }
        JsonPath retracted = awaitSurvival("endpoint=EFS&site=" + site, a -> is(a, "overall.n", 5) && is(a, "overall.events", 0));
        assertEquals(365, retracted.getInt("overall.table[0].day"), "EFS of the remaining episode reopens to the last follow-up");
        assertEquals(0, awaitSurvival("endpoint=OS&site=" + site, a -> is(a, "overall.n", 5)).getInt("overall.events"));
        // The treatment withdrawals travel on the other topic: awaited on their own.
        JsonPath noTreatment = awaitSurvival("endpoint=EFS&groupBy=irinotecan_or_topotecan&site=" + site,
                a -> List.of("no").equals(a.getList("groups.level")));
        assertEquals(5, noTreatment.getInt("groups[0].n"), "no line left: not used");
        JsonPath noResponse = awaitSurvival("endpoint=EFS&groupBy=response_or_stabilisation&site=" + site, a -> is(a, "excluded", 5));
        assertEquals(List.of(), noResponse.getList("groups"));
        JsonPath summary = RegistryEvents.await(() -> summary(site), a -> is(a, "mycnStatus.find { it.level == 'unknown' }.count", 5));
        assertEquals(0, summary.getInt("secondMalignancies.count"));
        assertEquals(5, summary.getInt("episodes.count"));
        assertEquals(5, summary.getInt("bestResponse.find { it.level == 'not_assessed' }.count"));
    }

    private void send(String topic, String patient, String type, String data) {
        String[] e = event(topic, patient, type, data);
        kafka().send(e[0], e[1], e[2]);
    }

    /** Topic, key and envelope; the envelope id is derived from the content, so sending it again is a redelivery. */
    private static String[] event(String topic, String patient, String type, String data) {
        return new String[] {topic, patient, RegistryEvents.envelope(RegistryEvents.id(type + data), type, patient, "episode-service", data)};
    }

    private static String episode(String site, String patient, String episodeId, String recordId, String type, String date, int order,
                                  String more) {
        return """
                {"episodeId":"%s","site":"%s","recordId":"%s","patientPseudonym":"%s","episodeType":"%s","episodeDate":"%s",
                 "episodeOrder":%d%s}""".formatted(episodeId, site, recordId, patient, type, date, order, more);
    }

    private static String treatment(String site, String patient, String treatmentId, String recordId, String episodeRecordId,
                                    String categories, String agentCodes) {
        return """
                {"treatmentId":"%s","site":"%s","recordId":"%s","patientPseudonym":"%s","episodeRecordId":"%s","category":"chemotherapy",
                 "startDate":"2021-01-05","lineNumber":1,"categories":[%s],"agentCodes":[%s]}"""
                .formatted(treatmentId, site, recordId, patient, episodeRecordId, categories, agentCodes);
    }

    private static String assessment(String site, String patient, String assessmentId, String episodeId, String episodeRecordId,
                                     String overall) {
        String component = overall.equals("PD") ? "PD" : "PR";
        return """
                {"assessmentId":"%s","site":"%s","recordId":"RA-1","patientPseudonym":"%s","episodeId":"%s","episodeRecordId":"%s",
                 "assessmentDate":"2021-03-15","primaryResponse":"%s","metastaticResponse":"%s","boneMarrowResponse":"CR",
                 "overallResponse":"%s","responseSystem":"INRC 2017","needsCentralReview":false}"""
                .formatted(assessmentId, site, patient, episodeId, episodeRecordId, component, component, overall);
    }

    private static String followUp(String site, String patient, String followUpId, String date, String death) {
        return """
                {"followUpId":"%s","site":"%s","recordId":"FU-%s","patientPseudonym":"%s","date":"%s","vitalStatus":"%s",
                 "lastFollowUpDate":"%s","deathDate":%s}""".formatted(followUpId, site, date, patient, date, death == null ? "alive" : "dead",
                date, death == null ? "null" : "\"" + death + "\"");
    }

    private static String withdrawal(String recordType, String id, String site, String recordId, String patient, String more) {
        return """
                {"recordType":"%s","id":"%s","site":"%s","recordId":"%s","patientPseudonym":"%s"%s}"""
                .formatted(recordType, id, site, recordId, patient, more);
    }

    /** Null-safe while the state is not there yet (a small count is withheld, a missing group has no fields). */
    private static boolean is(JsonPath answer, String path, int value) {
        return Integer.valueOf(value).equals(answer.get(path));
    }

    private static String uuid(String name) {
        return RegistryEvents.id(name).toString();
    }

    private static String uniqueSite() {
        return "D" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
    }

    private static JsonPath awaitSurvival(String query, Predicate<JsonPath> condition) {
        return RegistryEvents.await(() -> given().get("/v1/survival?" + query).then().statusCode(200).extract().jsonPath(), condition);
    }

    private static JsonPath summary(String site) {
        return given().get("/v1/cohort/summary?site=" + site).then().statusCode(200).extract().jsonPath();
    }
}
