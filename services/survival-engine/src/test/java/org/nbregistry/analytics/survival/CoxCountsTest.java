package org.nbregistry.analytics.survival;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The count-based categorical Cox: warm starts after data changes, and diverging coefficients
 * (monotone likelihood) reported as such by both the count-based and the per-record fit.
 */
class CoxCountsTest {

    /** Mutable copy of a one-factor dataset: days, status, level per record. */
    private static final class Records {
        final List<Integer> days = new ArrayList<>();
        final List<Integer> status = new ArrayList<>();
        final List<String> level = new ArrayList<>();

        GroupedCounts counts(List<String> levels) {
            return CoxTestData.counts(days.stream().mapToInt(Integer::intValue).toArray(),
                    status.stream().mapToInt(Integer::intValue).toArray(), level.toArray(String[]::new), levels);
        }

        CoxData data(List<String> levels) {
            CoxDesign design = CoxDesign.builder(days.size()).factor("g", level.toArray(String[]::new), levels)
                    .build();
            return CoxData.of(days.stream().mapToInt(Integer::intValue).toArray(),
                    status.stream().mapToInt(Integer::intValue).toArray(), design);
        }
    }

    private static Records registry(String column) {
        CoxTestData.Table t = CoxTestData.csv("cox_registry.csv");
        Records r = new Records();
        for (int i = 0; i < t.size(); i++) {
            r.days.add(Integer.parseInt(t.get(i, "time_days")));
            r.status.add(Integer.parseInt(t.get(i, "status")));
            r.level.add(t.get(i, column));
        }
        return r;
    }

    /**
     * After each of a seeded random sequence of adds, changes and removals, a fit warm-started from
     * the previous fit takes at most 2 iterations and lands where a fit from β = 0 does. Both stop by
     * R's rule (relative log-likelihood change ≤ 1e-9), which leaves β̂ within ~1e-8 of the maximum
     * along different paths, so coefficients, SEs and cox.zph (a function of β̂) agree at the 1e-6 used
     * for coefficients against R; the log-likelihood, flat at the maximum, agrees at 1e-12, and the
     * null log-likelihood and the score test, always evaluated at β = 0, agree exactly.
     */
    @Test
    void warmStartAfterEachChangeConvergesInAtMostTwoIterationsToTheScratchFit() {
        Records r = registry("risk");
        List<String> levels = List.copyOf(new TreeSet<>(r.level));
        SplittableRandom rnd = new SplittableRandom(20240611);
        CoxTestData.Agreement agree = new CoxTestData.Agreement("warm start vs scratch");
        for (Cox.Ties ties : Cox.Ties.values()) {
            double[] start = Cox.fitCategorical(r.counts(levels), ties, null).warmStart();
            int maxIter = 0;
            for (int step = 0; step < 80; step++) {
                int op = rnd.nextInt(3);
                int day = 1 + rnd.nextInt(1900);
                int st = rnd.nextInt(2);
                String lv = levels.get(rnd.nextInt(levels.size()));
                if (op == 0) {
                    r.days.add(day);
                    r.status.add(st);
                    r.level.add(lv);
                } else {
                    int i = rnd.nextInt(r.days.size());
                    if (op == 1) {
                        r.days.set(i, day);
                        r.status.set(i, st);
                        r.level.set(i, lv);
                    } else {
                        r.days.remove(i);
                        r.status.remove(i);
                        r.level.remove(i);
                    }
                }
                GroupedCounts c = r.counts(levels);
                CoxFit scratch = Cox.fitCategorical(c, ties, null);
                CoxFit warm = Cox.fitCategorical(c, ties, start);
                String what = ties + " step " + step;
                agree.require(warm.converged() && warm.iterations() <= 2,
                        what + ": warm start took " + warm.iterations() + " iterations");
                maxIter = Math.max(maxIter, warm.iterations());
                for (int j = 0; j < scratch.size(); j++) {
                    agree.check("coef", what, scratch.terms().get(j).coef(), warm.terms().get(j).coef(), 1e-6);
                    agree.check("se", what, scratch.terms().get(j).se(), warm.terms().get(j).se(), 1e-6);
                }
                agree.check("loglik", what, scratch.logLik(), warm.logLik(), 1e-12);
                agree.check("loglik null (always at 0)", what, scratch.logLikNull(), warm.logLikNull(), 0);
                agree.check("score test (always at 0)", what, scratch.score().chiSquare(),
                        warm.score().chiSquare(), 1e-13);
                agree.check("lr", what, scratch.likelihoodRatio().chiSquare(),
                        warm.likelihoodRatio().chiSquare(), 1e-9);
                agree.check("zph", what, scratch.zph().global().chiSquare(), warm.zph().global().chiSquare(),
                        1e-6);
                start = warm.warmStart();
            }
            assertTrue(maxIter >= 1, "at least one iteration is always taken");
        }
        agree.done();
    }

