package org.nbregistry.analytics.dataset;

import org.junit.jupiter.api.Test;
import org.nbregistry.analytics.dataset.PatientHistory.AssessmentFacts;
import org.nbregistry.analytics.dataset.PatientHistory.EpisodeFacts;
import org.nbregistry.analytics.dataset.PatientHistory.PatientFacts;
import org.nbregistry.analytics.dataset.PatientHistory.SecondMalignancyFacts;
import org.nbregistry.analytics.dataset.PatientHistory.TreatmentFacts;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** EFS and OS of each episode, case by case (DOMAIN.md "Time-to-event"). */
class AnalysisRecordsTest {

    private static final LocalDate T0 = LocalDate.of(2020, 1, 1);

    @Test
    void anEpisodeAliveAtFollowUpIsCensoredThereOnBothEndpoints() {
        AnalysisRecord r = only(patient(episode("E1", "relapse", 0, 1)).withFollowUp("f", day(60), null));
        assertEfs(r, 60, false, "censored");
        assertOs(r, 60, false);
    }

    @Test
    void withoutFollowUpOrWithFollowUpBeforeTheEpisodeItIsCensoredOnItsOwnDate() {
        assertOs(only(patient(episode("E1", "relapse", 0, 1))), 0, false);
        AnalysisRecord early = only(patient(episode("E1", "relapse", 0, 1)).withFollowUp("f", day(-30), null));
        assertEfs(early, 0, false, "censored");
        assertOs(early, 0, false);
    }

    @Test
    void aLaterEpisodeClosesTheEarlierOnesEfsButNotItsOs() {
        List<AnalysisRecord> rs = derive(patient(episode("E1", "refractory", 0, 1), episode("E2", "progression", 200, 2))
                .withFollowUp("f", day(500), null));
        assertEfs(rs.get(0), 200, true, "next_episode");
        assertOs(rs.get(0), 500, false);
        assertEfs(rs.get(1), 300, false, "censored");
        assertOs(rs.get(1), 300, false);
    }

    @Test
    void onlyTheNextEpisodeClosesEfsNotTheOneAfter() {
        List<AnalysisRecord> rs = derive(patient(episode("E1", "relapse", 0, 1), episode("E3", "relapse", 400, 3),
                episode("E2", "relapse", 100, 2)).withFollowUp("f", day(500), null));
        assertEquals(List.of("E1", "E2", "E3"), rs.stream().map(AnalysisRecord::episodeId).toList());
        assertEfs(rs.get(0), 100, true, "next_episode");
        assertEfs(rs.get(1), 300, true, "next_episode");
        assertEfs(rs.get(2), 100, false, "censored");
    }

    @Test
    void aDeathClosesOsAndEfsOfEveryOpenEpisode() {
        List<AnalysisRecord> rs = derive(patient(episode("E1", "relapse", 0, 1), episode("E2", "progression", 100, 2))
                .withFollowUp("f", day(250), day(250)));
        assertEfs(rs.get(0), 100, true, "next_episode");
        assertOs(rs.get(0), 250, true);
        assertEfs(rs.get(1), 150, true, "death");
        assertOs(rs.get(1), 150, true);
    }

    @Test
    void aDeathOnTheEpisodeDateIsAnEventOnDayZero() {
        AnalysisRecord r = only(patient(episode("E1", "relapse", 0, 1)).withFollowUp("f", day(0), day(0)));
        assertEfs(r, 0, true, "death");
        assertOs(r, 0, true);
    }

    @Test
    void aSecondMalignancyEndsEfsWhenItComesFirst() {
        List<AnalysisRecord> rs = derive(patient(episode("E1", "relapse", 0, 1), episode("E2", "relapse", 300, 2))
                .withFollowUp("f", day(400), day(380)).withSecondMalignancy("s", new SecondMalignancyFacts("SM1", day(120))));
        assertEfs(rs.get(0), 120, true, "second_malignancy");
        assertOs(rs.get(0), 380, true);
        // Before the second episode's date: not an event of that episode; death is.
        assertEfs(rs.get(1), 80, true, "death");
    }

    @Test
    void aLaterEpisodeShowsThePatientAliveEvenWithoutALaterFollowUp() {
        List<AnalysisRecord> rs = derive(patient(episode("E1", "relapse", 0, 1), episode("E2", "relapse", 300, 2))
                .withFollowUp("f", day(100), null));
        assertOs(rs.get(0), 300, false);
        assertOs(rs.get(1), 0, false);
    }

    @Test
    void aDataCutOffHidesWhatCameAfterIt() {
        PatientHistory h = patient(episode("E1", "relapse", 0, 1), episode("E2", "relapse", 300, 2))
                .withFollowUp("f", day(500), day(500));
        List<AnalysisRecord> rs = AnalysisRecords.derive(h, day(200));
        assertEquals(1, rs.size(), "the second episode is after the cut-off");
        assertEfs(rs.get(0), 200, false, "censored");
        assertOs(rs.get(0), 200, false);
        List<AnalysisRecord> later = AnalysisRecords.derive(h.withFollowUp("g", day(150), null), day(200));
        assertOs(later.get(0), 150, false);
    }

