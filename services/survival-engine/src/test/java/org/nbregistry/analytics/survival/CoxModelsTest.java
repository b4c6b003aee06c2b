package org.nbregistry.analytics.survival;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nbregistry.analytics.survival.CoxTestData.num;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Per-record Cox models against src/test/resources/survival/cox_models.R (fixtures
 * cox_*_models.json): several covariates (factors and continuous), robust SE clustered by patient or
 * per record, stratified models, per-term cox.zph, diverging coefficients. Tolerances as in
 * {@link CoxReferenceTest}: coefficients and (model and robust) SEs 1e-6, everything else 1e-10.
 */
class CoxModelsTest {

    @ParameterizedTest
    @ValueSource(strings = {"registry", "edge", "lung", "veteran"})
    void modelsMatchR(String dataset) {
        CoxTestData.Table table = CoxTestData.csv("cox_" + dataset + ".csv");
        JsonNode ref = CoxTestData.json("cox_" + dataset + "_models.json");
        CoxTestData.Agreement agree = new CoxTestData.Agreement("cox_" + dataset + "_models");
        for (JsonNode model : ref.get("models")) {
            String name = model.get("name").asText();
            CoxData data = data(table, model);
            CoxFit fit = Cox.fit(data, options(model));
            compare(agree, name, model, fit);
            concordance(agree, name, model.get("concordance"), Concordance.ofFit(data, fit));
        }
        agree.done();
    }

    /**
     * A column that is a multiple of another is redundant: R reports its coefficient as NA; we mark it
     * ALIASED and the rest of the fit is the fit without it (R's age_efron model in cox_registry_models).
     */
    @Test
    void collinearColumnIsAliasedAndTheRestIsTheReducedFit() {
        CoxTestData.Table d = CoxTestData.csv("cox_registry.csv");
        double[] age = d.doubles("age_years");
        double[] months = new double[age.length];
        for (int i = 0; i < age.length; i++) {
            months[i] = 12 * age[i];
        }
        CoxDesign design = CoxDesign.builder(d.size()).numeric("age_years", age).numeric("age_months", months).build();
        CoxFit fit = Cox.fit(CoxData.of(d.ints("time_days"), d.ints("status"), design));
        JsonNode r = null;
        for (JsonNode m : CoxTestData.json("cox_registry_models.json").get("models")) {
            if (m.get("name").asText().equals("age_efron")) {
                r = m;
            }
        }
        assertEquals(CoxFit.TermStatus.ALIASED, fit.terms().get(1).status());
        assertTrue(Double.isNaN(fit.terms().get(1).coef()));
        CoxFit.Term t = fit.terms().get(0);
        JsonNode rt = r.get("terms").get(0);
        CoxTestData.rel(num(rt, "coef"), t.coef(), 1e-6, "coef");
        CoxTestData.rel(num(rt, "se"), t.se(), 1e-6, "se");
        CoxTestData.rel(num(r, "loglik"), fit.logLik(), 1e-10, "loglik");
        assertEquals(1, fit.likelihoodRatio().df());
        CoxTestData.rel(num(r.get("wald"), "chisq"), fit.wald().chiSquare(), 1e-10, "wald");
    }

    /** Without events nothing is estimable: every coefficient is reported as not estimable, no exception. */
    @Test
    void noEventsMeansNothingEstimable() {
        int[] days = {10, 20, 30, 40};
        int[] status = {0, 0, 0, 0};
        String[] g = {"a", "b", "a", "b"};
        CoxFit fit = Cox.fit(CoxData.of(days, status, CoxDesign.builder(4).factor("g", g).build()));
        assertEquals(CoxFit.TermStatus.ALIASED, fit.terms().get(0).status());
        assertEquals(0, fit.events());
        CoxFit counts = Cox.fitCategorical(CoxTestData.counts(days, status, g, List.of("a", "b")), Cox.Ties.EFRON,
                null);
        assertEquals(CoxFit.TermStatus.ALIASED, counts.terms().get(0).status());
    }

