package org.nbregistry.analytics.statistics;

import org.junit.jupiter.api.Test;
import org.nbregistry.analytics.dataset.AnalysisRecord;
import org.nbregistry.analytics.dataset.AnalysisRecords;
import org.nbregistry.analytics.dataset.PatientHistory;
import org.nbregistry.analytics.dataset.PatientHistory.AssessmentFacts;
import org.nbregistry.analytics.dataset.PatientHistory.EpisodeFacts;
import org.nbregistry.analytics.dataset.PatientHistory.SecondMalignancyFacts;
import org.nbregistry.analytics.dataset.PatientHistory.TreatmentFacts;
import org.nbregistry.analytics.statistics.Disclosure.DisclosedCount;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The descriptive table: counts as the study reports them, small counts withheld, and what the events do not say as unknown. */
class CohortSummaryTest {

    private static final String SMALL = "fewer than 5 (disclosure control)";

    @Test
    void aCountBelowTheThresholdIsWithheldAndSoIsTheOneThatWouldGiveItAway() {
        List<DisclosedCount> cells = Disclosure.distribution(counts("a", 10, "b", 3, "c", 7), 20, 5);
        assertEquals(new DisclosedCount("a", false, null, 10, 50.0), cells.get(0));
        assertEquals(new DisclosedCount("b", true, SMALL, null, null), cells.get(1));
        assertEquals(new DisclosedCount("c", true, Disclosure.complementary(), null, null), cells.get(2), "20 - 10 - 7 would be b");
    }

    @Test
    void twoSmallCountsProtectEachOtherAndZeroIsShown() {
        List<DisclosedCount> two = Disclosure.distribution(counts("a", 10, "b", 3, "c", 2), 15, 5);
        assertEquals(List.of(false, true, true), two.stream().map(DisclosedCount::suppressed).toList());
        assertEquals(SMALL, two.get(2).suppressionReason());
        List<DisclosedCount> zero = Disclosure.distribution(counts("a", 10, "b", 0, "c", 6), 16, 5);
        assertEquals(List.of(10, 0, 6), zero.stream().map(DisclosedCount::count).toList());
        assertEquals(new DisclosedCount("n", true, SMALL, null, null), Disclosure.single("n", 4, 5));
        assertEquals(0, Disclosure.single("n", 0, 5).count());
    }

    @Test
    void theStudysTableOverEpisodesAndPatients() {
        CohortSummary s = CohortSummary.of(cohort(), 5);
        assertEquals(12, s.patients().count());
        assertEquals(20, s.episodes().count());
        assertEquals(1.67, s.meanEpisodesPerPatient());
        assertEquals(new DisclosedCount("1", false, null, 6, 50.0), s.episodesPerPatient().get(0));
        assertTrue(s.episodesPerPatient().get(1).suppressed() && s.episodesPerPatient().get(2).suppressed(), "4 and 2 patients");
        assertEquals(List.of(5, 7, 8), s.episodeType().stream().map(DisclosedCount::count).toList());
        assertEquals(List.of("refractory", "relapse", "progression"), s.episodeType().stream().map(DisclosedCount::level).toList());
        assertEquals(25.0, s.episodeType().get(0).percent());
        assertEquals(List.of(12, 8), s.episodeOrder().stream().map(DisclosedCount::count).toList());

        Map<String, DisclosedCount> used = new LinkedHashMap<>();
        s.treatmentUse().forEach(t -> used.put(t.category(), t.used()));
        assertEquals(new DisclosedCount("yes", true, Disclosure.complementary(), null, null), used.get("chemotherapy"),
                "18 of 20 would show that 2 had none");
        assertEquals(new DisclosedCount("yes", false, null, 10, 50.0), used.get("immunotherapy"));
        assertEquals(SMALL, used.get("local_surgery").suppressionReason());
        assertEquals(new DisclosedCount("yes", false, null, 7, 35.0), used.get(CohortSummary.LOCAL), "3 surgery + 4 radiotherapy");
        assertEquals(0, used.get("maintenance").count());

        assertEquals(List.of("S01", "S02"), s.sites().stream().map(CohortSummary.SiteCounts::site).toList());
        assertEquals(List.of(14, 6), s.sites().stream().map(c -> c.episodes().count()).toList());
        assertTrue(s.sites().stream().allMatch(c -> c.patients().suppressed()), "2 patients at S02, so S01's 10 is withheld too");

        // Nothing beyond type, order and treatment was recorded: unknown, not "no".
        assertEquals(new DisclosedCount("unknown", false, null, 20, 100.0), s.mycnStatus().get(4));
        assertEquals(new DisclosedCount("unknown", false, null, 20, 100.0), s.biopsy().get(2));
        assertEquals(List.of(0, 0), s.biopsy().subList(0, 2).stream().map(DisclosedCount::count).toList());
        assertEquals(new DisclosedCount("not_assessed", false, null, 20, 100.0), s.bestResponse().get(6));
        assertEquals(0, s.responseRate().assessed().count());
        assertNull(s.responseRate().count().percent(), "no assessed episode: no rate");
    }

