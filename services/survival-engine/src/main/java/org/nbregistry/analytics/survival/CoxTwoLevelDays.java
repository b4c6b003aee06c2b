package org.nbregistry.analytics.survival;

import java.util.Arrays;

/**
 * The Cox partial likelihood of a two-level factor (reference level 0, level 1 with risk r = e^β), one
 * event day at a time: the day's log-likelihood term, score and information from its four counts, in a
 * few dozen floating-point operations and one log whatever the number of tied deaths. Shared by the
 * from-scratch fit ({@link CoxCounts}) and the incremental one ({@link IncrementalAnalysis}), so both
 * produce the same bits from the same counts and β.
 *
 * <p>A day has n0, n1 records at risk and d0, d1 deaths (d = d0 + d1 ≥ 1). Breslow, and Efron with
 * d = 1: with A = n0 + r·n1 and p = r·n1/A, the term is d1·β − d·log A, the score d1 − d·p and the
 * information d·p·n0/A.
 *
 * <p>Efron with d ≥ 2 has d pseudo risk sets; set j removes the fraction c_j = j/d of each level's
 * deaths, j = 0..d−1. Centred on their mean, set j holds P + k·δ1 records of level 1 and Q + k·δ0 of
 * level 0, k = (d−1)/2 − j ∈ {−(d−1)/2, …, (d−1)/2}, with P = n1 − d1·(d−1)/(2d), Q likewise,
 * δ_g = d_g/d, total weight M(1 + k·x), M = Q + r·P and x = (δ0 + r·δ1)/M. The term is
 * d1·β − Σ log(M(1 + kx)), the score d1 − Σ p_k and the information Σ p_k q_k, where
 * p_k = r(P + kδ1)/(M(1 + kx)) and q_k = 1 − p_k = (Q + kδ0)/(M(1 + kx)). Expanding (1 + kx)^−1 and
 * (1 + kx)^−2 in powers of kx and summing over the symmetric k, the odd powers cancel:
 * <pre>
 *   Σ_k log(1 + kx)        = −d (μ2 x²/2 + μ4 x⁴/4 + μ6 x⁶/6 + μ8 x⁸/8 + …)
 *   Σ_k (P + kδ1)/(1 + kx) = d (P·S0 − δ1·S1),  S0 = Σ_even μ_m x^m,  S1 = Σ_odd μ_{m+1} x^m
 *   Σ_k (P + kδ1)(Q + kδ0)/(1 + kx)² = d (PQ·V0 − (Pδ0 + Qδ1)·V1 + δ0δ1·V2),
 *     V0 = Σ_even (m+1) μ_m x^m,  V1 = Σ_odd (m+1) μ_{m+1} x^m,  V2 = Σ_even (m+1) μ_{m+2} x^m
 * </pre>
 * with μ_m the central moments of d equally spaced points (μ0 = 1, μ2 = (d²−1)/12, μ4 =
 * μ2(3d²−7)/20, μ6 = μ2(3d⁴−18d²+31)/112, μ8 = μ2(5d⁶−55d⁴+239d²−381)/960). With ρ = x(d−1)/2, the
 * largest |kx|, an even series loses below ρ^(2L+2) relative to its sum when cut after μ_{2L}. The
 * other parts enter multiplied by δ_g/P_g, which is up to 2/(d+1) (a small level whose members all die
 * that day: its weight shrinks from n_g to n_g/d across the pseudo sets), so S1 and V1 (odd) and V2
 * (starting at μ2) are kept one moment further. Up to ρ = {@value #RHO_SHORT}: S0, V0 to μ4, S1, V1,
 * V2 to μ6 (what is left out: ≲ ρ⁶ ≤ 6.4e-17 relative, half an ulp); up to ρ = {@value #RHO_LONG}: all
 * to μ8 (≲ ρ⁸ ≤ 1e-16). Registry days are far inside: ρ is about half the day's death rate. Every term is
 * positive or a small correction, so nothing cancels (in particular the information is summed as
 * p·q, not as p − p²). A day with larger ρ (a large share of those at risk dies) is cut into runs
 * of pseudo risk sets short enough for the series ({@link #split}), O(log d) of them.
 * {@code CoxEfronSumsTest} checks every path against compensated brute-force sums.
 *
 * <p>Per day, {@link #set} stores the counts and the count-only constants; {@link #evaluate} returns
 * the term at β and leaves the score and information in {@link #score} and {@link #information};
 * {@link #higherOrder} then gives the third to fifth derivatives there. Not thread-safe.
 */