    /** A level without events: R warns "Loglik converged before variable 2"; we report it as diverging. */
    @Test
    void levelWithoutEventsIsReportedAsDivergingNotAsANumber() {
        CoxTestData.Table t = CoxTestData.csv("cox_edge.csv");
        List<String> levels = List.of("a", "b", "c", "d");
        int[] days = t.ints("time_days");
        int[] status = t.ints("status");
        String[] grp = t.strings("grp");
        GroupedCounts counts = CoxTestData.counts(days, status, grp, levels);
        CoxData data = CoxData.of(days, status, CoxDesign.builder(days.length).factor("grp", grp, levels).build());
        for (Cox.Ties ties : Cox.Ties.values()) {
            for (CoxFit fit : List.of(Cox.fitCategorical(counts, ties, null),
                    Cox.fit(data, CoxOptions.defaults().withTies(ties)))) {
                assertTrue(fit.hasDivergingTerm());
                CoxFit.Term c = fit.terms().get(1);
                assertEquals(CoxFit.TermStatus.DIVERGING, c.status());
                assertEquals(-1, c.divergence(), "hazard ratio of a level without events tends to 0");
                for (double v : new double[] {c.coef(), c.hazardRatio(), c.se(), c.z(), c.p(), c.lower(), c.upper()}) {
                    assertTrue(Double.isNaN(v), "a diverging coefficient has no numbers: " + c);
                }
                for (int j : new int[] {0, 2}) {
                    CoxFit.Term ok = fit.terms().get(j);
                    assertEquals(CoxFit.TermStatus.ESTIMATED, ok.status());
                    assertTrue(Double.isFinite(ok.coef()) && Double.isFinite(ok.se()) && ok.se() > 0);
                }
                assertTrue(Double.isNaN(fit.wald().chiSquare()), "Wald test depends on where iteration stopped");
                assertTrue(Double.isFinite(fit.likelihoodRatio().chiSquare()));
                assertTrue(Double.isFinite(fit.score().chiSquare()));
                // warm-starting from the diverging iterate keeps reporting it as diverging, refresh after
                // refresh (the start is held at ±25, so exp(β) never underflows into "not estimable")
                double[] start = fit.warmStart();
                for (int refresh = 0; refresh < 300; refresh++) {
                    CoxFit again = Cox.fitCategorical(counts, ties, start);
                    assertEquals(CoxFit.TermStatus.DIVERGING, again.terms().get(1).status(), "refresh " + refresh);
                    assertTrue(again.iterations() <= 2);
                    CoxTestData.rel(fit.terms().get(0).coef(), again.terms().get(0).coef(), 1e-6, "other level");
                    start = again.warmStart();
                }
            }
        }
    }

