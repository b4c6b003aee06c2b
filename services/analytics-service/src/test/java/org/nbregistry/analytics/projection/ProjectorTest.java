package org.nbregistry.analytics.projection;

import org.junit.jupiter.api.Test;
import org.nbregistry.analytics.dataset.AnalysisRecord;
import org.nbregistry.analytics.dataset.AnalysisRecords;
import org.nbregistry.analytics.dataset.PatientHistory;
import org.nbregistry.support.events.EventCodec;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each event type of registry.episode-events and registry.treatment-events, as the write side publishes it, changes the history. */
class ProjectorTest {

    private static final String PATIENT = "PSN-proj-1";
    private static final String EPISODE_1 = "00000000-0000-0000-0000-0000000000e1";
    private static final String EPISODE_2 = "00000000-0000-0000-0000-0000000000e2";

    @Test
    void nestedFieldsBecomeCamelCaseAttributesAndCodeListsCommaSeparatedText() {
        PatientHistory h = apply(PatientHistory.empty(PATIENT), "EpisodeRecorded", episode(EPISODE_1, "EP-1", "2022-01-10", 1, """
                ,"metastaticSites":["bone","regional_lymph_nodes"],"lymphNodeInvolvement":"regional","biopsy":{"performed":true,
                "date":"2022-01-12"},"molecularProfiling":{"performed":false,"methods":[]},"mycnStatus":"amplified",
                "clinicalTrial":{"enrolled":true,"registryId":"NCT01234567"},"bestOverallResponse":"PR\""""));
        Map<String, String> attributes = h.episodes().get(0).attributes();
        assertEquals("bone,regional_lymph_nodes", attributes.get("metastaticSites"));
        assertEquals("true", attributes.get("biopsyPerformed"));
        assertEquals("2022-01-12", attributes.get("biopsyDate"));
        assertEquals("false", attributes.get("molecularProfilingPerformed"));
        assertEquals("", attributes.get("molecularProfilingMethods"));
        assertEquals("NCT01234567", attributes.get("clinicalTrialRegistryId"));
        AnalysisRecord r = AnalysisRecords.derive(h).get(0);
        Map.of("mycn_amplified", "yes", "lymph_node_metastases", "yes", "biopsy", "yes", "molecular_profiling", "no",
                "trial_enrolment", "yes").forEach((factor, level) -> assertEquals(level, r.level(factor), factor));
        assertNull(r.level("response_or_stabilisation"), "the best response is taken from the assessments analytics holds");
    }

    @Test
    void aTreatmentLineWithItsCategoriesAndAgentCodes() {
        PatientHistory h = apply(episodeOne(), "TreatmentRecorded", """
                {"treatmentId":"%s","site":"S01","recordId":"TR-1","patientPseudonym":"%s","episodeRecordId":"EP-1",
                 "category":"chemotherapy","startDate":"2022-01-15","lineNumber":1,"categories":["chemotherapy","immunotherapy"],
                 "agentCodes":["irinotecan","temozolomide","dinutuximab_beta"],"components":[{"category":"chemotherapy","agents":[
                 {"code":"irinotecan","name":"Irinotecan","ncitCode":"C62040","agentClass":"cytotoxic"}]}]}"""
                .formatted(UUID.randomUUID(), PATIENT));
        AnalysisRecord r = AnalysisRecords.derive(h).get(0);
        assertEquals("yes", r.level("irinotecan_or_topotecan"));
        assertEquals("yes", r.level("immunotherapy"));
        assertEquals("no", r.level("local_radiotherapy"));
        assertTrue(h.treatments().get(0).attributes().get("components").startsWith("[{"), "a list of objects stays JSON");

        PatientHistory withdrawn = apply(h, "TreatmentWithdrawn", withdrawal("treatment", h.treatments().get(0).treatmentId(), "TR-1", ""));
        assertEquals("no", AnalysisRecords.derive(withdrawn).get(0).level("immunotherapy"));
    }

    @Test
    void assessmentsGiveTheBestResponseAndTheirWithdrawalTakesItBack() {
        String assessment = UUID.randomUUID().toString();
        PatientHistory h = apply(episodeOne(), "ResponseAssessmentRecorded", """
                {"assessmentId":"%s","site":"S01","recordId":"RA-1","patientPseudonym":"%s","episodeId":"%s","episodeRecordId":"EP-1",
                 "assessmentDate":"2022-03-01","primaryResponse":"PR","metastaticResponse":"PR","boneMarrowResponse":"CR",
                 "overallResponse":"PR","responseSystem":"INRC 2017","needsCentralReview":false}""".formatted(assessment, PATIENT, EPISODE_1));
        assertEquals("PR", AnalysisRecords.derive(h).get(0).characteristics().bestResponse());
        assertEquals("yes", AnalysisRecords.derive(h).get(0).level("response_or_stabilisation"));
        PatientHistory withdrawn = apply(h, "ResponseAssessmentWithdrawn", withdrawal("response-assessment", assessment, "RA-1", ""));
        assertNull(AnalysisRecords.derive(withdrawn).get(0).characteristics().bestResponse());
    }