    @Test
    void aCorrectedEpisodeReplacesTheOldOne() {
        PatientHistory h = patient(episode("E1", "relapse", 0, 1)).withEpisode("e2", episode("E1", "progression", 10, 1))
                .withFollowUp("f", day(70), null);
        AnalysisRecord r = only(h);
        assertEquals("progression", r.episodeType());
        assertOs(r, 60, false);
    }

    @Test
    void covariatesComeFromTheEpisodeAndItsOwnTreatments() {
        PatientHistory h = patient(episode("E1", "refractory", 0, 1), episode("E2", "relapse", 400, 2))
                .withTreatment("t1", treatment("T1", "EP-E1", "chemotherapy"))
                .withTreatment("t2", treatment("T2", "EP-E1", "local_radiotherapy"))
                .withTreatment("t3", treatment("T3", "EP-E2", "immunotherapy"))
                .withTreatment("t4", new TreatmentFacts("T4", "S02", "TR-T4", "EP-E2", "chemotherapy", day(400), Map.of()));
        List<AnalysisRecord> rs = derive(h);
        Map<String, String> first = rs.get(0).covariates();
        assertEquals("refractory", first.get("episode_type"));
        assertEquals("first", first.get("episode_order"));
        assertEquals("S01", first.get("site"));
        assertEquals("2020", first.get("period"));
        assertEquals("yes", first.get("chemotherapy"));
        assertEquals("yes", first.get("local_radiotherapy"));
        assertEquals("no", first.get("immunotherapy"));
        assertEquals("no", first.get("other_treatment"));
        Map<String, String> second = rs.get(1).covariates();
        assertEquals("relapse_progression", second.get("episode_type"));
        assertEquals("successive", second.get("episode_order"));
        assertEquals("2021", second.get("period"));
        assertEquals("yes", second.get("immunotherapy"));
        assertEquals("no", second.get("chemotherapy"), "another site's record with the same id is not this episode's");
        assertNull(second.get("irinotecan_or_topotecan"), "its lines do not list their agents");
    }

    @Test
    void aWithdrawnEpisodeIsGoneAndTheEarlierEpisodeEndsAtTheNextRemainingOne() {
        PatientHistory h = patient(episode("E1", "relapse", 0, 1), episode("E2", "relapse", 200, 2), episode("E3", "progression", 400, 3))
                .withFollowUp("f", day(500), null);
        List<AnalysisRecord> rs = derive(h.withoutEpisode("w", "E2"));
        assertEquals(List.of("E1", "E3"), rs.stream().map(AnalysisRecord::episodeId).toList());
        assertEfs(rs.get(0), 400, true, "next_episode");
    }

    @Test
    void withdrawingTheLastEpisodeReopensTheEfsOfTheOneBefore() {
        PatientHistory h = patient(episode("E1", "relapse", 0, 1), episode("E2", "relapse", 200, 2)).withFollowUp("f", day(500), null);
        assertEfs(derive(h).get(0), 200, true, "next_episode");
        AnalysisRecord r = only(h.withoutEpisode("w", "E2"));
        assertEfs(r, 500, false, "censored");
        assertOs(r, 500, false);
    }

    @Test
    void aWithdrawnEpisodeTakesItsAssessmentsWithIt() {
        PatientHistory h = patient(episode("E1", "relapse", 0, 1), episode("E2", "relapse", 200, 2))
                .withAssessment("a", new AssessmentFacts("A1", "E2", day(260), "PR"));
        PatientHistory without = h.withoutEpisode("w", "E2");
        assertTrue(without.assessments().isEmpty());
        assertEquals(1, without.episodes().size());
    }

    @Test
    void aWithdrawnDeathReopensOsAndEfs() {
        PatientHistory dead = patient(episode("E1", "relapse", 0, 1)).withFollowUp("f", day(250), day(250));
        assertOs(only(dead), 250, true);
        // FollowUpWithdrawn carries the summary of the follow-ups that remain.
        AnalysisRecord reopened = only(dead.withFollowUp("w", day(180), null));
        assertOs(reopened, 180, false);
        assertEfs(reopened, 180, false, "censored");
        AnalysisRecord noFollowUpLeft = only(dead.withFollowUp("w2", null, null));
        assertOs(noFollowUpLeft, 0, false);
    }

    @Test
    void theFirstSecondMalignancyOnOrAfterEachEpisodeEndsItsEfsAndAWithdrawnOneNoLonger() {
        PatientHistory h = patient(episode("E1", "relapse", 0, 1), episode("E2", "relapse", 300, 2)).withFollowUp("f", day(600), null)
                .withSecondMalignancy("s1", new SecondMalignancyFacts("SM1", day(120)))
                .withSecondMalignancy("s2", new SecondMalignancyFacts("SM2", day(450)));
        List<AnalysisRecord> rs = derive(h);
        assertEfs(rs.get(0), 120, true, "second_malignancy");
        assertEfs(rs.get(1), 150, true, "second_malignancy");
        assertTrue(rs.get(0).characteristics().patientSecondMalignancy());
        List<AnalysisRecord> without = derive(h.withoutSecondMalignancy("w", "SM1"));
        assertEfs(without.get(0), 300, true, "next_episode");
        // A corrected diagnosis date (same id) replaces the first.
        List<AnalysisRecord> corrected = derive(h.withSecondMalignancy("c", new SecondMalignancyFacts("SM2", day(500))));
        assertEfs(corrected.get(1), 200, true, "second_malignancy");
        assertFalse(derive(h.withoutSecondMalignancy("w", "SM1").withoutSecondMalignancy("w2", "SM2")).get(0)
                .characteristics().patientSecondMalignancy());
    }

