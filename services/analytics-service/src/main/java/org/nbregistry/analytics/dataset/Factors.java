package org.nbregistry.analytics.dataset;

import org.nbregistry.analytics.dataset.AnalysisRecord.Characteristics;
import org.nbregistry.analytics.dataset.PatientHistory.AssessmentFacts;
import org.nbregistry.analytics.dataset.PatientHistory.EpisodeFacts;
import org.nbregistry.analytics.dataset.PatientHistory.TreatmentFacts;
import org.nbregistry.support.vocabulary.Agent;
import org.nbregistry.support.vocabulary.AgentVocabulary;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The one place that maps an episode's facts to factor levels (the groupings of DOMAIN.md (c) 7) and to the
 * characteristics the descriptive table reports. A covariate that the write side starts to publish reaches
 * {@link PatientHistory} as an attribute without any other change; adding its factor here makes it a grouping, a
 * predictor and a covariate of every analysis record.
 *
 * <p>A level is null when the facts do not tell (the episode stays out of that grouping, as R's na.omit would): an
 * absent field is unknown, never "no". The one exception is treatment: an episode without any treatment line
 * recorded counts as not having had the category, as the study reports treatment use as a share of all episodes.
 *
 * <p>Level names sort as R sorts them, so the first level is the Cox reference: "no" before "yes", "first"
 * before "successive", "refractory" before "relapse_progression".
 */
public final class Factors {

    /** What a factor's level function sees: the episode, its patient, the episode's treatments and assessments. */
    public record EpisodeContext(PatientHistory patient, EpisodeFacts episode, List<TreatmentFacts> treatments,
                                 List<AssessmentFacts> assessments) {

        boolean used(String category) {
            return treatments.stream().anyMatch(t -> t.includes(category));
        }

        String attribute(String name) {
            return episode.attributes().get(name);
        }
    }

    /**
     * A named grouping of episodes.
     *
     * @param level the episode's level, or null when it is unknown
     */
    public record Factor(String name, String label, Function<EpisodeContext, String> level) {
    }

    /** The treatment categories of the events (DOMAIN.md "Treatment line and components"), in the study's order. */
    public static final List<String> TREATMENT_CATEGORIES = List.of("chemotherapy", "immunotherapy", "consolidation", "local_surgery",
            "local_radiotherapy", "maintenance", "targeted", "other");

    /** INRC overall responses from best to worst (DOMAIN.md "Response assessment"). */
    public static final List<String> RESPONSES = List.of("CR", "PR", "MR", "SD", "PD", "NE");
    /** The study's "response or stabilisation" (disease control). */
    public static final Set<String> DISEASE_CONTROL = Set.of("CR", "PR", "MR", "SD");
    /** The MYCN results that say something (not_done and unknown do not). */
    public static final List<String> MYCN_RESULTS = List.of("amplified", "gain", "not_amplified", "heterogeneous");
    public static final List<String> METASTATIC_SITES = List.of("bone", "bone_marrow", "regional_lymph_nodes", "distant_lymph_nodes",
            "liver", "lung", "cns", "skin", "other");

    /** Irinotecan and topotecan by their NCIt codes (PCDC), looked up in the registry's agent vocabulary. */
    static final Set<String> IRINOTECAN_OR_TOPOTECAN = AgentVocabulary.all().stream()
            .filter(a -> "C62040".equals(a.ncitCode()) || "C1413".equals(a.ncitCode())).map(Agent::code).collect(Collectors.toUnmodifiableSet());

    private static final List<Factor> ALL = Stream.of(
            Stream.of(
                    factor("episode_type", "Episode type: refractory vs relapse/progression", c -> switch (c.episode().episodeType()) {
                        case "refractory" -> "refractory";
                        case "relapse", "progression" -> "relapse_progression";
                        default -> null;
                    }),
                    factor("episode_order", "Episode order: first vs successive", c -> c.episode().episodeOrder() == 1 ? "first" : "successive"),
                    factor("response_or_stabilisation", "Response or stabilisation achieved (best response CR, PR, MR or SD vs PD)",
                            Factors::responseOrStabilisation),
                    factor("mycn_amplified", "MYCN amplified (at the episode, else at diagnosis)", Factors::mycnAmplified),
                    factor("lymph_node_metastases", "Lymph-node metastases (regional or distant)", Factors::lymphNodeMetastases),
                    factor("irinotecan_or_topotecan", "Irinotecan or topotecan used", Factors::irinotecanOrTopotecan)),
            TREATMENT_CATEGORIES.stream().map(Factors::treatmentUsed),
            Stream.of(
                    factor("trial_enrolment", "Enrolled in a clinical trial", Factors::trialEnrolment),
                    factor("biopsy", "Biopsy at the episode", c -> yesNo(c.attribute("biopsyPerformed"))),
                    factor("molecular_profiling", "Molecular profiling at the episode", c -> yesNo(c.attribute("molecularProfilingPerformed"))),
                    factor("site", "Site", c -> c.episode().site()),
                    factor("period", "Period: year of the episode", c -> String.valueOf(c.episode().episodeDate().getYear())))
    ).flatMap(s -> s).toList();

    private Factors() {
    }

    public static List<Factor> all() {
        return ALL;
    }

    public static Optional<Factor> byName(String name) {
        return ALL.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** Levels of every factor that is known for the episode. */
    static Map<String, String> levels(EpisodeContext context) {
        Map<String, String> levels = new HashMap<>();
        for (Factor factor : ALL) {
            String level = factor.level().apply(context);
            if (level != null) {
                levels.put(factor.name(), level);
            }
        }
        return levels;
    }

    static Characteristics characteristics(EpisodeContext context) {
        List<String> sites = PatientHistory.codes(context.attribute("metastaticSites"));
        return new Characteristics(mycnStatus(context), sites, bestResponse(context.assessments()),
                !context.patient().secondMalignancies().isEmpty());
    }

    /** The factor telling whether an episode's treatment included the category ("yes"/"no"). */
    public static String treatmentFactorName(String category) {
        return category.equals("other") ? "other_treatment" : category;
    }

    /** Best INRC overall response among the assessments, or null without any. */
    static String bestResponse(List<AssessmentFacts> assessments) {
        return assessments.stream().map(AssessmentFacts::overallResponse).filter(r -> r != null && RESPONSES.contains(r))
                .min((a, b) -> RESPONSES.indexOf(a) - RESPONSES.indexOf(b)).orElse(null);
    }

    /** CR, PR, MR or SD vs PD; not assessed, or only NE (not evaluable), is unknown. */
    private static String responseOrStabilisation(EpisodeContext c) {
        String best = bestResponse(c.assessments());
        return best == null || best.equals("NE") ? null : DISEASE_CONTROL.contains(best) ? "yes" : "no";
    }

    /**
     * The episode's MYCN result, else the patient's at diagnosis (DOMAIN.md records the source as diagnosis or
     * episode): amplification is rarely acquired or lost between diagnosis and relapse.
     */
    private static String mycnStatus(EpisodeContext c) {
        String atEpisode = c.attribute("mycnStatus");
        if (atEpisode != null && MYCN_RESULTS.contains(atEpisode)) {
            return atEpisode;
        }
        PatientHistory.PatientFacts patient = c.patient().patient();
        String atDiagnosis = patient == null ? null : patient.attributes().get("mycnStatusAtDiagnosis");
        return atDiagnosis != null && MYCN_RESULTS.contains(atDiagnosis) ? atDiagnosis : null;
    }

    /**
     * Amplified vs not (gain and no amplification; INRG: gain is 2–4-fold, not amplification). Heterogeneous
     * amplification is neither, so it is unknown here and shown on its own in the descriptive table.
     */
    private static String mycnAmplified(EpisodeContext c) {
        String status = mycnStatus(c);
        if (status == null || status.equals("heterogeneous")) {
            return null;
        }
        return status.equals("amplified") ? "yes" : "no";
    }

    /** Any lymph-node involvement at the episode, regional or distant (DOMAIN.md: the field behind the study's predictor). */
    private static String lymphNodeMetastases(EpisodeContext c) {
        List<String> sites = PatientHistory.codes(c.attribute("metastaticSites"));
        String involvement = c.attribute("lymphNodeInvolvement");
        if (sites.contains("regional_lymph_nodes") || sites.contains("distant_lymph_nodes")
                || "regional".equals(involvement) || "distant".equals(involvement)) {
            return "yes";
        }
        return "none".equals(involvement) ? "no" : null;
    }

    /**
     * From the coded agents of the episode's lines, never from regimen labels: yes when a line names either agent;
     * no when every line lists its agents and none does (or there is no line); unknown when a line without agent
     * codes could have had them.
     */
    private static String irinotecanOrTopotecan(EpisodeContext c) {
        boolean unknown = false;
        for (TreatmentFacts line : c.treatments()) {
            List<String> agents = line.agentCodes();
            if (agents == null) {
                unknown = true;
            } else if (agents.stream().anyMatch(IRINOTECAN_OR_TOPOTECAN::contains)) {
                return "yes";
            }
        }
        return unknown ? null : "no";
    }

    /** Enrolled at the episode or for one of its lines: yes if any says so, no if one says not and none says so. */
    private static String trialEnrolment(EpisodeContext c) {
        List<String> said = Stream.concat(Stream.of(c.attribute("clinicalTrialEnrolled")),
                c.treatments().stream().map(t -> t.attributes().get("clinicalTrialEnrolled"))).map(Factors::yesNo).toList();
        return said.contains("yes") ? "yes" : said.contains("no") ? "no" : null;
    }

    /** Whether the episode's treatment included the category; no treatment record means not used. */
    private static Factor treatmentUsed(String category) {
        String name = treatmentFactorName(category);
        String label = "Treatment used: " + category.replace('_', ' ');
        return factor(name, label, c -> c.used(category) ? "yes" : "no");
    }

    private static String yesNo(String bool) {
        return bool == null ? null : Boolean.parseBoolean(bool) ? "yes" : "no";
    }

    private static Factor factor(String name, String label, Function<EpisodeContext, String> level) {
        return new Factor(name, label, level);
    }
}
