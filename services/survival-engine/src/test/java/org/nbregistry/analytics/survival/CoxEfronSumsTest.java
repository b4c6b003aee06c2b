package org.nbregistry.analytics.survival;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The O(1) Efron sums against compensated brute-force summation over the d pseudo risk sets.
 * T1, Q1 and Q2 enter the score and information only multiplied by death weights (≤ B), so their
 * error is judged on that scale, relative to the larger of the product itself and d (A·t0 ≈ d is the
 * size of the terms they are added to when the deaths are a small part of the risk set).
 */
class CoxEfronSumsTest {

    private static final double TOL = 1e-13;

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
        double err = Math.abs(expected - actual) / Math.max(scale, Math.abs(expected));
        assertTrue(err <= TOL, what + ": expected " + expected + " got " + actual + " (error " + err + ")");
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
}
