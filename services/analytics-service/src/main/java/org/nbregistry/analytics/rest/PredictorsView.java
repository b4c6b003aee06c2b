package org.nbregistry.analytics.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.nbregistry.analytics.dataset.Factors;
import org.nbregistry.analytics.statistics.AnalystQueries.PredictorsAnswer;
import org.nbregistry.analytics.statistics.Disclosure;
import org.nbregistry.analytics.statistics.Scope;
import org.nbregistry.analytics.statistics.SurvivalStatistics;
import org.nbregistry.analytics.survival.CoxFit;
import org.nbregistry.analytics.survival.Distributions;
import org.nbregistry.analytics.survival.KaplanMeierCurve;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import static org.nbregistry.analytics.rest.SurvivalAnalysisView.finite;

/**
 * The univariate predictors table: per factor, each level's episodes and events, the hazard ratio of each level
 * against the reference (first) level from a Cox model with Efron ties, its Wald p, and the factor's log-rank p.
 */
@Schema(name = "Predictors")
public record PredictorsView(String endpoint, CohortView cohort,
                             @Schema(description = "Data cut-off applied (clinical dates on or before it), null for none")
                             LocalDate asOf,
                             @Schema(description = "Landmark day applied, null for none") Integer landmark,
                             @Schema(description = "Standard errors of the log hazard ratios behind the intervals and Wald p: "
                                     + "model (model-based) or robust_cluster_patient (sandwich, clustered by patient)",
                                     enumeration = {"model", "robust_cluster_patient"})
                             String standardErrors,
                             long datasetVersion, Instant reflectsChangesUpTo, double confLevel, int minGroupSize,
                             List<Predictor> predictors) {

    /**
     * @param suppressed true when hazard ratios and the test are withheld because a level is below the threshold
     * @param note       why there is no comparison otherwise (a single level in the cohort)
     */
    @Schema(name = "Predictor")
    public record Predictor(String factor, String label, String reference, boolean suppressed,
                            String suppressionReason, String note, Double logRankP, List<PredictorLevel> levels,
                            @Schema(description = "The factor's Cox model: likelihood-ratio, Wald (robust with cluster=patient) and "
                                    + "score tests; null when the comparison is withheld or impossible")
                            CoxModelView.Tests tests,
                            @Schema(description = "fit$concordance (clustered SE with cluster=patient); null as tests")
                            CoxModelView.ConcordanceView concordance,
                            @Schema(description = "cox.zph(fit): the factor's row and GLOBAL; empty as tests")
                            List<CoxModelView.ProportionalHazards> proportionalHazards) {
    }

    /**
     * @param estimate reference, estimated, diverging (monotone likelihood: the HR tends to 0 or infinity, so no
     *                 number), aliased, or not_estimable (no events)
     */
    @Schema(name = "PredictorLevel")
    public record PredictorLevel(String level, boolean suppressed, String suppressionReason, Integer n, Integer events,
                                 String estimate, Double hazardRatio, Double lower, Double upper, Double waldP,
                                 @Schema(description = "log hazard ratio (R's coef)") Double coefficient,
                                 @Schema(description = "model-based SE of the coefficient (se(coef))") Double stdErr,
                                 @Schema(description = "SE clustered by patient (robust se); null unless cluster=patient") Double robustStdErr,
                                 @Schema(description = "coef / SE (the robust SE with cluster=patient)") Double z) {
    }

    static final String MODEL_SE = "model";
    static final String ROBUST_SE = "robust_cluster_patient";

    /** @param clusteredByPatient the answer's Cox models carry the robust variance clustered by patient */
    static PredictorsView of(String endpoint, CohortView cohort, Scope scope, boolean clusteredByPatient, PredictorsAnswer answer,
                             double confLevel, int minGroupSize) {
        double z = Distributions.normalQuantile(1 - (1 - confLevel) / 2);
        List<Predictor> predictors = new ArrayList<>();
        for (Factors.Factor factor : Factors.all()) {
            predictors.add(predictor(factor, answer.byFactor().get(factor.name()), z, minGroupSize));
        }
        return new PredictorsView(endpoint, cohort, scope.asOf(), scope.landmark(), clusteredByPatient ? ROBUST_SE : MODEL_SE,
                answer.datasetVersion(), answer.reflectsChangesUpTo(), confLevel, minGroupSize, List.copyOf(predictors));
    }

    private static Predictor predictor(Factors.Factor factor, SurvivalStatistics stats, double z, int minGroupSize) {
        String[] levels = stats.groups().toArray(String[]::new);
        String[] reasons = Disclosure.groups(stats.curves().stream().mapToInt(KaplanMeierCurve::n).toArray(), minGroupSize);
        boolean anySuppressed = Arrays.stream(reasons).anyMatch(Objects::nonNull);
        boolean comparable = levels.length >= 2 && !anySuppressed;
        List<PredictorLevel> rows = new ArrayList<>();
        for (int g = 0; g < levels.length; g++) {
            KaplanMeierCurve curve = stats.curves().get(g);
            String reason = reasons[g];
            if (reason != null) {
                rows.add(new PredictorLevel(levels[g], true, reason, null, null, null, null, null, null, null, null, null, null, null));
            } else if (g == 0 || !comparable) {
                rows.add(new PredictorLevel(levels[g], false, null, curve.n(), curve.totalEvents(), g == 0 ? "reference" : null,
                        null, null, null, null, null, null, null, null));
            } else {
                rows.add(level(levels[g], curve, stats.cox(), z));
            }
        }
        String note = levels.length < 2 ? "fewer than two levels in this cohort" : null;
        SurvivalAnalysisView.UnivariateCox cox = comparable ? SurvivalAnalysisView.univariateCox(factor.name(), stats) : null;
        return new Predictor(factor.name(), factor.label(), levels.length == 0 ? null : levels[0], anySuppressed,
                anySuppressed ? "a level has fewer than " + minGroupSize + " episodes (disclosure control)" : null, note,
                comparable ? finite(stats.logRank().p()) : null, List.copyOf(rows), cox == null ? null : cox.tests(),
                cox == null ? null : cox.concordance(), cox == null ? List.of() : cox.proportionalHazards());
    }

    /** HR CI as R's summary.coxph: exp(coef ∓ z se), se the robust one when the fit has it (as R's with cluster). */
    private static PredictorLevel level(String level, KaplanMeierCurve curve, CoxFit cox, double z) {
        CoxFit.Term term = cox.term(level);
        String estimate = cox.events() == 0 ? "not_estimable" : term.status().name().toLowerCase(Locale.ROOT);
        if (cox.events() == 0 || term.status() != CoxFit.TermStatus.ESTIMATED) {
            return new PredictorLevel(level, false, null, curve.n(), curve.totalEvents(), estimate, null, null, null, null, null, null,
                    null, null);
        }
        boolean robust = cox.robustVariance() != null;
        double se = robust ? term.robustSe() : term.se();
        return new PredictorLevel(level, false, null, curve.n(), curve.totalEvents(), estimate, finite(term.hazardRatio()),
                finite(Math.exp(term.coef() - z * se)), finite(Math.exp(term.coef() + z * se)), finite(term.p()), finite(term.coef()),
                finite(term.se()), robust ? finite(term.robustSe()) : null, finite(term.z()));
    }
}
