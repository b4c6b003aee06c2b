package org.nbregistry.analytics.survival;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The log-rank family as R's survdiff: G-rho weights S(t-)^rho with S the pooled Kaplan–Meier of the
 * stratum just before t (rho = 0 log-rank, rho = 1 Peto–Peto), hypergeometric variance, strata summed.
 */
public final class LogRank {

    private LogRank() {
    }

    public static LogRankTest logRank(GroupedCounts counts) {
        return gRho(counts, 0.0);
    }

    /** Peto–Peto as survdiff(rho = 1) defines it: weight = pooled Kaplan–Meier at t-. */
    public static LogRankTest petoPeto(GroupedCounts counts) {
        return gRho(counts, 1.0);
    }

    /** G-rho test (Harrington &amp; Fleming 1982) of all groups of {@code counts}. */
    public static LogRankTest gRho(GroupedCounts counts, double rho) {
        int k = counts.groupCount();
        double[] observed = new double[k];
        double[] expected = new double[k];
        double[] variance = new double[k * k];
        accumulate(counts, rho, observed, expected, variance);
        return finish(rho, counts.groups(), groupSizes(new GroupedCounts[] {counts}, k), observed, expected, variance);
    }

    /** Stratified G-rho test (R: survdiff(Surv ~ group + strata(s), rho)): O, E and Var summed over strata. */
    public static LogRankTest stratified(StratifiedCounts counts, double rho) {
        int k = counts.groups().length;
        double[] observed = new double[k];
        double[] expected = new double[k];
        double[] variance = new double[k * k];
        for (GroupedCounts stratum : counts.perStratum()) {
            accumulate(stratum, rho, observed, expected, variance);
        }
        return finish(rho, counts.groups(), groupSizes(counts.perStratum(), k), observed, expected, variance);
    }

    /** Trend test with scores: the levels' numeric values when every level is a number, else 1..K (as reference.R). */
    public static TrendTest trend(GroupedCounts counts) {
        return trend(counts, defaultScores(counts.groups()));
    }

    /** Log-rank test for trend: U = s'(O - E), V = s' Var s (the score test of a Cox model on s, exact ties). */
    public static TrendTest trend(GroupedCounts counts, double[] scores) {
        LogRankTest test = logRank(counts);
        int k = counts.groupCount();
        double u = 0.0;
        double v = 0.0;
        for (int a = 0; a < k; a++) {
            u += scores[a] * (test.observed().get(a) - test.expected().get(a));
            for (int b = 0; b < k; b++) {
                v += scores[a] * test.variance(a, b) * scores[b];
            }
        }
        double chisq = u * u / v;
        return new TrendTest(DoubleColumn.of(scores), u, v, chisq, 1, Distributions.chiSquareUpperTail(chisq, 1));
    }

    static double[] defaultScores(String[] levels) {
        double[] scores = new double[levels.length];
        try {
            for (int i = 0; i < levels.length; i++) {
                scores[i] = Double.parseDouble(levels[i].trim());
            }
        } catch (NumberFormatException notNumeric) {
            for (int i = 0; i < levels.length; i++) {
                scores[i] = i + 1;
            }
        }
        return scores;
    }