final class CoxTwoLevelDays {

    /** Largest ρ for the short series (to μ4, μ6): what it leaves out is below ρ⁶ = 6.4e-17 relative. */
    static final double RHO_SHORT = 2e-3;
    /** Largest ρ for the long series (μ2..μ8); beyond, the day is cut into runs. */
    static final double RHO_LONG = 1e-2;
    private static final double RHO_SHORT2 = RHO_SHORT * RHO_SHORT;
    private static final double RHO_LONG2 = RHO_LONG * RHO_LONG;

    final boolean efron;
    /** Per day, interleaved so that a day's numbers share cache lines: n0, n1, d0, d1. */
    private int[] counts;
    /** Per day, interleaved: P, Q, δ0, δ1, μ2, μ4, μ6, μ8 and ((d−1)/2)², so that ρ² = x²·((d−1)/2)². */
    private double[] constants;
    private static final int C = 9;

    /** Score and information of the day last passed to {@link #evaluate}. */
    double score;
    double information;

    /** Σ_k κ_n(p_k), n = 3, 4, 5, and their error bound, from {@link #higherOrder}. */
    double cumulant3;
    double cumulant4;
    double cumulant5;
    double higherBound;

    CoxTwoLevelDays(boolean efron, int capacity) {
        this.efron = efron;
        allocate(Math.max(capacity, 1));
    }

    private void allocate(int n) {
        counts = new int[4 * n];
        constants = new double[C * n];
    }

    /** Grows to hold at least n days, keeping those held. */
    void ensureCapacity(int n) {
        int held = counts.length / 4;
        if (n <= held) {
            return;
        }
        int c = Math.max(n, held + (held >> 1));
        counts = Arrays.copyOf(counts, 4 * c);
        constants = Arrays.copyOf(constants, C * c);
    }

    /**
     * Day indices from {@code from} on were renumbered: index from + i takes the day that was at
     * source[i], or nothing if source[i] is −1 (it is {@link #set} next).
     */
    void remap(int from, int[] source) {
        int[] newCounts = new int[counts.length];
        double[] newConstants = new double[constants.length];
        System.arraycopy(counts, 0, newCounts, 0, 4 * from);
        System.arraycopy(constants, 0, newConstants, 0, C * from);
        for (int i = 0; i < source.length; i++) {
            int src = source[i];
            if (src >= 0) {
                System.arraycopy(counts, 4 * src, newCounts, 4 * (from + i), 4);
                System.arraycopy(constants, C * src, newConstants, C * (from + i), C);
            }
        }
        counts = newCounts;
        constants = newConstants;
    }

    /** Stores day i's counts (at risk and deaths per level; deaths ≥ 1 in total) and its constants. */
    void set(int i, int atRisk0, int atRisk1, int deaths0, int deaths1) {
        int b = 4 * i;
        counts[b] = atRisk0;
        counts[b + 1] = atRisk1;
        counts[b + 2] = deaths0;
        counts[b + 3] = deaths1;
        int d = deaths0 + deaths1;
        if (!efron || d < 2) {
            return;
        }
        int k = C * i;
        double inverse = 1.0 / d;
        // P = n1 − d1(d−1)/(2d) from an exact integer numerator
        double halfInverse = 0.5 * inverse;
        constants[k] = (double) (2L * d * atRisk1 - (long) deaths1 * (d - 1)) * halfInverse;
        constants[k + 1] = (double) (2L * d * atRisk0 - (long) deaths0 * (d - 1)) * halfInverse;
        constants[k + 2] = deaths0 * inverse;
        constants[k + 3] = deaths1 * inverse;
        double dd = d;
        double d2 = dd * dd;
        double m2 = mu2(d2);
        constants[k + 4] = m2;
        constants[k + 5] = mu4(m2, d2);
        constants[k + 6] = mu6(m2, d2);
        constants[k + 7] = mu8(m2, d2);
        double half = (dd - 1) / 2;
        constants[k + 8] = half * half;
    }