    @Test
    void withdrawnOrCorrectedTreatmentsAndAssessmentsChangeTheCovariates() {
        PatientHistory h = patient(episode("E1", "relapse", 0, 1))
                .withTreatment("t", treatment("T1", "EP-E1", "immunotherapy"))
                .withAssessment("a", new AssessmentFacts("A1", "E1", day(60), "PD"));
        assertEquals("yes", only(h).level("immunotherapy"));
        assertEquals("no", only(h).level("response_or_stabilisation"));
        PatientHistory corrected = h.withTreatment("t2", treatment("T1", "EP-E1", "chemotherapy"))
                .withAssessment("a2", new AssessmentFacts("A1", "E1", day(60), "SD"));
        assertEquals(1, corrected.treatments().size());
        assertEquals("no", only(corrected).level("immunotherapy"));
        assertEquals("yes", only(corrected).level("chemotherapy"));
        assertEquals("yes", only(corrected).level("response_or_stabilisation"));
        PatientHistory withdrawn = corrected.withoutTreatment("w", "T1").withoutAssessment("w2", "A1");
        assertEquals("no", only(withdrawn).level("chemotherapy"));
        assertNull(only(withdrawn).level("response_or_stabilisation"), "no assessment left: unknown");
        assertNull(only(withdrawn).characteristics().bestResponse());
    }

    @Test
    void aWithdrawnPatientRecordTakesOnlyItsOwnFacts() {
        PatientHistory h = patient(episode("E1", "relapse", 0, 1)).withFollowUp("f", day(90), null)
                .withPatient("p", new PatientFacts("P1", "S01", "PT-1", Map.of("mycnStatusAtDiagnosis", "amplified")));
        assertEquals("yes", only(h).level("mycn_amplified"));
        AnalysisRecord after = only(h.withoutPatient("w"));
        assertNull(after.level("mycn_amplified"));
        assertOs(after, 90, false);
    }

    @Test
    void aDataCutOffHidesLaterAssessmentsTreatmentsAndMalignancies() {
        PatientHistory h = patient(episode("E1", "relapse", 0, 1)).withFollowUp("f", day(500), null)
                .withAssessment("a", new AssessmentFacts("A1", "E1", day(300), "CR"))
                .withTreatment("t", new TreatmentFacts("T1", "S01", "TR-1", "EP-E1", "immunotherapy", day(250), Map.of()))
                .withSecondMalignancy("s", new SecondMalignancyFacts("SM1", day(400)));
        AnalysisRecord r = AnalysisRecords.derive(h, day(200)).get(0);
        assertNull(r.characteristics().bestResponse());
        assertEquals("no", r.level("immunotherapy"));
        assertFalse(r.characteristics().patientSecondMalignancy());
        assertEfs(r, 200, false, "censored");
        assertEquals("CR", AnalysisRecords.derive(h, day(300)).get(0).characteristics().bestResponse());
    }

    private static List<AnalysisRecord> derive(PatientHistory h) {
        return AnalysisRecords.derive(h);
    }

    private static AnalysisRecord only(PatientHistory h) {
        List<AnalysisRecord> rs = derive(h);
        assertEquals(1, rs.size());
        return rs.get(0);
    }

    private static void assertEfs(AnalysisRecord r, int days, boolean event, String end) {
        assertEquals(days, r.efsDays(), "EFS days of " + r.episodeId());
        assertEquals(event, r.efsEvent(), "EFS event of " + r.episodeId());
        assertEquals(end, r.efsEnd(), "EFS end of " + r.episodeId());
    }

    private static void assertOs(AnalysisRecord r, int days, boolean event) {
        assertEquals(days, r.osDays(), "OS days of " + r.episodeId());
        assertEquals(event, r.osEvent(), "OS event of " + r.episodeId());
    }

    static LocalDate day(int offset) {
        return T0.plusDays(offset);
    }

    static EpisodeFacts episode(String id, String type, int day, int order) {
        return new EpisodeFacts(id, "S01", "EP-" + id, type, day(day), order, Map.of());
    }

    static TreatmentFacts treatment(String id, String episodeRecordId, String category) {
        return new TreatmentFacts(id, "S01", "TR-" + id, episodeRecordId, category, T0, Map.of());
    }

    static PatientHistory patient(EpisodeFacts... episodes) {
        PatientHistory h = PatientHistory.empty("PSN-1");
        for (EpisodeFacts e : episodes) {
            h = h.withEpisode("ev-" + e.episodeId(), e);
        }
        return h;
    }
}