    @Test
    void mycnMetastasesWorkUpTrialResponseAndSecondMalignancies() {
        List<AnalysisRecord> records = new ArrayList<>();
        String[] responses = {"CR", "CR", "PR", "PR", "PR", "MR", "SD", "SD", "PD", "PD", "PD", "PD", "NE", null, null, null};
        for (int p = 0; p < responses.length; p++) {
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("mycnStatus", p < 6 ? "amplified" : p < 11 ? "not_amplified" : "not_done");
            attributes.put("metastaticSites", p < 10 ? "bone,bone_marrow" : "liver");
            attributes.put("lymphNodeInvolvement", p < 7 ? "regional" : "none");
            if (p < 11) {
                attributes.put("biopsyPerformed", Boolean.toString(p < 6));
                attributes.put("molecularProfilingPerformed", Boolean.toString(p >= 6));
                attributes.put("clinicalTrialEnrolled", Boolean.toString(p % 2 == 0));
            }
            PatientHistory h = PatientHistory.empty("P" + p).withEpisode("e", new EpisodeFacts("E" + p, "S01", "EP-1", "relapse",
                    LocalDate.of(2021, 1, 1), 1, attributes)).withFollowUp("f", LocalDate.of(2022, 1, 1), null);
            if (responses[p] != null) {
                h = h.withAssessment("a", new AssessmentFacts("A" + p, "E" + p, LocalDate.of(2021, 3, 1), responses[p]));
            }
            if (p < 5) {
                h = h.withSecondMalignancy("s", new SecondMalignancyFacts("SM" + p, LocalDate.of(2021, 9, 1)));
            }
            records.addAll(AnalysisRecords.derive(h));
        }
        CohortSummary s = CohortSummary.of(records, 5);

        assertEquals(List.of("amplified", "gain", "not_amplified", "heterogeneous", "unknown"),
                s.mycnStatus().stream().map(DisclosedCount::level).toList());
        assertEquals(List.of(6, 0, 5, 0, 5), s.mycnStatus().stream().map(DisclosedCount::count).toList());
        Map<String, DisclosedCount> sites = new LinkedHashMap<>();
        s.metastaticSites().forEach(m -> sites.put(m.site(), m.episodes()));
        assertEquals(new DisclosedCount("yes", false, null, 10, 62.5), sites.get("bone"));
        assertEquals(new DisclosedCount("yes", false, null, 6, 37.5), sites.get("liver"));
        assertEquals(0, sites.get("cns").count());
        assertEquals(List.of(7, 9, 0), s.lymphNodeMetastases().stream().map(DisclosedCount::count).toList());
        assertEquals(List.of(6, 5, 5), s.biopsy().stream().map(DisclosedCount::count).toList());
        assertEquals(37.5, s.biopsy().get(0).percent());
        assertEquals(List.of(5, 6, 5), s.molecularProfiling().stream().map(DisclosedCount::count).toList());
        assertEquals(List.of(6, 5, 5), s.trialEnrolment().stream().map(DisclosedCount::count).toList());

        assertEquals(List.of("CR", "PR", "MR", "SD", "PD", "NE", "not_assessed"), s.bestResponse().stream().map(DisclosedCount::level).toList());
        assertTrue(s.bestResponse().stream().allMatch(DisclosedCount::suppressed), "every response has fewer than 5 episodes");
        assertEquals(13, s.responseRate().assessed().count());
        assertEquals(List.of("CR", "PR"), s.responseRate().responses());
        assertEquals(new DisclosedCount("yes", false, null, 5, 38.5), s.responseRate().count(), "CR + PR of the 13 assessed");
        assertEquals(new DisclosedCount("yes", false, null, 8, 61.5), s.diseaseControlRate().count(), "CR + PR + MR + SD");
        assertEquals(new DisclosedCount("yes", false, null, 5, 31.3), s.secondMalignancies(), "5 of 16 patients");
    }

