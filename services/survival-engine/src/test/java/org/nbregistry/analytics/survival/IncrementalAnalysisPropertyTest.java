package org.nbregistry.analytics.survival;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link IncrementalAnalysis} after seeded random sequences of add, change (day, status and level) and
 * remove, refreshed at random moments, against the from-scratch computation on the final records
 * ({@link Tabulation}, then {@link KaplanMeier}, {@link LogRank}, {@link Cox}): curves, bands and
 * log-rank tests bit for bit; the Cox fit against the from-scratch fit started where the refresh
 * started (the previous estimate): null log-likelihood and score test bit for bit, the rest to 1e-10
 * (the refresh moves Newton iterates by Taylor polynomials exact to rounding); and within the
 * convergence tolerance against a fit from β = 0. Half the seeds use Breslow ties and log-log bands at
 * 90%; the levels are 1, 2 or 3, and 6 or 12 as the service's multi-level groupings.
 */
class IncrementalAnalysisPropertyTest {

    private static final String[] LEVELS = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"};

    private record Rec(int day, boolean event, int group) {
    }

    @ParameterizedTest
    @ValueSource(longs = {1L, 2L, 3L, 4L, 5L, 6L, 42L, 20240604L, 987654321L})
    void randomEditsMatchFromScratch(long seed) {
        int levels = 1 + (int) (seed % 3);
        if (seed > 100) {
            levels = 2;
        }
        editAndCompare(new SplittableRandom(seed), seed, levels);
    }

    /**
     * More than two levels, as the service's site (6) and period (12) groupings: log-rank sums and Cox
     * terms kept per block of days and redone where the counts changed ({@code ManyGroups}) equal the
     * from-scratch test and fit, the fit from the same start.
     */
    @ParameterizedTest
    @CsvSource({"6, 1", "6, 2", "12, 3", "12, 4", "12, 20260601"})
    void multiLevelEditsMatchFromScratch(int levels, long seed) {
        editAndCompare(new Random(seed), seed, levels);
    }

    private static void editAndCompare(RandomGenerator rnd, long seed, int levels) {
        int maxDay = rnd.nextBoolean() ? 40 : 2500;
        // the non-default options on some seeds: Breslow ties, log-log bands at 90%
        boolean options = seed % 2 == 0;
        Cox.Ties ties = options ? Cox.Ties.BRESLOW : Cox.Ties.EFRON;
        ConfType type = options ? ConfType.LOG_LOG : ConfType.LOG;
        double level = options ? 0.9 : 0.95;
        IncrementalAnalysis analysis = new IncrementalAnalysis(Comparator.naturalOrder(), type, level, ties);
        Map<Long, Rec> model = new LinkedHashMap<>();
        List<Long> ids = new ArrayList<>();
        long nextId = 31L * seed;
        AnalysisResult previous = null;
        int operations = 2500;
        int checks = 0;
        for (int op = 0; op < operations; op++) {
            int kind = model.isEmpty() ? 0 : rnd.nextInt(10);
            if (kind < 4) {
                long id = nextId++;
                Rec r = randomRecord(rnd, levels, maxDay);
                add(analysis, r);
                model.put(id, r);
                ids.add(id);
            } else if (kind < 8) {
                long id = ids.get(rnd.nextInt(ids.size()));
                Rec old = model.get(id);
                // mostly a new day and status in the same level (what a follow-up update looks like)
                Rec r = rnd.nextInt(5) == 0 ? randomRecord(rnd, levels, maxDay)
                        : new Rec(rnd.nextInt(maxDay + 1), rnd.nextInt(3) > 0, old.group());
                subtract(analysis, old);
                add(analysis, r);
                model.put(id, r);
            } else {
                int at = rnd.nextInt(ids.size());
                long id = ids.get(at);
                ids.set(at, ids.get(ids.size() - 1));
                ids.remove(ids.size() - 1);
                subtract(analysis, model.remove(id));
            }
            if (rnd.nextInt(4) == 0 || op == operations - 1) {
                AnalysisResult now = analysis.refresh();
                assertSame(now, analysis.refresh(), "a refresh without changes returns the same result");
                compare(now, previous, model, levels, ties, type, level, "seed " + seed + " op " + op);
                previous = now;
                checks++;
            }
        }
        // drain the first level: it drops out, the rest is refitted
        for (Map.Entry<Long, Rec> e : new ArrayList<>(model.entrySet())) {
            if (e.getValue().group() == 0) {
                subtract(analysis, model.remove(e.getKey()));
            }
        }
        compare(analysis.refresh(), previous, model, levels, ties, type, level, "seed " + seed + " drained");
        assertTrue(checks > 100);
    }

    private static void add(IncrementalAnalysis analysis, Rec r) {
        analysis.add(r.day(), r.event(), LEVELS[r.group()]);
    }