    /** Central moments of d equally spaced points with unit spacing, from d² (and μ2). */
    static double mu2(double d2) {
        return (d2 - 1) * (1.0 / 12);
    }

    static double mu4(double m2, double d2) {
        return m2 * (3 * d2 - 7) * (1.0 / 20);
    }

    static double mu6(double m2, double d2) {
        return m2 * ((3 * d2 - 18) * d2 + 31) * (1.0 / 112);
    }

    static double mu8(double m2, double d2) {
        return m2 * (((5 * d2 - 55) * d2 + 239) * d2 - 381) * (1.0 / 960);
    }

    /**
     * Day i's log-likelihood term at β (r = e^β, passed so a pass over the days takes one exp); its
     * score and information are left in {@link #score} and {@link #information}.
     */
    double evaluate(int i, double beta, double r) {
        int b = 4 * i;
        int e1 = counts[b + 3];
        int dl = counts[b + 2] + e1;
        if (!efron || dl == 1) {
            return identicalSets(i, beta, r);
        }
        int k = C * i;
        double pp = constants[k];
        double qq = constants[k + 1];
        double dq0 = constants[k + 2];
        double dq1 = constants[k + 3];
        double m = qq + r * pp;
        double im = 1 / m;
        double x = (dq0 + r * dq1) * im;
        double y = x * x;
        double rho2 = y * constants[k + 8];
        if (!(rho2 <= RHO_SHORT2)) {
            return rho2 <= RHO_LONG2 ? longSeries(i, beta, r, m, im, x, y) : split(i, beta, r);
        }
        return shortSeries(k, e1, dl, beta, r, pp, qq, dq0, dq1, m, im, x, y);
    }

    /** The short series of {@link #block}, on its own so that the JIT inlines it: nearly every registry day. */
    private double shortSeries(int k, int e1, int dl, double beta, double r, double pp, double qq, double dq0,
                               double dq1, double m, double im, double x, double y) {
        double m2 = constants[k + 4];
        double m4 = constants[k + 5];
        double m6 = constants[k + 6];
        double s0 = 1 + y * (m2 + y * m4);
        double s1 = x * (m2 + y * (m4 + y * m6));
        double rd = r * dl * im;
        score = e1 - rd * (pp * s0 - dq1 * s1);
        double v0 = 1 + y * (3 * m2 + y * (5 * m4));
        double v1 = x * (2 * m2 + y * (4 * m4 + y * (6 * m6)));
        double v2 = m2 + y * (3 * m4 + y * (5 * m6));
        information = rd * im * (pp * qq * v0 - (pp * dq0 + qq * dq1) * v1 + dq0 * dq1 * v2);
        return e1 * beta - dl * (Math.log(m) - y * (m2 / 2 + y * (m4 / 4)));
    }

    /** Breslow, or Efron with one death: d identical risk sets. */
    private double identicalSets(int i, double beta, double r) {
        int b = 4 * i;
        int a0 = counts[b];
        int a1 = counts[b + 1];
        int e1 = counts[b + 3];
        int dl = counts[b + 2] + e1;
        double a = a0 + r * a1;
        double ia = 1 / a;
        double share = r * a1 * ia;
        score = e1 - dl * share;
        information = dl * share * (a0 * ia);
        return e1 * beta - dl * Math.log(a);
    }