    /**
     * A one-factor model's concordance from day counts (the live path) equals the per-record one and R's: the
     * categorical fit's coefficients rank the levels.
     */
    @Test
    void concordanceFromDayCountsEqualsR() {
        CoxTestData.Table d = CoxTestData.csv("cox_registry.csv");
        JsonNode r = null;
        for (JsonNode m : CoxTestData.json("cox_registry_models.json").get("models")) {
            if (m.get("name").asText().equals("mycn_efron_robust")) {
                r = m;
            }
        }
        List<String> levels = CoxTestData.strings(r.get("covariates").get(0).get("levels"));
        GroupedCounts counts = CoxTestData.counts(d.ints("time_days"), d.ints("status"), d.strings("mycn"), levels);
        CoxFit fit = Cox.fitCategorical(counts, Cox.Ties.EFRON, null);
        CoxTestData.Agreement agree = new CoxTestData.Agreement("concordance from counts");
        concordance(agree, "mycn", r.get("concordance"), Concordance.ofLevels(counts, fit.warmStart()));
        agree.done();
    }

    static void concordance(CoxTestData.Agreement a, String what, JsonNode r, Concordance c) {
        a.require(c.concordant() == num(r, "concordant") && c.discordant() == num(r, "discordant")
                && c.tiedRisk() == num(r, "tied.x") && c.tiedTime() == num(r, "tied.y") && c.tiedBoth() == num(r, "tied.xy"),
                what + ": concordance pair counts " + c + " R " + r);
        a.check("concordance", what, num(r, "concordance"), c.value(), 1e-12);
        a.check("concordance se", what, num(r, "std"), c.stdErr(), 1e-12);
    }

    static CoxOptions options(JsonNode model) {
        Cox.Ties ties = model.get("ties").asText().equals("efron") ? Cox.Ties.EFRON : Cox.Ties.BRESLOW;
        return CoxOptions.defaults().withTies(ties).withRobust(model.get("cluster").asText().equals("robust"));
    }

    /** The model's rows (complete in every variable it uses) and its design, strata and clusters. */
    static CoxData data(CoxTestData.Table table, JsonNode model) {
        List<String> used = new ArrayList<>(List.of("time_days", "status"));
        for (JsonNode c : model.get("covariates")) {
            used.add(c.get("name").asText());
        }
        String strata = model.get("strata").asText();
        String cluster = model.get("cluster").asText();
        used.add(strata);
        if (!cluster.equals("robust")) {
            used.add(cluster);
        }
        CoxTestData.Table d = table.complete(used.toArray(String[]::new));
        CoxDesign.Builder b = CoxDesign.builder(d.size());
        for (JsonNode c : model.get("covariates")) {
            String v = c.get("name").asText();
            if (c.get("type").asText().equals("factor")) {
                b.factor(v, d.strings(v), CoxTestData.strings(c.get("levels")));
            } else {
                b.numeric(v, d.doubles(v));
            }
        }
        for (JsonNode pair : model.path("interactions")) {
            b.interaction(pair.get(0).asText(), pair.get(1).asText());
        }
        CoxData data = CoxData.of(d.doubles("time_days"), d.ints("status"), b.build());
        if (!strata.isEmpty()) {
            data = data.withStrata(d.strings(strata));
        }
        if (!cluster.isEmpty() && !cluster.equals("robust")) {
            data = data.withCluster(d.strings(cluster));
        }
        return data;
    }

