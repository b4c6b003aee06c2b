package org.nbregistry.analytics.dataset;

import org.junit.jupiter.api.Test;
import org.nbregistry.analytics.dataset.PatientHistory.EpisodeFacts;
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
                .withFollowUp("f", day(400), day(380)).withSecondMalignancy("s", day(120)));
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
        assertNull(second.get("irinotecan_or_topotecan"), "unavailable until treatment events carry agents");
    }

    @Test
    void everyAvailableFactorButNoUnavailableOneIsACovariate() {
        AnalysisRecord r = only(patient(episode("E1", "relapse", 0, 1)));
        assertEquals(Factors.availableFactors().size(), r.covariates().size());
        assertTrue(Factors.all().stream().anyMatch(f -> !f.available()));
        assertFalse(r.covariates().containsKey("irinotecan_or_topotecan"));
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