    /**
     * The level without events gets one: a refresh warm-started from the diverging iterate (held at −25) must give
     * the cold fit's answer, not a singular information matrix read as "aliased".
     */
    @Test
    void aDivergingLevelThatGetsAnEventIsEstimatedAfterAWarmStart() {
        CoxTestData.Table t = CoxTestData.csv("cox_edge.csv");
        List<String> levels = List.of("a", "b", "c", "d");
        int[] days = t.ints("time_days");
        int[] status = t.ints("status").clone();
        String[] grp = t.strings("grp");
        for (Cox.Ties ties : Cox.Ties.values()) {
            double[] start = Cox.fitCategorical(CoxTestData.counts(days, t.ints("status"), grp, levels), ties, null).warmStart();
            int first = List.of(grp).indexOf("c");
            status[first] = 1;
            GroupedCounts changed = CoxTestData.counts(days, status, grp, levels);
            CoxFit cold = Cox.fitCategorical(changed, ties, null);
            CoxFit warm = Cox.fitCategorical(changed, ties, start);
            for (int j = 0; j < cold.terms().size(); j++) {
                CoxFit.Term c = cold.terms().get(j);
                CoxFit.Term w = warm.terms().get(j);
                assertEquals(c.status(), w.status(), ties + " " + c.name() + ": " + w);
                if (c.status() == CoxFit.TermStatus.ESTIMATED) {
                    CoxTestData.rel(c.coef(), w.coef(), 1e-6, ties + " " + c.name());
                    CoxTestData.rel(c.se(), w.se(), 1e-6, ties + " " + c.name() + " se");
                }
            }
            assertEquals(CoxFit.TermStatus.ESTIMATED, warm.terms().get(1).status(), "level c has an event now");
            status[first] = 0;
        }
    }

    /**
     * A level whose records all fail before anyone else: the hazard ratio tends to +∞ (R 3.5-3:
     * coef 21.8 Efron / 21.5 Breslow with the "may be infinite" warning, checked when writing this).
     */
    @Test
    void levelFailingFirstDivergesUpwards() {
        int[] days = {1, 1, 2, 5, 8, 10, 10, 15, 20, 22, 30, 35, 40, 41, 50, 60, 61, 70, 80, 90, 95, 100};
        int[] status = {1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0};
        String[] g = new String[days.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = i < 3 ? "x" : "y";
        }
        List<String> levels = List.of("y", "x");
        GroupedCounts counts = CoxTestData.counts(days, status, g, levels);
        CoxData data = CoxData.of(days, status, CoxDesign.builder(days.length).factor("g", g, levels).build());
        for (Cox.Ties ties : Cox.Ties.values()) {
            for (CoxFit fit : List.of(Cox.fitCategorical(counts, ties, null),
                    Cox.fit(data, CoxOptions.defaults().withTies(ties)))) {
                CoxFit.Term x = fit.terms().get(0);
                assertEquals(CoxFit.TermStatus.DIVERGING, x.status(), ties + " " + x);
                assertEquals(1, x.divergence());
                assertTrue(Double.isNaN(x.hazardRatio()));
                assertTrue(fit.converged());
                CoxFit again = Cox.fitCategorical(counts, ties, fit.warmStart());
                assertEquals(CoxFit.TermStatus.DIVERGING, again.terms().get(0).status(), ties + " warm-started: " + again.terms().get(0));
            }
        }
    }

    /** Counts from the incremental state's stratified snapshot type give the same fit as a list. */
    @Test
    void stratifiedCountsOverloadEqualsListOfStrata() {
        CoxTestData.Table t = CoxTestData.csv("cox_registry.csv");
        List<String> levels = List.of("amp", "non");
        List<GroupedCounts> per = CoxReferenceTest.perStratum(t.ints("time_days"), t.ints("status"),
                t.strings("mycn"), t.strings("era"), levels);
        StratifiedCounts sc = new StratifiedCounts(levels.toArray(String[]::new), new String[] {"s0", "s1"},
                per.toArray(GroupedCounts[]::new));
        CoxFit a = Cox.fitCategorical(sc, Cox.Ties.EFRON, null);
        CoxFit b = Cox.fitCategoricalStratified(per, Cox.Ties.EFRON, null);
        assertEquals(b.terms(), a.terms());
        assertNotNull(a.zph());
        assertFalse(a.hasDivergingTerm());
    }
}
