package org.nbregistry.analytics.dataset;

import org.nbregistry.analytics.dataset.PatientHistory.EpisodeFacts;
import org.nbregistry.analytics.dataset.PatientHistory.TreatmentFacts;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The one place that maps an episode's facts to factor levels. A covariate that the write side starts to publish
 * (MYCN, metastatic sites, response, agents...) reaches {@link PatientHistory} as an attribute without any other
 * change; adding its factor here makes it a grouping, a predictor and a covariate of every analysis record.
 *
 * <p>Level names sort as R sorts them, so the first level is the Cox reference: "no" before "yes", "first"
 * before "successive", "refractory" before "relapse_progression".
 */
public final class Factors {

    /** What a factor's level function sees: the episode, its patient and the episode's treatments. */
    public record EpisodeContext(PatientHistory patient, EpisodeFacts episode, List<TreatmentFacts> treatments) {

        boolean used(String category) {
            return treatments.stream().anyMatch(t -> t.category().equals(category));
        }
    }

    /**
     * A named grouping of episodes.
     *
     * @param unavailableReason why the factor cannot be computed from today's events; null when it can
     * @param level             the episode's level, or null when it is unknown
     */
    public record Factor(String name, String label, String unavailableReason, Function<EpisodeContext, String> level) {

        public boolean available() {
            return unavailableReason == null;
        }
    }

    /** The treatment categories of the events (DOMAIN.md "Treatment line and components"), in the study's order. */
    public static final List<String> TREATMENT_CATEGORIES = List.of("chemotherapy", "immunotherapy", "consolidation", "local_surgery",
            "local_radiotherapy", "maintenance", "targeted", "other");

    private static final List<Factor> ALL = Stream.of(
            Stream.of(
                    available("episode_type", "Episode type: refractory vs relapse/progression", c -> switch (c.episode().episodeType()) {
                        case "refractory" -> "refractory";
                        case "relapse", "progression" -> "relapse_progression";
                        default -> null;
                    }),
                    available("episode_order", "Episode order: first vs successive", c -> c.episode().episodeOrder() == 1 ? "first" : "successive"),
                    available("site", "Site", c -> c.episode().site()),
                    available("period", "Period: year of the episode", c -> String.valueOf(c.episode().episodeDate().getYear()))),
            TREATMENT_CATEGORIES.stream().map(Factors::treatmentUsed),
            Stream.of(new Factor("irinotecan_or_topotecan", "Irinotecan or topotecan used",
                    "computed from coded agents, which treatment events do not carry yet", c -> null))
    ).flatMap(s -> s).toList();

    private Factors() {
    }

    public static List<Factor> all() {
        return ALL;
    }

    public static List<Factor> availableFactors() {
        return ALL.stream().filter(Factor::available).toList();
    }

    public static Optional<Factor> byName(String name) {
        return ALL.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** Levels of every available factor that is known for the episode. */
    static Map<String, String> levels(EpisodeContext context) {
        Map<String, String> levels = new HashMap<>();
        for (Factor factor : ALL) {
            String level = factor.available() ? factor.level().apply(context) : null;
            if (level != null) {
                levels.put(factor.name(), level);
            }
        }
        return levels;
    }

    private static Factor available(String name, String label, Function<EpisodeContext, String> level) {
        return new Factor(name, label, null, level);
    }

    /** The factor telling whether an episode's treatment included the category ("yes"/"no"). */
    public static String treatmentFactorName(String category) {
        return category.equals("other") ? "other_treatment" : category;
    }

    /** Whether the episode's treatment included the category; no treatment record means not used. */
    private static Factor treatmentUsed(String category) {
        String name = treatmentFactorName(category);
        String label = "Treatment used: " + category.replace('_', ' ');
        return available(name, label, c -> c.used(category) ? "yes" : "no");
    }
}