    @Test
    void aCohortBelowTheThresholdShowsNoCount() {
        CohortSummary s = CohortSummary.of(cohort().subList(0, 3), 5);
        assertTrue(s.patients().suppressed() && s.episodes().suppressed());
        assertNull(s.meanEpisodesPerPatient());
        List<DisclosedCount> all = new ArrayList<>(s.episodeType());
        all.addAll(s.episodeOrder());
        s.treatmentUse().forEach(t -> all.add(t.used()));
        assertTrue(all.stream().allMatch(c -> c.suppressed() || c.count() == 0), all.toString());
    }

    /**
     * 12 patients, 20 episodes: six with one episode, four with two, two with three (at S02). First episodes are
     * refractory (patients 0-4) or relapse, later ones progression. Chemotherapy for all but two episodes,
     * immunotherapy for ten, surgery for three and radiotherapy for four other episodes.
     */
    private static List<AnalysisRecord> cohort() {
        List<AnalysisRecord> records = new ArrayList<>();
        int episodeNo = 0;
        for (int p = 0; p < 12; p++) {
            int episodes = p < 6 ? 1 : p < 10 ? 2 : 3;
            String site = p < 10 ? "S01" : "S02";
            PatientHistory h = PatientHistory.empty("P" + p);
            for (int e = 0; e < episodes; e++, episodeNo++) {
                String type = e > 0 ? "progression" : p < 5 ? "refractory" : "relapse";
                LocalDate date = LocalDate.of(2020, 1, 1).plusDays(200L * e + p);
                String record = "EP-" + e;
                h = h.withEpisode("e" + episodeNo, new EpisodeFacts("E" + p + "-" + e, site, record, type, date, e + 1, Map.of()));
                if (episodeNo >= 2) {
                    h = h.withTreatment("c" + episodeNo, treatment(site, record, "chemotherapy", episodeNo, date));
                }
                if (episodeNo % 2 == 0) {
                    h = h.withTreatment("i" + episodeNo, treatment(site, record, "immunotherapy", episodeNo, date));
                }
                if (episodeNo >= 10 && episodeNo < 13) {
                    h = h.withTreatment("s" + episodeNo, treatment(site, record, "local_surgery", episodeNo, date));
                }
                if (episodeNo >= 13 && episodeNo < 17) {
                    h = h.withTreatment("r" + episodeNo, treatment(site, record, "local_radiotherapy", episodeNo, date));
                }
            }
            h = h.withFollowUp("f" + p, LocalDate.of(2023, 1, 1), null).nextVersion();
            records.addAll(AnalysisRecords.derive(h));
        }
        return records;
    }

    private static TreatmentFacts treatment(String site, String episodeRecord, String category, int n, LocalDate date) {
        return new TreatmentFacts(category + n, site, "TR-" + category + n, episodeRecord, category, date, Map.of());
    }

    private static Map<String, Integer> counts(Object... levelsAndCounts) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < levelsAndCounts.length; i += 2) {
            counts.put((String) levelsAndCounts[i], (Integer) levelsAndCounts[i + 1]);
        }
        return counts;
    }
}
