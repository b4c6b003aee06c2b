package org.nbregistry.analytics.dataset;

import org.junit.jupiter.api.Test;
import org.nbregistry.analytics.dataset.PatientHistory.AssessmentFacts;
import org.nbregistry.analytics.dataset.PatientHistory.EpisodeFacts;
import org.nbregistry.analytics.dataset.PatientHistory.PatientFacts;
import org.nbregistry.analytics.dataset.PatientHistory.TreatmentFacts;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every factor's levels, the unknown one included: an episode whose events do not say is left out, never counted as "no". */
class FactorsTest {

    private static final LocalDate T0 = LocalDate.of(2021, 3, 1);

    @Test
    void everyGroupingOfTheStudyIsAvailable() {
        List<String> names = Factors.all().stream().map(Factors.Factor::name).toList();
        assertEquals(List.of("episode_type", "episode_order", "response_or_stabilisation", "mycn_amplified", "lymph_node_metastases",
                "irinotecan_or_topotecan", "chemotherapy", "immunotherapy", "consolidation", "local_surgery", "local_radiotherapy",
                "maintenance", "targeted", "other_treatment", "trial_enrolment", "biopsy", "molecular_profiling", "site", "period"), names);
    }

    @Test
    void responseOrStabilisationFollowsTheBestResponse() {
        assertEquals("yes", level("response_or_stabilisation", assessed("PD", "SD")));
        assertEquals("yes", level("response_or_stabilisation", assessed("MR")));
        assertEquals("yes", level("response_or_stabilisation", assessed("NE", "CR", "PD")));
        assertEquals("no", level("response_or_stabilisation", assessed("PD", "NE")));
        assertNull(level("response_or_stabilisation", assessed("NE")), "not evaluable is unknown");
        assertNull(level("response_or_stabilisation", assessed()), "not assessed is unknown");
        assertEquals("PR", record(assessed("SD", "PR", "PD")).characteristics().bestResponse());
    }

    @Test
    void mycnIsTheEpisodesResultElseThePatientsAtDiagnosis() {
        assertEquals("yes", level("mycn_amplified", history(Map.of("mycnStatus", "amplified"), null)));
        assertEquals("no", level("mycn_amplified", history(Map.of("mycnStatus", "not_amplified"), "amplified")), "the episode's result wins");
        assertEquals("no", level("mycn_amplified", history(Map.of("mycnStatus", "gain"), null)), "gain is not amplification");
        assertEquals("yes", level("mycn_amplified", history(Map.of("mycnStatus", "not_done"), "amplified")));
        assertEquals("yes", level("mycn_amplified", history(Map.of(), "amplified")));
        assertEquals("no", level("mycn_amplified", history(Map.of(), "not_amplified")));
        assertNull(level("mycn_amplified", history(Map.of("mycnStatus", "heterogeneous"), null)));
        assertEquals("heterogeneous", record(history(Map.of("mycnStatus", "heterogeneous"), null)).characteristics().mycnStatus());
        assertNull(level("mycn_amplified", history(Map.of("mycnStatus", "unknown"), "not_done")));
        assertNull(level("mycn_amplified", history(Map.of(), null)));
    }

    @Test
    void lymphNodeMetastasesFromTheInvolvementOrTheMetastaticSites() {
        assertEquals("yes", level("lymph_node_metastases", history(Map.of("lymphNodeInvolvement", "regional"), null)));
        assertEquals("yes", level("lymph_node_metastases", history(Map.of("lymphNodeInvolvement", "distant"), null)));
        assertEquals("yes", level("lymph_node_metastases", history(Map.of("metastaticSites", "bone,distant_lymph_nodes"), null)));
        assertEquals("no", level("lymph_node_metastases", history(Map.of("lymphNodeInvolvement", "none", "metastaticSites", "bone"), null)));
        assertNull(level("lymph_node_metastases", history(Map.of("metastaticSites", "bone"), null)), "sites without the involvement do not tell");
        assertNull(level("lymph_node_metastases", history(Map.of(), null)));
        assertEquals(List.of("bone", "liver"), record(history(Map.of("metastaticSites", "bone,liver"), null)).characteristics().metastaticSites());
    }

    @Test
    void irinotecanOrTopotecanFromTheCodedAgentsOfTheEpisodesLines() {
        assertEquals(Set.of("irinotecan", "topotecan"), Factors.IRINOTECAN_OR_TOPOTECAN, "found by their NCIt codes in the vocabulary");
        assertEquals("yes", level("irinotecan_or_topotecan", treated(line("temozolomide,irinotecan"))));
        assertEquals("yes", level("irinotecan_or_topotecan", treated(line("topotecan,cyclophosphamide"), line(null))));
        assertEquals("no", level("irinotecan_or_topotecan", treated(line("dinutuximab_beta,gm_csf"), line(""))));
        assertEquals("no", level("irinotecan_or_topotecan", treated()), "no line recorded: not used, as for the categories");
        assertNull(level("irinotecan_or_topotecan", treated(line("temozolomide"), line(null))), "a line without agent codes could have had them");
    }

