package org.nbregistry.analytics.statistics;

import org.nbregistry.analytics.dataset.AnalysisRecord;
import org.nbregistry.analytics.dataset.Factors;
import org.nbregistry.analytics.statistics.Disclosure.DisclosedCount;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The study's descriptive table (DOMAIN.md (c) 1, 2 and 4) over a cohort's analysis records, with disclosure control:
 * patients and episodes, episodes per patient, episode type and order, the use of each treatment category and the
 * counts per site. What the events do not carry yet is listed as not available, never estimated.
 *
 * @param episodesPerPatient patients with 1, 2, and 3 or more episodes in the cohort
 * @param meanEpisodesPerPatient null unless both totals are shown
 */
public record CohortSummary(DisclosedCount patients, DisclosedCount episodes, Double meanEpisodesPerPatient,
                            List<DisclosedCount> episodesPerPatient, List<DisclosedCount> episodeType,
                            List<DisclosedCount> episodeOrder, List<TreatmentUse> treatmentUse, List<SiteCounts> sites,
                            List<NotYetAvailable> notYetAvailable) {

    /** @param used episodes whose treatment included the category, as a share of the cohort's episodes */
    public record TreatmentUse(String category, String label, DisclosedCount used) {
    }

    /** One site's episodes and patients (a patient seen at two sites counts at both). */
    public record SiteCounts(String site, DisclosedCount episodes, DisclosedCount patients) {
    }

    /** An item of the study's table that cannot be computed from the events analytics receives today. */
    public record NotYetAvailable(String item, String reason) {
    }

    static final String EPISODE_FIELD_MISSING = "not carried by the episode events analytics receives yet";
    /** In the order of the study's table; each moves into the summary once the events carry it. */
    static final List<NotYetAvailable> NOT_YET_AVAILABLE = List.of(
            new NotYetAvailable("MYCN status", EPISODE_FIELD_MISSING),
            new NotYetAvailable("Metastatic sites (bone, bone marrow, lymph nodes, liver, CNS, lung)", EPISODE_FIELD_MISSING),
            new NotYetAvailable("Biopsy at the episode", EPISODE_FIELD_MISSING),
            new NotYetAvailable("Molecular profiling at the episode", EPISODE_FIELD_MISSING),
            new NotYetAvailable("Clinical-trial enrolment", "not carried by the episode or treatment events analytics receives yet"),
            new NotYetAvailable("Best overall response (INRC)", "response assessments are not carried by the events analytics receives yet"),
            new NotYetAvailable("Response rate (CR + PR)", "derived from the best overall response, not available yet"),
            new NotYetAvailable("Disease-control rate (CR + PR + MR + SD)", "derived from the best overall response, not available yet"));

    /** The local treatment the study reports together: surgery and/or radiotherapy. */
    static final String LOCAL = "local_surgery_or_radiotherapy";

    public static CohortSummary of(List<AnalysisRecord> records, int minGroupSize) {
        int episodes = records.size();
        Map<String, Integer> perPatient = new HashMap<>();
        records.forEach(r -> perPatient.merge(r.patientPseudonym(), 1, Integer::sum));
        int patients = perPatient.size();
        DisclosedCount patientsCell = Disclosure.single("patients", patients, minGroupSize);
        DisclosedCount episodesCell = Disclosure.single("episodes", episodes, minGroupSize);
        Double mean = patientsCell.suppressed() || episodesCell.suppressed() || patients == 0 ? null
                : Math.round(100.0 * episodes / patients) / 100.0;

        Map<String, Integer> perPatientCounts = new LinkedHashMap<>();
        perPatientCounts.put("1", 0);
        perPatientCounts.put("2", 0);
        perPatientCounts.put("3 or more", 0);
        perPatient.values().forEach(n -> perPatientCounts.merge(n >= 3 ? "3 or more" : Integer.toString(n), 1, Integer::sum));

        Map<String, Integer> types = ordered("refractory", "relapse", "progression");
        Map<String, Integer> order = ordered("first", "successive");
        for (AnalysisRecord r : records) {
            types.merge(r.episodeType(), 1, Integer::sum);
            order.merge(r.episodeOrder() == 1 ? "first" : "successive", 1, Integer::sum);
        }

        List<TreatmentUse> treatments = new ArrayList<>();
        for (String category : Factors.TREATMENT_CATEGORIES) {
            String factor = Factors.treatmentFactorName(category);
            long used = records.stream().filter(r -> "yes".equals(r.level(factor))).count();
            treatments.add(treatmentUse(category, Factors.byName(factor).orElseThrow().label(), (int) used, episodes, minGroupSize));
        }
        long local = records.stream().filter(r -> "yes".equals(r.level("local_surgery")) || "yes".equals(r.level("local_radiotherapy"))).count();
        treatments.add(treatmentUse(LOCAL, "Treatment used: local (surgery and/or radiotherapy)", (int) local, episodes, minGroupSize));

        return new CohortSummary(patientsCell, episodesCell, mean,
                Disclosure.distribution(perPatientCounts, patients, minGroupSize),
                Disclosure.distribution(types, episodes, minGroupSize),
                Disclosure.distribution(order, episodes, minGroupSize),
                List.copyOf(treatments), sites(records, episodes, patients, minGroupSize), NOT_YET_AVAILABLE);
    }

    /** Used and not used are a distribution of the episodes: when either is small, "used" is withheld too. */
    private static TreatmentUse treatmentUse(String category, String label, int used, int episodes, int minGroupSize) {
        Map<String, Integer> split = ordered("yes", "no");
        split.put("yes", used);
        split.put("no", episodes - used);
        return new TreatmentUse(category, label, Disclosure.distribution(split, episodes, minGroupSize).get(0));
    }

    private static List<SiteCounts> sites(List<AnalysisRecord> records, int episodes, int patients, int minGroupSize) {
        Map<String, Integer> episodesBySite = new TreeMap<>();
        Map<String, Set<String>> patientsBySite = new TreeMap<>();
        for (AnalysisRecord r : records) {
            episodesBySite.merge(r.site(), 1, Integer::sum);
            patientsBySite.computeIfAbsent(r.site(), s -> new HashSet<>()).add(r.patientPseudonym());
        }
        Map<String, Integer> patientCounts = new TreeMap<>();
        patientsBySite.forEach((site, ids) -> patientCounts.put(site, ids.size()));
        List<DisclosedCount> e = Disclosure.distribution(episodesBySite, episodes, minGroupSize);
        List<DisclosedCount> p = Disclosure.distribution(patientCounts, patients, minGroupSize);
        List<SiteCounts> sites = new ArrayList<>();
        for (int i = 0; i < e.size(); i++) {
            sites.add(new SiteCounts(e.get(i).level(), e.get(i), p.get(i)));
        }
        return List.copyOf(sites);
    }

    private static Map<String, Integer> ordered(String... levels) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String level : levels) {
            counts.put(level, 0);
        }
        return counts;
    }
}
