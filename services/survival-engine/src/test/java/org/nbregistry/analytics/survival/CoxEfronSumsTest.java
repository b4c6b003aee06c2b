package org.nbregistry.analytics.survival;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The O(1) Efron sums against compensated brute-force summation over the d pseudo risk sets.
 * T1, Q1 and Q2 enter the score and information only multiplied by death weights (≤ B), so their
 * error is judged on that scale, relative to the larger of the product itself and d (A·t0 ≈ d is the
 * size of the terms they are added to when the deaths are a small part of the risk set).
 *
 * <p>The two-level day terms of {@link CoxTwoLevelDays} (series, long series, runs, single deaths,
 * Breslow) against the same brute force: the log-likelihood term relative to Σ|log D_k|, the score
 * relative to d, the information relative to itself, all at {@value #TWO_LEVEL_TOL} (a few ulps);
 * the third to fifth cumulant sums within their stated bound.
 */
class CoxEfronSumsTest {

    private static final double TOL = 1e-13;
    /** The two-level day terms: every path is within a few ulps (largest seen ~8e-16). */
    private static final double TWO_LEVEL_TOL = 4e-15;

    @Test
    void eulerMaclaurinAndDirectSumsMatchBruteForce() {
        SplittableRandom rnd = new SplittableRandom(7);
        double[] got = new double[CoxEfronSums.SIZE];
        double[] ref = new double[CoxEfronSums.SIZE];
        int cases = 0;
        for (int rep = 0; rep < 4000; rep++) {
            int d = rep % 3 == 0 ? 1 + rnd.nextInt(40) : 1 + (int) Math.exp(rnd.nextDouble() * Math.log(20000));
            // risk-set weight relative to the deaths: from "everyone at risk dies" to B/A = 1e-7
            double ratio = rep % 7 == 0 ? 1.0 : Math.exp(-rnd.nextDouble() * 16);
            double b = d * Math.exp((rnd.nextDouble() - 0.5) * 20);
            double e = rep % 7 == 0 ? 0 : b / ratio - b;
            double a = e + b;
            CoxEfronSums.compute(e, b, d, got);
            bruteForce(e, b, d, ref);
            String what = "E=" + e + " B=" + b + " d=" + d;
            // Σ log D_k can cancel to ~0 (e.g. d log h + log d! when everyone dies): judged on Σ |log D_k|
            check(ref[CoxEfronSums.LOG], got[CoxEfronSums.LOG], Math.max(1, absLogSum(e, b, d)), what + " log");
            check(ref[CoxEfronSums.T0], got[CoxEfronSums.T0], ref[CoxEfronSums.T0], what + " t0");
            check(ref[CoxEfronSums.Q0], got[CoxEfronSums.Q0], ref[CoxEfronSums.Q0], what + " q0");
            // scale of the terms these are added to: a·t0 ≈ d for t1 (times b), a²·q0 ≈ d for q1 (a·b), q2 (b²)
            check(ref[CoxEfronSums.T1] * b, got[CoxEfronSums.T1] * b, d, what + " t1");
            check(ref[CoxEfronSums.Q1] * a * b, got[CoxEfronSums.Q1] * a * b, d, what + " q1");
            check(ref[CoxEfronSums.Q2] * b * b, got[CoxEfronSums.Q2] * b * b, d, what + " q2");
            cases++;
        }
        assertTrue(cases == 4000);
    }

    private static void check(double expected, double actual, double scale, String what) {
        check(expected, actual, scale, TOL, what);
    }

    private static double check(double expected, double actual, double scale, double tol, String what) {
        double err = Math.abs(expected - actual) / Math.max(scale, Math.abs(expected));
        assertTrue(err <= tol, what + ": expected " + expected + " got " + actual + " (error " + err + ")");
        return err;
    }

    private static double absLogSum(double e, double b, int d) {
        double s = 0;
        for (int k = 0; k < d; k++) {
            s += Math.abs(Math.log(e + (double) (d - k) / d * b));
        }
        return s;
    }

    /** Σ over k = 0..d−1 of D_k = E + ((d−k)/d)·B, Neumaier-compensated. */
    private static void bruteForce(double e, double b, int d, double[] out) {
        double[] sum = new double[CoxEfronSums.SIZE];
        double[] comp = new double[CoxEfronSums.SIZE];
        for (int k = 0; k < d; k++) {
            double c = (double) k / d;
            double dk = e + (double) (d - k) / d * b;
            double inv = 1 / dk;
            add(sum, comp, CoxEfronSums.LOG, Math.log(dk));
            add(sum, comp, CoxEfronSums.T0, inv);
            add(sum, comp, CoxEfronSums.T1, c * inv);
            add(sum, comp, CoxEfronSums.Q0, inv * inv);
            add(sum, comp, CoxEfronSums.Q1, c * inv * inv);
            add(sum, comp, CoxEfronSums.Q2, c * c * inv * inv);
        }
        for (int i = 0; i < CoxEfronSums.SIZE; i++) {
            out[i] = sum[i] + comp[i];
        }
    }

    private static void add(double[] sum, double[] comp, int i, double v) {
        double t = sum[i] + v;
        if (Math.abs(sum[i]) >= Math.abs(v)) {
            comp[i] += (sum[i] - t) + v;
        } else {
            comp[i] += (v - t) + sum[i];
        }
        sum[i] = t;
    }

    @Test
    void centralMomentsOfEquallySpacedPoints() {
        for (int d = 1; d <= 60; d++) {
            double[] mu = new double[9];
            for (int k = 0; k < d; k++) {
                double c = k - (d - 1) / 2.0;
                for (int m = 2; m <= 8; m += 2) {
                    mu[m] += Math.pow(c, m) / d;
                }
            }
            double d2 = (double) d * d;
            double m2 = CoxTwoLevelDays.mu2(d2);
            check(mu[2], m2, Math.max(mu[2], 1), "mu2 d=" + d);
            check(mu[4], CoxTwoLevelDays.mu4(m2, d2), Math.max(mu[4], 1), "mu4 d=" + d);
            check(mu[6], CoxTwoLevelDays.mu6(m2, d2), Math.max(mu[6], 1), "mu6 d=" + d);
            check(mu[8], CoxTwoLevelDays.mu8(m2, d2), Math.max(mu[8], 1), "mu8 d=" + d);
        }
    }

    /**
     * Random days over every path: d from 1 to 30,000 (up to 2·10^8 at risk), deaths from 1e-6 of those
     * at risk to all of them, a level with almost no one or almost everyone, one level wiped out on the
     * day, |β| up to 10.
     */
    @Test
    void twoLevelDayTermsMatchBruteForce() {
        SplittableRandom rnd = new SplittableRandom(11);
        int[] paths = new int[5];
        double[][] worst = new double[5][3];
        for (int rep = 0; rep < 20_000; rep++) {
            int d = rep % 4 == 0 ? 1 + rnd.nextInt(12) : 1 + (int) Math.exp(rnd.nextDouble() * Math.log(30_000));
            int d1 = rnd.nextInt(d + 1);
            int d0 = d - d1;
            double fraction = rep % 9 == 0 ? 1 : Math.exp(-rnd.nextDouble() * 14);
            long total = Math.min(200_000_000L, Math.max(d, (long) (d / fraction)));
            double share = rep % 5 == 0 ? (rnd.nextBoolean() ? 1e-6 : 1 - 1e-6) : rnd.nextDouble();
            int n1 = (int) Math.max(d1, Math.round(total * share));
            int n0 = (int) Math.max(d0, total - n1);
            if (rep % 11 == 0) {
                n1 = d1 + rnd.nextInt(3);
            }
            if (rep % 13 == 0) {
                n0 = d0 + rnd.nextInt(3);
            }
            if (n0 + n1 == 0 || (n1 == 0 && d1 > 0)) {
                continue;
            }
            double beta = (rnd.nextDouble() - 0.5) * (rep % 3 == 0 ? 20 : 2);
            for (boolean efron : new boolean[] {true, false}) {
                CoxTwoLevelDays days = new CoxTwoLevelDays(efron, 1);
                days.set(0, n0, n1, d0, d1);
                double r = Math.exp(beta);
                double ll = days.evaluate(0, beta, r);
                double[] ref = bruteForceTwoLevels(n0, n1, d0, d1, beta, efron);
                String what = (efron ? "efron" : "breslow") + " n0=" + n0 + " n1=" + n1 + " d0=" + d0 + " d1=" + d1
                        + " beta=" + beta;
                double[] err = {
                    check(ref[0], ll, Math.max(1, ref[3]), TWO_LEVEL_TOL, what + " loglik"),
                    check(ref[1], days.score, d, TWO_LEVEL_TOL, what + " score"),
                    check(ref[2], days.information, Math.max(ref[2], Double.MIN_NORMAL), TWO_LEVEL_TOL,
                            what + " information")};
                int path = efron ? path(n0, n1, d0, d1, r) : 0;
                for (int e = 0; e < 3; e++) {
                    worst[path][e] = Math.max(worst[path][e], err[e]);
                }
                days.higherOrder(0);
                double[] cumulants = {days.cumulant3, days.cumulant4, days.cumulant5};
                double[] sup = {12, 72, 300};
                for (int n = 0; n < 3; n++) {
                    // the stated bound, plus Σp and Σpq's own rounding carried through κ_n (|κ_n'| ≤ 30)
                    double allowed = sup[n] / 6 * days.higherBound + 30 * TOL * d;
                    assertTrue(Math.abs(cumulants[n] - ref[4 + n]) <= allowed, what + " cumulant " + (n + 3) + ": "
                            + cumulants[n] + " vs " + ref[4 + n] + " (allowed " + allowed + ")");
                }
                if (efron) {
                    paths[path]++;
                }
            }
        }
        String[] names = {"single death/Breslow", "short series", "long series", "runs, d < 40", "runs, d >= 40"};
        for (int p = 0; p < paths.length; p++) {
            System.out.printf("two-level day terms, %-20s %6d days: largest error loglik %.1e score %.1e "
                    + "information %.1e%n", names[p], paths[p], worst[p][0], worst[p][1], worst[p][2]);
            assertTrue(paths[p] > 100, "path " + p + " taken " + paths[p] + " times");
        }
    }

    /** 0: single death, 1: short series, 2: long series, 3: runs of one pseudo set, 4: runs of several. */
    private static int path(int n0, int n1, int d0, int d1, double r) {
        int d = d0 + d1;
        if (d == 1) {
            return 0;
        }
        double w = (d - 1) / (2.0 * d);
        double m = (n0 - d0 * w) + r * (n1 - d1 * w);
        double rho = (d - 1) / 2.0 * ((double) d0 / d + r * d1 / d) / m;
        if (rho <= CoxTwoLevelDays.RHO_SHORT) {
            return 1;
        }
        if (rho <= CoxTwoLevelDays.RHO_LONG) {
            return 2;
        }
        return d < 40 ? 3 : 4;
    }

    /**
     * Compensated sums over the pseudo risk sets k = 0..d−1 (Efron: level weights n_g − (k/d)·d_g;
     * Breslow: d copies of the full risk set): {loglik term, score, information, Σ|log D_k|, Σκ3, Σκ4,
     * Σκ5}.
     */
    private static double[] bruteForceTwoLevels(int n0, int n1, int d0, int d1, double beta, boolean efron) {
        int d = d0 + d1;
        double r = Math.exp(beta);
        double[] sum = new double[7];
        double[] comp = new double[7];
        for (int k = 0; k < d; k++) {
            int kk = efron ? k : 0;
            double w0 = (double) ((long) n0 * d - (long) kk * d0) / d;
            double w1 = r * ((double) ((long) n1 * d - (long) kk * d1) / d);
            double dk = w0 + w1;
            double p = w1 / dk;
            double q = w0 / dk;
            double pq = p * q;
            add(sum, comp, 0, Math.log(dk));
            add(sum, comp, 1, p);
            add(sum, comp, 2, pq);
            add(sum, comp, 3, Math.abs(Math.log(dk)));
            add(sum, comp, 4, pq * (q - p));
            add(sum, comp, 5, pq * (1 - 6 * pq));
            add(sum, comp, 6, pq * (q - p) * (1 - 12 * pq));
        }
        double[] out = new double[7];
        for (int i = 0; i < 7; i++) {
            out[i] = sum[i] + comp[i];
        }
        out[0] = d1 * beta - out[0];
        out[1] = d1 - out[1];
        out[3] += Math.abs(d1 * beta);
        return out;
    }

    /** The sixth cumulant of a Bernoulli variable, pq(1 − 30pq + 120p²q²), is at most 1/4 in size. */
    @Test
    void sixthBernoulliCumulantIsAtMostAQuarter() {
        double max = 0;
        for (int i = 0; i <= 100_000; i++) {
            double p = i / 100_000.0;
            double t = p * (1 - p);
            max = Math.max(max, Math.abs(t * (1 - 30 * t + 120 * t * t)));
        }
        assertTrue(max <= 0.25 + 1e-15, "max |κ6| = " + max);
    }
}