    /**
     * Every pair of groups tested on its own records (the G-rho test restricted to the pair), p-values
     * unadjusted and adjusted over the K(K-1)/2 pairs by Holm's step-down method and by Bonferroni.
     */
    public static List<PairwiseComparison> pairwise(GroupedCounts counts, double rho) {
        int k = counts.groupCount();
        int pairs = k * (k - 1) / 2;
        double[] chisq = new double[pairs];
        double[] p = new double[pairs];
        double[] observed = new double[k];
        double[] expected = new double[k];
        double[] variance = new double[k * k];
        int idx = 0;
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++) {
                Arrays.fill(observed, 0.0);
                Arrays.fill(expected, 0.0);
                Arrays.fill(variance, 0.0);
                accumulatePair(counts, a, b, rho, observed, expected, variance);
                double diff = observed[b] - expected[b];
                double v = variance[b * k + b];
                boolean testable = expected[a] > 0 && expected[b] > 0;
                chisq[idx] = testable ? diff * diff / v : 0.0;
                p[idx] = testable ? Distributions.chiSquareUpperTail(chisq[idx], 1) : Double.NaN;
                idx++;
            }
        }
        double[] holm = holm(p);
        List<PairwiseComparison> out = new ArrayList<>(pairs);
        idx = 0;
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++) {
                double bonferroni = Double.isNaN(p[idx]) ? Double.NaN : Math.min(1.0, countFinite(p) * p[idx]);
                out.add(new PairwiseComparison(counts.groups()[a], counts.groups()[b], chisq[idx], p[idx], holm[idx],
                        bonferroni));
                idx++;
            }
        }
        return out;
    }

    private static int countFinite(double[] p) {
        int m = 0;
        for (double v : p) {
            if (!Double.isNaN(v)) {
                m++;
            }
        }
        return m;
    }

    /** Holm (1979) step-down adjustment as R's p.adjust(p, "holm"); NaN p-values are left out of the count. */
    static double[] holm(double[] p) {
        int m = countFinite(p);
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < p.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(p[x], p[y]));
        double[] adjusted = new double[p.length];
        double running = 0.0;
        for (int rank = 0; rank < p.length; rank++) {
            int i = order[rank];
            if (Double.isNaN(p[i])) {
                adjusted[i] = Double.NaN;
                continue;
            }
            running = Math.max(running, Math.min(1.0, (m - rank) * p[i]));
            adjusted[i] = running;
        }
        return adjusted;
    }

    private static IntColumn groupSizes(GroupedCounts[] strata, int k) {
        int[] n = new int[k];
        for (GroupedCounts c : strata) {
            for (int g = 0; g < k; g++) {
                for (int i = 0; i < c.dayCount(); i++) {
                    n[g] += c.events()[g][i] + c.censored()[g][i];
                }
            }
        }
        return IntColumn.wrap(n);
    }

    /**
     * Adds one stratum's contributions: O_k += w d_k, E_k += w d n_k/n, V_kl += w^2 d (n-d)/(n(n-1))
     * (n_k [k=l] - n_k n_l / n), w = S(t-)^rho (Fleming &amp; Harrington 1991, 7.3). More than two groups:
     * days added in {@link DayBlocks} by {@link #sumDays} (the order the incremental refresh keeps).
     */
    private static void accumulate(GroupedCounts counts, double rho, double[] observed, double[] expected,
                                   double[] variance) {
        int k = counts.groupCount();
        if (k == 2) {
            accumulatePair(counts, 0, 1, rho, observed, expected, variance);
            return;
        }
        int[][] events = counts.events();
        int[][] atRisk = counts.atRisk();
        int days = counts.dayCount();
        double[] weight = rho == 0.0 ? null : weights(events, atRisk, days, rho);
        double[] block = new double[blockSize(k)];
        for (int start = 0; start < days; start += DayBlocks.SIZE) {
            Arrays.fill(block, 0.0);
            sumDays(events, atRisk, k, start, Math.min(days, start + DayBlocks.SIZE), weight, block);
            addBlock(block, k, observed, expected, variance);
        }
    }

    /** Per day the G-rho weight S(t-)^rho, S the pooled Kaplan–Meier. */
    private static double[] weights(int[][] events, int[][] atRisk, int days, double rho) {
        double[] weight = new double[days];
        double km = 1.0;
        for (int i = 0; i < days; i++) {
            double d = 0.0;
            double n = 0.0;
            for (int g = 0; g < events.length; g++) {
                d += events[g][i];
                n += atRisk[g][i];
            }
            weight[i] = Math.pow(km, rho);
            if (d > 0) {
                km *= (n - d) * (1.0 / n);
            }
        }
        return weight;
    }

    /** Length of one block's sums for k groups: observed (k), expected (k), variance's lower triangle (k×k, row-major). */
    static int blockSize(int k) {
        return 2 * k + k * k;
    }

    /**
     * Adds the terms of day indices [start, end) to {@code out} (layout of {@link #blockSize}; the variance's
     * lower triangle only): per group its events and n at risk that day, weight null for the log-rank test.
     */
    static void sumDays(int[][] events, int[][] atRisk, int k, int start, int end, double[] weight, double[] out) {
        int var = 2 * k;
        for (int i = start; i < end; i++) {
            double d = 0.0;
            double n = 0.0;
            for (int g = 0; g < k; g++) {
                d += events[g][i];
                n += atRisk[g][i];
            }
            if (d == 0) {
                continue;
            }
            double w = weight == null ? 1.0 : weight[i];
            double inverse = 1.0 / n;
            double f = n > 1 ? w * w * d * (n - d) * inverse / (n - 1) : 0.0;
            double expectedShare = w * d * inverse;
            for (int g = 0; g < k; g++) {
                double ng = atRisk[g][i];
                out[g] += w * events[g][i];
                out[k + g] += expectedShare * ng;
                if (f != 0.0 && ng != 0) {
                    double share = f * ng;
                    double shareOverN = share * inverse;
                    int row = var + g * k;
                    for (int h = 0; h < g; h++) {
                        out[row + h] -= shareOverN * atRisk[h][i];
                    }
                    out[row + g] += share - shareOverN * ng;
                }
            }
        }
    }

    /** Adds one block's sums to the totals (the variance made symmetric from its lower triangle). */
    static void addBlock(double[] block, int k, double[] observed, double[] expected, double[] variance) {
        int var = 2 * k;
        for (int g = 0; g < k; g++) {
            observed[g] += block[g];
            expected[g] += block[k + g];
            for (int h = 0; h <= g; h++) {
                double v = block[var + g * k + h];
                variance[g * k + h] += v;
                if (h != g) {
                    variance[h * k + g] += v;
                }
            }
        }
    }

    /** The test from totals of all groups' sums (what the incremental refresh keeps): as survdiff. */
    static LogRankTest fromTotals(String[] groups, int[] sizes, double[] observed, double[] expected, double[] variance) {
        return finish(0.0, groups, IntColumn.wrap(sizes.clone()), observed.clone(), expected.clone(), variance.clone());
    }

    /**
     * The same sums for exactly two groups a and b, with scalars instead of K-loops (the common case:
     * two-level factors and every pairwise comparison). For two groups Var = v [[1, -1], [-1, 1]] with
     * v = sum w^2 d (n-d)/(n(n-1)) n_a n_b / n. Days are added in {@link DayBlocks} (the order the
     * incremental refresh keeps).
     */
    private static void accumulatePair(GroupedCounts counts, int a, int b, double rho, double[] observed,
                                       double[] expected, double[] variance) {
        int k = counts.groupCount();
        int[] eventsA = counts.events()[a];
        int[] eventsB = counts.events()[b];
        int[] censoredA = counts.censored()[a];
        int[] censoredB = counts.censored()[b];
        int days = eventsA.length;
        long totalA = 0;
        long totalB = 0;
        for (int i = 0; i < days; i++) {
            totalA += eventsA[i] + censoredA[i];
            totalB += eventsB[i] + censoredB[i];
        }
        double nA = totalA;
        double nB = totalB;
        double km = 1.0;
        double obsA = 0.0;
        double obsB = 0.0;
        double expA = 0.0;
        double expB = 0.0;
        double v = 0.0;
        for (int start = 0; start < days; start += DayBlocks.SIZE) {
            int end = Math.min(days, start + DayBlocks.SIZE);
            double blockObsA = 0.0;
            double blockObsB = 0.0;
            double blockExpA = 0.0;
            double blockExpB = 0.0;
            double blockV = 0.0;
            for (int i = start; i < end; i++) {
                int dA = eventsA[i];
                int dB = eventsB[i];
                int d = dA + dB;
                if (d > 0) {
                    double n = nA + nB;
                    double w = rho == 0.0 ? 1.0 : Math.pow(km, rho);
                    double inverse = 1.0 / n;
                    double share = w * d * inverse;
                    blockObsA += w * dA;
                    blockObsB += w * dB;
                    blockExpA += share * nA;
                    blockExpB += share * nB;
                    if (n > 1) {
                        blockV += pairVariance(w, d, n, inverse, nA, nB);
                    }
                    km *= (n - d) * inverse;
                }
                nA -= dA + censoredA[i];
                nB -= dB + censoredB[i];
            }
            obsA += blockObsA;
            obsB += blockObsB;
            expA += blockExpA;
            expB += blockExpB;
            v += blockV;
        }
        observed[a] += obsA;
        observed[b] += obsB;
        expected[a] += expA;
        expected[b] += expB;
        variance[a * k + a] += v;
        variance[b * k + b] += v;
        variance[a * k + b] -= v;
        variance[b * k + a] -= v;
    }

    /** One day's variance term w² d (n−d)/(n(n−1)) n_a n_b / n for two groups (n &gt; 1, inverse = 1/n). */
    static double pairVariance(double w, double d, double n, double inverse, double nA, double nB) {
        return w * w * d * (n - d) * inverse / (n - 1) * nA * nB * inverse;
    }

    /** Two-group test from the sums of {@link #accumulatePair} (for the incremental refresh). */
    static LogRankTest pairTest(String[] groups, int sizeA, int sizeB, double obsA, double obsB, double expA,
                                double expB, double v) {
        // as gRho's zero-filled arrays after accumulatePair (0.0 - v, not -v: the same bits when v is 0)
        double[] observed = {0.0 + obsA, 0.0 + obsB};
        double[] expected = {0.0 + expA, 0.0 + expB};
        double[] variance = {0.0 + v, 0.0 - v, 0.0 - v, 0.0 + v};
        return finish(0.0, groups, IntColumn.wrap(new int[] {sizeA, sizeB}), observed, expected, variance);
    }

    /** Chi-square as survdiff: drop groups with no expected events and the first remaining one, solve V x = O - E. */
    private static LogRankTest finish(double rho, String[] groups, IntColumn n, double[] observed, double[] expected,
                                      double[] variance) {
        int k = groups.length;
        int[] used = new int[k];
        int m = 0;
        for (int g = 0; g < k; g++) {
            if (expected[g] > 0) {
                used[m++] = g;
            }
        }
        double chisq = 0.0;
        if (m >= 2) {
            int dim = m - 1;
            double[] a = new double[dim * dim];
            double[] b = new double[dim];
            for (int r = 0; r < dim; r++) {
                int gr = used[r + 1];
                b[r] = observed[gr] - expected[gr];
                for (int c = 0; c < dim; c++) {
                    a[r * dim + c] = variance[gr * k + used[c + 1]];
                }
            }
            double[] x = solve(a, b.clone(), dim);
            for (int r = 0; r < dim; r++) {
                chisq += x[r] * b[r];
            }
        }
        int df = m - 1;
        double p = df >= 1 ? Distributions.chiSquareUpperTail(chisq, df) : Double.NaN;
        return new LogRankTest(rho, List.of(groups), n, DoubleColumn.wrap(observed), DoubleColumn.wrap(expected),
                DoubleColumn.wrap(variance), chisq, df, p);
    }

    /**
     * Solves A x = b for a dim x dim row-major A by Gaussian elimination with partial pivoting (as LAPACK's
     * dgesv that R's solve() calls). Overwrites a and b; returns b holding x, NaN if A is singular.
     */
    private static double[] solve(double[] a, double[] b, int dim) {
        for (int col = 0; col < dim; col++) {
            int pivot = col;
            for (int r = col + 1; r < dim; r++) {
                if (Math.abs(a[r * dim + col]) > Math.abs(a[pivot * dim + col])) {
                    pivot = r;
                }
            }
            if (a[pivot * dim + col] == 0.0) {
                Arrays.fill(b, Double.NaN);
                return b;
            }
            if (pivot != col) {
                for (int c = 0; c < dim; c++) {
                    double t = a[col * dim + c];
                    a[col * dim + c] = a[pivot * dim + c];
                    a[pivot * dim + c] = t;
                }
                double t = b[col];
                b[col] = b[pivot];
                b[pivot] = t;
            }
            for (int r = col + 1; r < dim; r++) {
                double factor = a[r * dim + col] / a[col * dim + col];
                if (factor != 0.0) {
                    for (int c = col; c < dim; c++) {
                        a[r * dim + c] -= factor * a[col * dim + c];
                    }
                    b[r] -= factor * b[col];
                }
            }
        }
        for (int r = dim - 1; r >= 0; r--) {
            double s = b[r];
            for (int c = r + 1; c < dim; c++) {
                s -= a[r * dim + c] * b[c];
            }
            b[r] = s / a[r * dim + r];
        }
        return b;
    }
}