    @Test
    void followUpsSecondMalignanciesAndTheirWithdrawals() {
        PatientHistory h = apply(episodeOne(), "FollowUpRecorded", """
                {"followUpId":"%s","site":"S01","recordId":"FU-1","patientPseudonym":"%s","date":"2022-06-01","vitalStatus":"dead",
                 "lastFollowUpDate":"2022-06-01","deathDate":"2022-06-01","causeOfDeath":"disease_progression"}"""
                .formatted(UUID.randomUUID(), PATIENT));
        assertTrue(AnalysisRecords.derive(h).get(0).osEvent());
        PatientHistory reopened = apply(h, "FollowUpWithdrawn", withdrawal("follow-up", UUID.randomUUID().toString(), "FU-1",
                ",\"lastFollowUpDate\":\"2022-04-01\""));
        assertEquals(LocalDate.parse("2022-04-01"), reopened.lastFollowUpDate());
        assertNull(reopened.deathDate());

        String smn = UUID.randomUUID().toString();
        PatientHistory malignancy = apply(reopened, "SecondMalignancyRecorded", """
                {"secondMalignancyId":"%s","site":"S01","recordId":"SM-1","patientPseudonym":"%s","diagnosisDate":"2022-03-01",
                 "diagnosis":"AML"}""".formatted(smn, PATIENT));
        assertEquals("second_malignancy", AnalysisRecords.derive(malignancy).get(0).efsEnd());
        PatientHistory withdrawn = apply(malignancy, "SecondMalignancyWithdrawn", withdrawal("second-malignancy", smn, "SM-1", ""));
        assertEquals("censored", AnalysisRecords.derive(withdrawn).get(0).efsEnd());
    }

    @Test
    void aWithdrawnEpisodeAndTheRenumberedOneAfterIt() {
        PatientHistory two = apply(episodeOne(), "EpisodeRecorded", episode(EPISODE_2, "EP-2", "2022-05-01", 2, ""));
        assertEquals("next_episode", AnalysisRecords.derive(two).get(0).efsEnd());
        PatientHistory withdrawn = apply(two, "EpisodeWithdrawn", withdrawal("episode", EPISODE_1, "EP-1", ""));
        PatientHistory renumbered = apply(withdrawn, "EpisodeRecorded", episode(EPISODE_2, "EP-2", "2022-05-01", 1, ""));
        List<AnalysisRecord> records = AnalysisRecords.derive(renumbered);
        assertEquals(1, records.size());
        assertEquals("first", records.get(0).level("episode_order"));
    }

    @Test
    void aPatientWithdrawalTakesThatPatientRecordOnly() {
        String patientId = UUID.randomUUID().toString();
        PatientHistory h = apply(episodeOne(), "PatientRecorded", """
                {"patientId":"%s","site":"S01","recordId":"PT-1","patientPseudonym":"%s","sex":"female","initialDiagnosisDate":"2020-02-01",
                 "mycnStatusAtDiagnosis":"amplified","frontline":{"hdcAsct":"single","antiGd2":true}}""".formatted(patientId, PATIENT));
        assertEquals("yes", AnalysisRecords.derive(h).get(0).level("mycn_amplified"));
        assertEquals("true", h.patient().attributes().get("frontlineAntiGd2"));
        PatientHistory other = apply(h, "PatientWithdrawn", withdrawal("patient", UUID.randomUUID().toString(), "PT-9", ""));
        assertEquals(h.patient(), other.patient(), "another patient record's withdrawal changes nothing here");
        PatientHistory withdrawn = apply(h, "PatientWithdrawn", withdrawal("patient", patientId, "PT-1", ""));
        assertNull(withdrawn.patient());
        assertEquals(1, withdrawn.episodes().size(), "episode-service keeps the episodes and publishes them again");
    }

    private static PatientHistory episodeOne() {
        return apply(PatientHistory.empty(PATIENT), "EpisodeRecorded", episode(EPISODE_1, "EP-1", "2022-01-10", 1, ""));
    }

    private static PatientHistory apply(PatientHistory h, String type, String data) {
        String id = UUID.randomUUID().toString();
        PatientHistory next = Projector.change(h, EventCodec.read("""
                {"id":"%s","type":"%s","schemaVersion":1,"occurredAt":"2026-01-01T00:00:00Z","source":"episode-service",
                 "subject":"%s","correlationId":"c","data":%s}""".formatted(id, type, PATIENT, data)));
        assertTrue(next.hasApplied(id));
        return next;
    }

    private static String episode(String episodeId, String recordId, String date, int order, String more) {
        return """
                {"episodeId":"%s","site":"S01","recordId":"%s","patientPseudonym":"%s","episodeType":"relapse","episodeDate":"%s",
                 "episodeOrder":%d%s}""".formatted(episodeId, recordId, PATIENT, date, order, more);
    }

    private static String withdrawal(String recordType, String id, String recordId, String more) {
        return """
                {"recordType":"%s","id":"%s","site":"S01","recordId":"%s","patientPseudonym":"%s"%s}"""
                .formatted(recordType, id, recordId, PATIENT, more);
    }
}