    static void compare(CoxTestData.Agreement a, String what, JsonNode r, CoxFit fit) {
        double tol = CoxReferenceTest.FROM_COEF_TOL;
        a.require(fit.n() == r.get("n").asInt(), what + ": n " + fit.n() + " R " + r.get("n").asInt());
        a.require(fit.events() == r.get("nevent").asInt(), what + ": events");
        a.require(fit.iterations() == r.get("iter").asInt(),
                what + ": iterations " + fit.iterations() + " R " + r.get("iter").asInt());
        Set<Integer> diverging = CoxReferenceTest.divergingInR(r.get("warnings"));
        boolean robust = r.get("robust").asBoolean();
        JsonNode terms = r.get("terms");
        a.require(terms.size() == fit.size(), what + ": terms");
        for (int j = 0; j < terms.size(); j++) {
            JsonNode t = terms.get(j);
            CoxFit.Term term = fit.terms().get(j);
            String tw = what + " " + t.get("term").asText();
            a.require(term.name().equals(t.get("term").asText()), tw + ": named " + term.name());
            if (t.get("coef").isNull()) {
                // An empty interaction cell: the column is linearly dependent, R reports NA.
                a.require(term.status() == CoxFit.TermStatus.ALIASED, tw + " must be reported as aliased");
                continue;
            }
            if (diverging.contains(j)) {
                a.require(term.status() == CoxFit.TermStatus.DIVERGING && Double.isNaN(term.coef())
                        && Double.isNaN(term.hazardRatio()) && Double.isNaN(term.se())
                        && term.divergence() == (num(t, "coef") > 0 ? 1 : -1), tw + " must be reported as diverging");
                continue;
            }
            a.require(term.status() == CoxFit.TermStatus.ESTIMATED, tw + " status " + term.status());
            a.check("coef", tw, num(t, "coef"), term.coef(), CoxReferenceTest.COEF_TOL);
            a.check("se", tw, num(t, "se"), term.se(), CoxReferenceTest.COEF_TOL);
            if (robust) {
                a.check("robust se", tw, num(t, "robust_se"), term.robustSe(), CoxReferenceTest.COEF_TOL);
            } else {
                a.require(Double.isNaN(term.robustSe()), tw + ": robust SE without robust variance");
            }
            a.check("hr", tw, num(t, "hr"), term.hazardRatio(), tol);
            a.check("z", tw, num(t, "z"), term.z(), tol);
            a.check("p", tw, num(t, "p"), term.p(), tol);
            a.check("hr ci", tw, num(t, "hr_lower"), term.lower(), tol);
            a.check("hr ci", tw, num(t, "hr_upper"), term.upper(), tol);
        }
        a.require(fit.hasDivergingTerm() == !diverging.isEmpty(), what + ": diverging terms");
        a.check("loglik null", what, num(r, "loglik_null"), fit.logLikNull(), tol);
        a.check("loglik", what, num(r, "loglik"), fit.logLik(), tol);
        CoxReferenceTest.test(a, "lr", what, r.get("lrt"), fit.likelihoodRatio(), tol);
        CoxReferenceTest.test(a, "score", what, r.get("score"), fit.score(), tol);
        if (diverging.isEmpty()) {
            CoxReferenceTest.test(a, "wald", what, r.get("wald"), fit.wald(), tol);
        } else {
            a.require(Double.isNaN(fit.wald().chiSquare()), what + ": Wald with a diverging coefficient");
        }
        if (robust) {
            CoxReferenceTest.test(a, "robust score", what, r.get("robust_score"), fit.robustScore(), tol);
        } else {
            a.require(fit.robustScore() == null, what + ": robust score without robust variance");
        }
        JsonNode zph = r.get("zph");
        if (zph != null && !zph.isNull()) {
            CoxFit.Zph z = fit.zph();
            a.require(z.terms().size() + 1 == zph.size(), what + ": zph rows");
            for (int i = 0; i < zph.size(); i++) {
                JsonNode row = zph.get(i);
                String term = row.get("term").asText();
                CoxFit.Test t = term.equals("GLOBAL") ? z.global() : z.terms().get(i);
                if (!term.equals("GLOBAL")) {
                    a.require(z.termNames().get(i).equals(term), what + ": zph term " + z.termNames().get(i));
                }
                a.check("zph chisq", what + " " + term, num(row, "chisq"), t.chiSquare(), tol);
                a.check("zph p", what + " " + term, num(row, "p"), t.p(), tol);
                a.require(t.df() == row.get("df").asInt(), what + " zph df " + term);
            }
        }
    }
}
