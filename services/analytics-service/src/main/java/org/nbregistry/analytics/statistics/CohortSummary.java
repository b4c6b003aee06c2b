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
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The study's descriptive table (DOMAIN.md (c) 1–5) over a cohort's analysis records, with disclosure control:
 * patients and episodes, episodes per patient, episode type and order, MYCN, metastatic sites, work-up (biopsy and
 * molecular profiling), the use of each treatment category, trial enrolment, best response with the response and
 * disease-control rates, subsequent malignancies and the counts per site. Percentages are of the cohort's episodes
 * unless a field says otherwise; "unknown" counts the episodes whose events do not say.
 *
 * @param episodesPerPatient     patients with 1, 2, and 3 or more episodes in the cohort
 * @param meanEpisodesPerPatient null unless both totals are shown
 * @param mycnStatus             the episode's MYCN result, else the patient's at diagnosis
 * @param metastaticSites        episodes with each site recorded (a multiple choice: the counts overlap)
 * @param bestResponse           best INRC overall response per episode; not_assessed = no assessment yet
 * @param secondMalignancies     patients with a subsequent malignancy on record, of the cohort's patients
 */
public record CohortSummary(DisclosedCount patients, DisclosedCount episodes, Double meanEpisodesPerPatient,
                            List<DisclosedCount> episodesPerPatient, List<DisclosedCount> episodeType,
                            List<DisclosedCount> episodeOrder, List<DisclosedCount> mycnStatus, List<MetastaticSite> metastaticSites,
                            List<DisclosedCount> lymphNodeMetastases, List<DisclosedCount> biopsy, List<DisclosedCount> molecularProfiling,
                            List<TreatmentUse> treatmentUse, List<DisclosedCount> trialEnrolment, List<DisclosedCount> bestResponse,
                            Rate responseRate, Rate diseaseControlRate, DisclosedCount secondMalignancies, List<SiteCounts> sites) {

    /** @param used episodes whose treatment included the category, as a share of the cohort's episodes */
    public record TreatmentUse(String category, String label, DisclosedCount used) {
    }

    /** @param episodes episodes with the site recorded, as a share of the cohort's episodes */
    public record MetastaticSite(String site, DisclosedCount episodes) {
    }

    /**
     * A share of the episodes with a response assessment.
     *
     * @param assessed episodes with at least one assessment (the denominator; NE counts as not responding)
     * @param count    episodes whose best response is one of {@code responses}, with its percentage of {@code assessed}
     */
    public record Rate(List<String> responses, DisclosedCount assessed, DisclosedCount count) {
    }

    /** One site's episodes and patients (a patient seen at two sites counts at both). */
    public record SiteCounts(String site, DisclosedCount episodes, DisclosedCount patients) {
    }

    /** The local treatment the study reports together: surgery and/or radiotherapy. */
    static final String LOCAL = "local_surgery_or_radiotherapy";
    static final String UNKNOWN = "unknown";
    static final String NOT_ASSESSED = "not_assessed";
    /** DOMAIN.md (c) 5: ORR = CR + PR; disease control = CR + PR + MR + SD. */
    static final List<String> RESPONSE = List.of("CR", "PR");
    static final List<String> DISEASE_CONTROL = List.of("CR", "PR", "MR", "SD");

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
        Map<String, Integer> mycn = ordered(Factors.MYCN_RESULTS);
        mycn.put(UNKNOWN, 0);
        Map<String, Integer> best = ordered(Factors.RESPONSES);
        best.put(NOT_ASSESSED, 0);
        for (AnalysisRecord r : records) {
            types.merge(r.episodeType(), 1, Integer::sum);
            order.merge(r.episodeOrder() == 1 ? "first" : "successive", 1, Integer::sum);
            mycn.merge(Objects.requireNonNullElse(r.characteristics().mycnStatus(), UNKNOWN), 1, Integer::sum);
            best.merge(Objects.requireNonNullElse(r.characteristics().bestResponse(), NOT_ASSESSED), 1, Integer::sum);
        }

        List<MetastaticSite> sites = new ArrayList<>();
        for (String site : Factors.METASTATIC_SITES) {
            long with = records.stream().filter(r -> r.characteristics().metastaticSites().contains(site)).count();
            sites.add(new MetastaticSite(site, share((int) with, episodes, minGroupSize)));
        }

        List<TreatmentUse> treatments = new ArrayList<>();
        for (String category : Factors.TREATMENT_CATEGORIES) {
            String factor = Factors.treatmentFactorName(category);
            long used = records.stream().filter(r -> "yes".equals(r.level(factor))).count();
            treatments.add(new TreatmentUse(category, Factors.byName(factor).orElseThrow().label(), share((int) used, episodes, minGroupSize)));
        }
        long local = records.stream().filter(r -> "yes".equals(r.level("local_surgery")) || "yes".equals(r.level("local_radiotherapy"))).count();
        treatments.add(new TreatmentUse(LOCAL, "Treatment used: local (surgery and/or radiotherapy)", share((int) local, episodes, minGroupSize)));

        int assessed = episodes - best.get(NOT_ASSESSED);
        long patientsWithSecondMalignancy = records.stream().filter(r -> r.characteristics().patientSecondMalignancy())
                .map(AnalysisRecord::patientPseudonym).distinct().count();

        return new CohortSummary(patientsCell, episodesCell, mean,
                Disclosure.distribution(perPatientCounts, patients, minGroupSize),
                Disclosure.distribution(types, episodes, minGroupSize),
                Disclosure.distribution(order, episodes, minGroupSize),
                Disclosure.distribution(mycn, episodes, minGroupSize),
                List.copyOf(sites),
                yesNoUnknown(records, "lymph_node_metastases", minGroupSize),
                yesNoUnknown(records, "biopsy", minGroupSize),
                yesNoUnknown(records, "molecular_profiling", minGroupSize),
                List.copyOf(treatments),
                yesNoUnknown(records, "trial_enrolment", minGroupSize),
                Disclosure.distribution(best, episodes, minGroupSize),
                rate(RESPONSE, best, assessed, minGroupSize),
                rate(DISEASE_CONTROL, best, assessed, minGroupSize),
                share((int) patientsWithSecondMalignancy, patients, minGroupSize),
                sites(records, episodes, patients, minGroupSize));
    }

    /** A yes/no factor over the cohort's episodes, with those whose level is unknown. */
    private static List<DisclosedCount> yesNoUnknown(List<AnalysisRecord> records, String factor, int minGroupSize) {
        Map<String, Integer> counts = ordered("yes", "no", UNKNOWN);
        records.forEach(r -> counts.merge(Objects.requireNonNullElse(r.level(factor), UNKNOWN), 1, Integer::sum));
        return Disclosure.distribution(counts, records.size(), minGroupSize);
    }

    /** The assessed episodes split into those whose best response is one of {@code responses} and the others. */
    private static Rate rate(List<String> responses, Map<String, Integer> best, int assessed, int minGroupSize) {
        int count = responses.stream().mapToInt(best::get).sum();
        return new Rate(responses, Disclosure.single("assessed", assessed, minGroupSize), share(count, assessed, minGroupSize));
    }

    /** Having and not having are a distribution of the total: when either is small, "yes" is withheld too. */
    private static DisclosedCount share(int yes, int total, int minGroupSize) {
        Map<String, Integer> split = ordered("yes", "no");
        split.put("yes", yes);
        split.put("no", total - yes);
        return Disclosure.distribution(split, total, minGroupSize).get(0);
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
        return ordered(List.of(levels));
    }

    private static Map<String, Integer> ordered(List<String> levels) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String level : levels) {
            counts.put(level, 0);
        }
        return counts;
    }
}