    private static void subtract(IncrementalAnalysis analysis, Rec r) {
        analysis.subtract(r.day(), r.event(), LEVELS[r.group()]);
    }

    private static Rec randomRecord(RandomGenerator rnd, int levels, int maxDay) {
        return new Rec(rnd.nextInt(maxDay + 1), rnd.nextInt(3) > 0, rnd.nextInt(levels));
    }

    private static GroupedCounts scratchCounts(Map<Long, Rec> model, int levels) {
        int n = model.size();
        int[] day = new int[n];
        int[] status = new int[n];
        int[] group = new int[n];
        int i = 0;
        for (Rec r : model.values()) {
            day[i] = r.day();
            status[i] = r.event() ? 1 : 0;
            group[i] = r.group();
            i++;
        }
        return Tabulation.groupedCounts(Arrays.copyOf(LEVELS, levels), group, day, status);
    }

    private static void compare(AnalysisResult result, AnalysisResult previous, Map<Long, Rec> model, int levels,
                                Cox.Ties ties, ConfType type, double level, String what) {
        GroupedCounts scratch = scratchCounts(model, levels);
        assertEquals(List.of(scratch.groups()), result.groups(), what);
        KaplanMeierCurve[] curves = KaplanMeier.byGroup(scratch);
        assertEquals(curves.length, result.curves().size(), what);
        for (int g = 0; g < curves.length; g++) {
            assertEquals(curves[g], result.curves().get(g), what + " curve " + g);
            assertEquals(KaplanMeier.confidenceBand(curves[g], type, level), result.bands().get(g),
                    what + " band " + g);
        }
        if (scratch.groupCount() < 2) {
            assertNull(result.logRank());
            assertNull(result.cox());
            return;
        }
        assertEquals(LogRank.logRank(scratch), result.logRank(), what + " log-rank");
        boolean warm = previous != null && previous.groups().equals(result.groups()) && previous.cox() != null
                && IncrementalAnalysis.allEstimated(previous.cox());
        double[] start = warm ? previous.cox().warmStart() : null;
        CoxFit expected = Cox.fitCategorical(List.of(scratch), ties, start, false);
        assertSameFit(expected, result.cox(), 1e-10, what);
        if (minEventsPerLevel(scratch) >= 25) {
            CoxFit cold = Cox.fitCategorical(List.of(scratch), ties, null, false);
            CoxFitAgreement.warmAgreesWithCold(cold, result.cox(), what);
        }
    }

    private static int minEventsPerLevel(GroupedCounts c) {
        int min = Integer.MAX_VALUE;
        for (int[] ev : c.events()) {
            min = Math.min(min, Arrays.stream(ev).sum());
        }
        return min;
    }

    /**
     * The same Newton path: the same number of iterations and every number within {@code tol}
     * (coefficients against their SE, test statistics below 1 absolutely); the figures at β = 0
     * identical.
     */
    static void assertSameFit(CoxFit expected, CoxFit actual, double tol, String what) {
        assertEquals(expected.iterations(), actual.iterations(), what + " iterations");
        assertEquals(expected.converged(), actual.converged(), what + " converged");
        assertEquals(expected.n(), actual.n(), what + " n");
        assertEquals(expected.events(), actual.events(), what + " events");
        assertEquals(expected.logLikNull(), actual.logLikNull(), 0, what + " loglik null");
        assertEquals(expected.score(), actual.score(), what + " score");
        for (int j = 0; j < expected.size(); j++) {
            CoxFit.Term e = expected.terms().get(j);
            CoxFit.Term a = actual.terms().get(j);
            assertEquals(e.status(), a.status(), what + " status");
            assertEquals(e.divergence(), a.divergence(), what + " divergence");
            if (e.status() == CoxFit.TermStatus.ESTIMATED) {
                CoxTestData.close(e.coef(), a.coef(), tol, e.se(), what + " coef");
                CoxTestData.rel(e.se(), a.se(), tol, what + " se");
                CoxTestData.close(e.p(), a.p(), tol * Math.max(1, e.z() * e.z() / 2), 1e-300, what + " p");
            }
        }
        CoxTestData.rel(expected.logLik(), actual.logLik(), tol, what + " loglik");
        CoxTestData.close(expected.likelihoodRatio().chiSquare(), actual.likelihoodRatio().chiSquare(), tol, 1,
                what + " lr");
        CoxTestData.close(expected.wald().chiSquare(), actual.wald().chiSquare(), tol, 1, what + " wald");
    }