    private double longSeries(int i, double beta, double r, double m, double im, double x, double y) {
        int e1 = counts[4 * i + 3];
        int dl = counts[4 * i + 2] + e1;
        int k = C * i;
        double ls = block(constants[k], constants[k + 1], constants[k + 2], constants[k + 3], dl, constants[k + 4],
                constants[k + 5], constants[k + 6], constants[k + 7], r, m, im, x, y, y * constants[k + 8]);
        score = e1 - blockP;
        information = blockPq;
        return e1 * beta - dl * (Math.log(m) - ls);
    }

    /**
     * The day's third to fifth derivatives (with the sign flipped: ℓ^(n) = −Σ_k κ_n(p_k), κ_n the
     * cumulants of a Bernoulli(p) variable) at the β of the last {@link #evaluate} of day i, r = e^β;
     * what {@link IncrementalAnalysis} needs to move a Newton iterate without another pass over the
     * days. With m = Σp/d the mean of the p_k, e_k = p_k − m, Σe_k = 0 and E2 = Σe_k² = Σp − Σpq −
     * d·m² (both sums exact from {@link #evaluate}), Taylor's theorem around m gives
     * <pre>
     *   Σ_k κ_n(p_k) = d·κ_n(m) + κ_n''(m)·E2/2 + R,   |R| ≤ sup|κ_n'''| / 6 · s · E2
     * </pre>
     * with s = √E2 ≥ max|e_k| and sup over [0, 1] of |κ_n'''| = 12, 72, 300 for n = 3, 4, 5. Leaves the
     * three sums in {@link #cumulant3}..{@link #cumulant5} and s·E2 = E2^(3/2) in {@link #higherBound}.
     * Breslow and single deaths have d equal p_k: exact, bound 0.
     */
    void higherOrder(int i) {
        int e1 = counts[4 * i + 3];
        int dl = counts[4 * i + 2] + e1;
        double sumP = e1 - score;
        double sumPq = information;
        double m = sumP / dl;
        double e2 = efron && dl > 1 ? Math.max(0, (sumP - sumPq) - sumP * m) : 0;
        double t = m * (1 - m);
        double u = 1 - 2 * m;
        cumulant3 = dl * (t * u) + (-6 + 12 * m) * e2 / 2;
        cumulant4 = dl * (t * (1 - 6 * t)) + (-14 + m * (72 - 72 * m)) * e2 / 2;
        cumulant5 = dl * (t * u * (1 - 12 * t)) + (-30 + m * (300 + m * (-720 + 480 * m))) * e2 / 2;
        double bound = e2 * Math.sqrt(e2);
        higherBound = bound == bound ? bound : Double.POSITIVE_INFINITY;
    }

    /** Σp and Σpq of the last {@link #block}. */
    private double blockP;
    private double blockPq;

    /**
     * The series for a run of m pseudo risk sets centred on (P, Q), spacing (δ0, δ1), total weight
     * M = Q + r·P (1/M = im), x = (δ0 + rδ1)/M, y = x², ρ² = y·((m−1)/2)² ≤ {@value #RHO_LONG}².
     * Leaves Σp and Σpq in blockP and blockPq; returns −Σ log(1 + kx)/m.
     */
    private double block(double pp, double qq, double dq0, double dq1, int count, double m2, double m4, double m6,
                         double m8, double r, double m, double im, double x, double y, double rho2) {
        double s0;
        double s1;
        double v0;
        double v1;
        double v2;
        double ls;
        if (rho2 <= RHO_SHORT2) {
            s0 = 1 + y * (m2 + y * m4);
            s1 = x * (m2 + y * (m4 + y * m6));
            v0 = 1 + y * (3 * m2 + y * (5 * m4));
            v1 = x * (2 * m2 + y * (4 * m4 + y * (6 * m6)));
            v2 = m2 + y * (3 * m4 + y * (5 * m6));
            ls = y * (m2 / 2 + y * (m4 / 4));
        } else {
            s1 = m2 + y * (m4 + y * (m6 + y * m8));
            s0 = 1 + y * s1;
            s1 *= x;
            v0 = 1 + y * (3 * m2 + y * (5 * m4 + y * (7 * m6 + y * (9 * m8))));
            v1 = x * (2 * m2 + y * (4 * m4 + y * (6 * m6 + y * (8 * m8))));
            v2 = m2 + y * (3 * m4 + y * (5 * m6 + y * (7 * m8)));
            ls = y * (m2 / 2 + y * (m4 / 4 + y * (m6 / 6 + y * (m8 / 8))));
        }
        double rd = r * count * im;
        blockP = rd * (pp * s0 - dq1 * s1);
        blockPq = rd * im * (pp * qq * v0 - (pp * dq0 + qq * dq1) * v1 + dq0 * dq1 * v2);
        return ls;
    }

