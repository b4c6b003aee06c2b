package org.nbregistry.episode.response;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Derives the INRC 2017 overall response from the component responses (Park, JCO 2017), by the algorithm of
 * DOMAIN.md, whose rules are applied in this order, the first that matches deciding:
 * <ol>
 *   <li>any component PD → PD;</li>
 *   <li>every component CR or NI → CR;</li>
 *   <li>no component PD or SD, and at least one PR or bone-marrow MD → PR;</li>
 *   <li>at least one CR or PR and at least one SD → MR;</li>
 *   <li>otherwise at least one SD → SD;</li>
 *   <li>a component involved at baseline now NE → NE.</li>
 * </ol>
 * Combinations the rules decide without settling them clinically are flagged for central review rather than
 * guessed: bone-marrow MD with a component SD (DOMAIN.md's example), and an involved component not evaluated
 * while the others decide a response.
 */
public final class InrcResponse {

    /** The derived overall response and, when the combination is ambiguous, why it needs central review. */
    public record Derived(OverallResponse overall, boolean needsCentralReview, String centralReviewReason) {
    }

    private InrcResponse() {
    }

    public static Derived derive(ComponentResponse primary, ComponentResponse metastatic, MarrowResponse marrow) {
        List<String> all = List.of(primary.name(), metastatic.name(), marrow.name());
        OverallResponse overall = overall(all, marrow);
        String review = null;
        if (marrow == MarrowResponse.MD && (primary == ComponentResponse.SD || metastatic == ComponentResponse.SD)) {
            review = "bone-marrow minimal disease with stable disease in another component";
        } else if (all.contains("NE") && overall != OverallResponse.NE && overall != OverallResponse.PD) {
            review = "an involved component was not evaluated; the overall response rests on the others";
        }
        return new Derived(overall, review != null, review);
    }

    private static OverallResponse overall(List<String> all, MarrowResponse marrow) {
        if (all.contains("PD")) {
            return OverallResponse.PD;
        }
        if (all.stream().allMatch(r -> r.equals("CR") || r.equals("NI"))) {
            return OverallResponse.CR;
        }
        if (!all.contains("SD") && (all.contains("PR") || marrow == MarrowResponse.MD)) {
            return OverallResponse.PR;
        }
        if ((all.contains("CR") || all.contains("PR")) && all.contains("SD")) {
            return OverallResponse.MR;
        }
        if (all.contains("SD")) {
            return OverallResponse.SD;
        }
        // What is left has no PD, SD or PR and is not all CR/NI: an involved component was not evaluated.
        return OverallResponse.NE;
    }

    /** The best of an episode's overall responses, CR best and NE worst; empty without assessments. */
    public static Optional<OverallResponse> best(Collection<OverallResponse> responses) {
        return responses.stream().min(Comparator.naturalOrder());
    }
}