    /**
     * A registry-sized analysis (100,000 episodes, two levels, exponential follow-up in whole days) after
     * each of 100 single-record changes: the refresh takes exactly one Newton step and, stopping by R's
     * rule, agrees with the fit from β = 0 at the tolerance used against R (1e-6 relative on
     * coefficients and SEs). One step suffices once a record's change moves the log-likelihood by less
     * than R's 1e-9 relative, i.e. from some 50,000 episodes on; smaller analyses may take a second step.
     */
    @Test
    void oneChangeConvergesInOneNewtonStep() {
        SplittableRandom rnd = new SplittableRandom(99);
        int n = 100_000;
        IncrementalAnalysis analysis = new IncrementalAnalysis();
        Map<Long, Rec> model = new LinkedHashMap<>();
        for (long id = 0; id < n; id++) {
            Rec r = registryRecord(rnd, rnd.nextDouble() < 0.35 ? 1 : 0);
            add(analysis, r);
            model.put(id, r);
        }
        analysis.refresh();
        for (int change = 0; change < 100; change++) {
            long id = rnd.nextInt(n);
            Rec r = registryRecord(rnd, model.get(id).group());
            subtract(analysis, model.get(id));
            add(analysis, r);
            model.put(id, r);
            AnalysisResult result = analysis.refresh();
            assertEquals(1, result.cox().iterations(), "change " + change);
            assertTrue(result.cox().converged());
            GroupedCounts scratch = scratchCounts(model, 2);
            CoxFitAgreement.warmAgreesWithCold(Cox.fitCategorical(List.of(scratch), Cox.Ties.EFRON, null, false),
                    result.cox(), "change " + change);
            assertEquals(LogRank.logRank(scratch), result.logRank());
        }
        // each refresh evaluates at its start (the previous estimate) and one Newton step away: after the
        // first refresh, both come from Taylor polynomials; passes over all days are rare re-anchorings
        long[] paths = analysis.coxEvaluationPaths();
        System.out.println("100 refreshes: " + paths[0] + " Taylor evaluations, " + paths[1] + " passes over the days");
        assertTrue(paths[1] <= 10, paths[1] + " passes over the days");
    }

    /**
     * Between passes over the days, the refresh answers the Newton iterations' evaluations with Taylor
     * polynomials around the last pass (the anchor), when their proven error is below 1e-13 of the
     * information and of the number of events (score) and 2^-53 of the log-likelihood. Checked against
     * the from-scratch likelihood at the same β, with room for the direct sums' own rounding.
     */
    @Test
    void taylorEvaluationsAgreeWithTheDirectLikelihood() {
        SplittableRandom rnd = new SplittableRandom(5);
        IncrementalAnalysis analysis = new IncrementalAnalysis();
        Map<Long, Rec> model = new LinkedHashMap<>();
        for (long id = 0; id < 50_000; id++) {
            Rec r = registryRecord(rnd, rnd.nextDouble() < 0.4 ? 1 : 0);
            add(analysis, r);
            model.put(id, r);
        }
        double anchor = analysis.refresh().cox().warmStart()[0];
        CoxNewton.Likelihood incremental = analysis.coxLikelihood();
        CoxCounts direct = new CoxCounts(List.of(scratchCounts(model, 2)), Cox.Ties.EFRON);
        double[] u = new double[1];
        double[] info = new double[1];
        double[] uDirect = new double[1];
        double[] infoDirect = new double[1];
        // the refresh's last pass was at its estimate: the anchor; then ever larger steps away from it
        double[] steps = {0, 1e-7, -3e-6, 1e-5, -1e-4, 3e-4, -1e-3, 0.05};
        long taylor = 0;
        for (double step : steps) {
            long[] before = analysis.coxEvaluationPaths();
            double beta = anchor + step;
            double ll = incremental.evaluate(new double[] {beta}, u, info);
            double llDirect = direct.evaluate(new double[] {beta}, uDirect, infoDirect);
            long[] after = analysis.coxEvaluationPaths();
            boolean byTaylor = after[0] > before[0];
            taylor += byTaylor ? 1 : 0;
            String what = "step " + step + (byTaylor ? " (Taylor)" : " (pass over the days)");
            CoxTestData.rel(llDirect, ll, 1e-15, what + " loglik");
            CoxTestData.close(uDirect[0], u[0], 2e-13, direct.events, what + " score");
            CoxTestData.rel(infoDirect[0], info[0], 2e-13, what + " information");
        }
        assertTrue(taylor >= 5, "small steps are answered by Taylor polynomials: " + taylor);
        long[] paths = analysis.coxEvaluationPaths();
        assertTrue(paths[1] >= 2, "the step of 0.05 needs a pass over the days: " + paths[1]);
    }

    private static Rec registryRecord(SplittableRandom rnd, int group) {
        double rate = (group == 1 ? 1.6 : 1.0) / 900;
        double t = -Math.log(1 - rnd.nextDouble()) / rate;
        double censor = rnd.nextDouble() * 5475;
        return new Rec((int) Math.min(t, censor), t <= censor, group);
    }
}