    /**
     * Efron for a day whose ρ exceeds {@value #RHO_LONG} (a large share of those at risk dies): the d
     * pseudo risk sets, whose weights fall by h = (d0 + r·d1)/d from one to the next, are cut into
     * consecutive runs short enough for the series (ρ of the run ≤ {@value #RHO_LONG}); a run of one
     * is summed directly. A run starting at weight W holds about 2·ρ·W/h sets, so the weights shrink
     * geometrically from run to run and there are O(log d / ρ) runs, plus at most about 1/ρ single sets
     * where W &lt; h/ρ. Every term is positive, so the runs add up without cancellation (with
     * compensation, as there can be hundreds of them).
     */
    private double split(int i, double beta, double r) {
        int a0 = counts[4 * i];
        int a1 = counts[4 * i + 1];
        int b0 = counts[4 * i + 2];
        int b1 = counts[4 * i + 3];
        int dl = b0 + b1;
        double h = (b0 + r * b1) / dl;
        // hundreds of runs when nearly everyone dies: the three sums are compensated (Neumaier)
        double[] acc = new double[6];
        int j = 0;
        while (j < dl) {
            // level weights of pseudo set j: n_g − (j/d)·d_g, from exact integer numerators
            double w0 = (double) ((long) a0 * dl - (long) j * b0) / dl;
            double w1 = (double) ((long) a1 * dl - (long) j * b1) / dl;
            double weight = w0 + r * w1;
            double room = 2 * RHO_LONG * weight / (h * (1 + RHO_LONG));
            int run = room >= dl - j ? dl - j : 1 + (int) room;
            if (run == 1 || !(h > 0)) {
                double inv = 1 / weight;
                double pk = r * w1 * inv;
                add(acc, 0, Math.log(weight));
                add(acc, 1, pk);
                add(acc, 2, pk * (w0 * inv));
                j++;
                continue;
            }
            // the run j .. j+run−1 centred on j + (run−1)/2: P, Q at the centre, k = centre − j'
            long twice = 2L * j + run - 1;
            double pp = (double) (2L * a1 * dl - twice * b1) / (2.0 * dl);
            double qq = (double) (2L * a0 * dl - twice * b0) / (2.0 * dl);
            double dq0 = (double) b0 / dl;
            double dq1 = (double) b1 / dl;
            double m = qq + r * pp;
            double im = 1 / m;
            double x = (dq0 + r * dq1) * im;
            double y = x * x;
            double c = run;
            double c2 = c * c;
            double m2 = mu2(c2);
            double half = (c - 1) / 2;
            double ls = block(pp, qq, dq0, dq1, run, m2, mu4(m2, c2), mu6(m2, c2), mu8(m2, c2), r, m, im, x, y,
                    y * half * half);
            add(acc, 0, run * (Math.log(m) - ls));
            add(acc, 1, blockP);
            add(acc, 2, blockPq);
            j += run;
        }
        score = b1 - (acc[1] + acc[4]);
        information = acc[2] + acc[5];
        return b1 * beta - (acc[0] + acc[3]);
    }

    /** Neumaier's compensated sum: acc[k] += v, the lost low-order part kept in acc[k + 3]. */
    private static void add(double[] acc, int k, double v) {
        double s = acc[k];
        double t = s + v;
        acc[k + 3] += Math.abs(s) >= Math.abs(v) ? (s - t) + v : (v - t) + s;
        acc[k] = t;
    }
}
