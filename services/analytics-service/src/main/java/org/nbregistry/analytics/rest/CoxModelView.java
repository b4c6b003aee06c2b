package org.nbregistry.analytics.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.nbregistry.analytics.statistics.AnalystQueries.CoxModelAnswer;
import org.nbregistry.analytics.statistics.CoxModel;
import org.nbregistry.analytics.statistics.Disclosure;
import org.nbregistry.analytics.statistics.Scope;
import org.nbregistry.analytics.survival.Concordance;
import org.nbregistry.analytics.survival.CoxFit;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static org.nbregistry.analytics.rest.SurvivalAnalysisView.finite;

/**
 * A multivariable Cox model as R's summary(coxph(...)), cox.zph(fit) and fit$concordance report it. Figures R
 * reports as NA are null. Disclosure control: a term with a level below the threshold (or, for an interaction, a
 * combination of levels below it) has its coefficients withheld, and then so are the whole-model tests, the
 * concordance and the global proportional-hazards test, which would describe the withheld levels too.
 */
@Schema(name = "CoxModel")
public record CoxModelView(String endpoint, List<String> terms,
                           @Schema(description = "The two factors of the interaction term, null for none") List<String> interaction,
                           @Schema(description = "The stratifying factor, null for none") String strataBy,
                           @Schema(enumeration = {"efron", "breslow"}) String ties, CohortView cohort,
                           @Schema(description = "Data cut-off applied, null for none") LocalDate asOf,
                           @Schema(description = "Landmark day applied, null for none") Integer landmark,
                           long datasetVersion, Instant reflectsChangesUpTo, int minGroupSize,
                           @Schema(description = "Episodes used (complete in every term and the strata); null when withheld")
                           Integer n,
                           @Schema(description = "Events among them; null when withheld") Integer events,
                           @Schema(description = "Episodes of the cohort left out because a term or the strata has no level for "
                                   + "them (listwise, as R's na.omit); null when withheld") Integer droppedForMissing,
                           @Schema(description = "Levels of the stratifying factor used (empty without strata)") List<String> strata,
                           @Schema(description = "Standard errors clustered by patient (robust) were asked") boolean cluster,
                           List<Coefficient> coefficients, Tests tests, ConcordanceView concordance,
                           @Schema(description = "cox.zph (km transform) per term, then the term GLOBAL")
                           List<ProportionalHazards> proportionalHazards,
                           @Schema(description = "Why cells are withheld (disclosure control), null when nothing is") String suppressed) {

    /**
     * One coefficient (R's row of summary(fit)$coefficients). With cluster=patient, z, p and the interval use the robust
     * standard error, as R's summary does.
     *
     * @param estimate estimated, diverging (monotone likelihood: the HR tends to 0 or infinity, no number), aliased
     *                 (linearly dependent, e.g. an empty interaction cell; R's NA) or not_estimable (no events)
     */
    @Schema(name = "CoxCoefficient")
    public record Coefficient(String term, String level, boolean suppressed, String suppressionReason,
                              @Schema(enumeration = {"estimated", "diverging", "aliased", "not_estimable"}) String estimate,
                              Double coefficient, Double stdErr,
                              @Schema(description = "Sandwich SE clustered by patient; null unless cluster=patient") Double robustStdErr,
                              Double z, Double p, Double hazardRatio, Double lower95, Double upper95) {
    }

    @Schema(name = "CoxTests")
    public record Tests(ChiSquare likelihoodRatio,
                        @Schema(description = "With cluster=patient, on the robust variance (R's fit$wald.test)") ChiSquare wald,
                        ChiSquare score,
                        @Schema(description = "Robust score test (R's fit$rscore); null unless cluster=patient") ChiSquare robustScore) {
    }

    @Schema(name = "ChiSquareTest")
    public record ChiSquare(Double statistic, Integer df, Double p) {
    }

    @Schema(name = "Concordance")
    public record ConcordanceView(Double value, Double stdErr) {
    }

    @Schema(name = "ProportionalHazardsTest")
    public record ProportionalHazards(String term, Double chisq, Integer df, Double p) {
    }

    static CoxModelView of(CohortView cohort, Scope scope, CoxModelAnswer answer, int minGroupSize) {
        CoxModel m = answer.model();
        CoxModel.Spec spec = m.spec();
        String ties = spec.ties().name().toLowerCase(Locale.ROOT);
        boolean tooFew = m.n() > 0 && m.n() < minGroupSize;
        Set<String> withheldTerms = new LinkedHashSet<>();
        List<String> reasons = new ArrayList<>();
        if (tooFew) {
            reasons.add("the model has fewer than " + minGroupSize + " episodes (disclosure control)");
        }
        for (Map.Entry<String, Map<String, Integer>> term : m.levels().entrySet()) {
            int[] counts = term.getValue().values().stream().mapToInt(Integer::intValue).toArray();
            if (tooFew || Arrays.stream(Disclosure.groups(counts, minGroupSize)).anyMatch(Objects::nonNull)) {
                withheldTerms.add(term.getKey());
                if (!tooFew) {
                    reasons.add("a level of " + term.getKey() + " has fewer than " + minGroupSize + " episodes (disclosure control)");
                }
            }
        }
        if (spec.interaction() != null) {
            String name = spec.interaction().get(0) + ":" + spec.interaction().get(1);
            boolean smallCell = m.interactionCells().values().stream().anyMatch(c -> c > 0 && c < minGroupSize);
            if (tooFew || smallCell || withheldTerms.stream().anyMatch(spec.interaction()::contains)) {
                withheldTerms.add(name);
                if (smallCell && !tooFew) {
                    reasons.add("a combination of levels of " + name + " has fewer than " + minGroupSize
                            + " episodes (disclosure control)");
                }
            }
        }
        boolean anyWithheld = !withheldTerms.isEmpty();
        String cellReason = String.join("; ", reasons);
        CoxFit fit = m.fit();
        List<Coefficient> coefficients = new ArrayList<>();
        List<CoxModel.Column> columns = m.columns();
        for (int j = 0; j < columns.size(); j++) {
            CoxModel.Column c = columns.get(j);
            if (withheldTerms.contains(c.term())) {
                coefficients.add(new Coefficient(c.term(), c.level(), true, cellReason, null, null, null, null, null, null, null, null,
                        null));
            } else {
                coefficients.add(coefficient(c, fit, j, spec.clusterByPatient()));
            }
        }
        Tests tests = new Tests(NO_TEST, NO_TEST, NO_TEST, null);
        ConcordanceView concordance = new ConcordanceView(null, null);
        List<ProportionalHazards> ph = new ArrayList<>();
        if (fit != null) {
            if (!anyWithheld) {
                tests = tests(fit);
                Concordance cc = m.concordance();
                concordance = new ConcordanceView(finite(cc.value()), finite(cc.stdErr()));
            }
            if (fit.zph() != null) {
                CoxFit.Zph zph = fit.zph();
                for (int t = 0; t < zph.terms().size(); t++) {
                    String term = zph.termNames().get(t);
                    ph.add(withheldTerms.contains(term) ? new ProportionalHazards(term, null, null, null) : zph(term, zph.terms().get(t)));
                }
                ph.add(anyWithheld ? new ProportionalHazards("GLOBAL", null, null, null) : zph("GLOBAL", zph.global()));
            }
        }
        return new CoxModelView(spec.endpoint().name(), spec.terms(), spec.interaction(), spec.strataBy(), ties, cohort,
                scope.asOf(), scope.landmark(), answer.datasetVersion(), answer.reflectsChangesUpTo(), minGroupSize,
                tooFew ? null : m.n(), tooFew ? null : m.events(), tooFew ? null : m.droppedForMissing(), m.strata(),
                spec.clusterByPatient(), List.copyOf(coefficients), tests, concordance, List.copyOf(ph),
                anyWithheld ? cellReason : null);
    }

    private static final ChiSquare NO_TEST = new ChiSquare(null, null, null);

    private static Coefficient coefficient(CoxModel.Column c, CoxFit fit, int j, boolean cluster) {
        return coefficient(c.term(), c.level(), fit.terms().get(j), cluster, fit.events() > 0);
    }

    static Coefficient coefficient(String term, String level, CoxFit.Term t, boolean cluster) {
        return coefficient(term, level, t, cluster, true);
    }

    private static Coefficient coefficient(String term, String level, CoxFit.Term t, boolean cluster, boolean events) {
        String estimate = events ? t.status().name().toLowerCase(Locale.ROOT) : "not_estimable";
        if (t.status() != CoxFit.TermStatus.ESTIMATED) {
            return new Coefficient(term, level, false, null, estimate, null, null, null, null, null, null, null, null);
        }
        return new Coefficient(term, level, false, null, estimate, finite(t.coef()), finite(t.se()),
                cluster ? finite(t.robustSe()) : null, finite(t.z()), finite(t.p()), finite(t.hazardRatio()), finite(t.lower()),
                finite(t.upper()));
    }

    static Tests tests(CoxFit fit) {
        return new Tests(test(fit.likelihoodRatio()), test(fit.wald()), test(fit.score()),
                fit.robustScore() == null ? null : test(fit.robustScore()));
    }

    private static ChiSquare test(CoxFit.Test t) {
        return new ChiSquare(finite(t.chiSquare()), t.df(), finite(t.p()));
    }

    static ProportionalHazards zph(String term, CoxFit.Test t) {
        return new ProportionalHazards(term, finite(t.chiSquare()), t.df(), finite(t.p()));
    }
}