    @Test
    void treatmentCategoriesComeFromEveryComponentOfTheLine() {
        PatientHistory h = treated(new TreatmentFacts("T1", "S01", "TR-1", "EP-1", "chemotherapy", T0,
                Map.of("categories", "chemotherapy,local_radiotherapy,consolidation", "agentCodes", "")));
        assertEquals("yes", level("chemotherapy", h));
        assertEquals("yes", level("local_radiotherapy", h));
        assertEquals("yes", level("consolidation", h));
        assertEquals("no", level("immunotherapy", h));
        assertEquals("no", level("local_surgery", h));
    }

    @Test
    void trialEnrolmentFromTheEpisodeOrItsLines() {
        assertEquals("yes", level("trial_enrolment", history(Map.of("clinicalTrialEnrolled", "true"), null)));
        assertEquals("no", level("trial_enrolment", history(Map.of("clinicalTrialEnrolled", "false"), null)));
        PatientHistory lineInTrial = history(Map.of("clinicalTrialEnrolled", "false"), null).withTreatment("t",
                new TreatmentFacts("T1", "S01", "TR-1", "EP-1", "chemotherapy", T0, Map.of("clinicalTrialEnrolled", "true")));
        assertEquals("yes", level("trial_enrolment", lineInTrial));
        assertNull(level("trial_enrolment", treated(line("irinotecan"))));
    }

    @Test
    void biopsyAndProfilingAsRecordedAtTheEpisode() {
        PatientHistory done = history(Map.of("biopsyPerformed", "true", "molecularProfilingPerformed", "false"), null);
        assertEquals("yes", level("biopsy", done));
        assertEquals("no", level("molecular_profiling", done));
        assertNull(level("biopsy", history(Map.of(), null)));
        assertNull(level("molecular_profiling", history(Map.of(), null)));
    }

    @Test
    void siteAndPeriod() {
        AnalysisRecord r = record(history(Map.of(), null));
        assertEquals("S01", r.level("site"));
        assertEquals("2021", r.level("period"));
        assertEquals("first", r.level("episode_order"));
        assertEquals("relapse_progression", r.level("episode_type"));
    }

    @Test
    void anEpisodeWithNothingRecordedButItselfHasOnlyTheLevelsThatNeedNoMore() {
        Map<String, String> covariates = record(history(Map.of(), null)).covariates();
        Set<String> unknown = new TreeSet<>(Factors.all().stream().map(Factors.Factor::name).toList());
        unknown.removeAll(covariates.keySet());
        assertEquals(Set.of("response_or_stabilisation", "mycn_amplified", "lymph_node_metastases", "trial_enrolment", "biopsy",
                "molecular_profiling"), unknown);
        assertTrue(covariates.entrySet().stream().filter(e -> Factors.TREATMENT_CATEGORIES.stream().map(Factors::treatmentFactorName)
                .anyMatch(e.getKey()::equals)).allMatch(e -> e.getValue().equals("no")));
    }

    private static String level(String factor, PatientHistory h) {
        return record(h).level(factor);
    }

    private static AnalysisRecord record(PatientHistory h) {
        List<AnalysisRecord> records = AnalysisRecords.derive(h);
        assertEquals(1, records.size());
        return records.get(0);
    }

    private static PatientHistory history(Map<String, String> episodeAttributes, String mycnAtDiagnosis) {
        PatientHistory h = PatientHistory.empty("PSN-F").withEpisode("e", new EpisodeFacts("E1", "S01", "EP-1", "relapse", T0, 1,
                episodeAttributes));
        if (mycnAtDiagnosis != null) {
            Map<String, String> patient = new HashMap<>();
            patient.put("mycnStatusAtDiagnosis", mycnAtDiagnosis);
            h = h.withPatient("p", new PatientFacts("P1", "S01", "PT-1", patient));
        }
        return h;
    }

    private static PatientHistory assessed(String... responses) {
        PatientHistory h = history(Map.of(), null);
        for (int i = 0; i < responses.length; i++) {
            h = h.withAssessment("a" + i, new AssessmentFacts("A" + i, "E1", T0.plusDays(30L * (i + 1)), responses[i]));
        }
        return h;
    }

    private static PatientHistory treated(TreatmentFacts... lines) {
        PatientHistory h = history(Map.of(), null);
        for (TreatmentFacts line : lines) {
            h = h.withTreatment("t-" + line.treatmentId(), line);
        }
        return h;
    }

    /** A chemotherapy line with these agent codes (comma-separated), or without the field when null. */
    private static TreatmentFacts line(String agentCodes) {
        String id = UUID.randomUUID().toString();
        return new TreatmentFacts(id, "S01", "TR-" + id, "EP-1", "chemotherapy", T0,
                agentCodes == null ? Map.of() : Map.of("agentCodes", agentCodes));
    }
}
