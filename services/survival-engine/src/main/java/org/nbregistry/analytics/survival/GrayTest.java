package org.nbregistry.analytics.survival;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Gray's K-sample test for equality of the cumulative incidence of one cause across groups (Gray 1988,
 * Ann. Statist. 16:1141), as cmprsk::cuminc computes it (crstm.f): a score comparing each group's
 * subdistribution hazard with the pooled one, weighted by (1 − F(t−))^rho, with Gray's variance
 * estimator; statistic s' V⁻¹ s on the first K−1 groups, chi-square with K−1 df. Groups without
 * records are left out, as cuminc drops empty factor levels. O(times × K²).
 *
 * @param cause     cause code tested (the other causes are the competing events)
 * @param statistic NaN where cuminc reports −1 (singular variance)
 * @param p         upper tail of chi-square(df); cuminc prints 1 − pchisq, equal to ~1e-16
 */
public record GrayTest(int cause, double statistic, int df, double p) {

    /** Gray's test for one cause with rho = 0 (cuminc's default). */
    public static GrayTest compute(CompetingRisksCounts counts, int cause) {
        return compute(counts, cause, 0.0);
    }

    /** Gray's test for every cause, in cause-code order. */
    public static List<GrayTest> computeAll(CompetingRisksCounts counts) {
        List<GrayTest> out = new ArrayList<>();
        for (int c : counts.causes()) {
            out.add(compute(counts, c));
        }
        return out;
    }

    public static GrayTest compute(CompetingRisksCounts counts, int cause, double rho) {
        int ci = counts.causeIndex(cause);
        if (ci < 0) {
            throw new IllegalArgumentException("no cause " + cause);
        }
        int[] present = presentGroups(counts);
        int ng = present.length;
        if (ng < 2) {
            return new GrayTest(cause, Double.NaN, Math.max(ng - 1, 0), Double.NaN);
        }
        int m = counts.times().length;
        int[][] d1 = new int[ng][m];
        int[][] d2 = new int[ng][m];
        int[][] exits = new int[ng][m];
        int[] rs = new int[ng];
        for (int j = 0; j < ng; j++) {
            int g = present[j];
            for (int i = 0; i < m; i++) {
                for (int c = 0; c < counts.causes().length; c++) {
                    int e = counts.events()[c][g][i];
                    if (c == ci) {
                        d1[j][i] += e;
                    } else {
                        d2[j][i] += e;
                    }
                }
                exits[j][i] = d1[j][i] + d2[j][i] + counts.censored()[g][i];
                rs[j] += exits[j][i];
            }
        }
        double[] s = new double[ng - 1];
        double[] v = new double[(ng - 1) * (ng - 1)];
        score(d1, d2, exits, rs, rho, s, v);
        double stat = quadraticForm(s, v, ng - 1);
        int df = ng - 1;
        return new GrayTest(cause, stat, df, Double.isNaN(stat) ? Double.NaN : Distributions.chiSquareUpperTail(stat, df));
    }

    private static int[] presentGroups(CompetingRisksCounts counts) {
        List<Integer> keep = new ArrayList<>();
        for (int g = 0; g < counts.groupCount(); g++) {
            if (counts.size(g) > 0) {
                keep.add(g);
            }
        }
        return keep.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Gray's score s (first K−1 groups) and its variance V. Per group the left-continuous all-cause KM
     * S(t−) and cumulative incidence F(t−) of the cause; the pooled incidence under H0 uses the
     * weighted risk sets R_k = n_k / S_k(t−). V accumulates Gray's a (weights), c (their cumulative
     * effect on F) and the per-time variance contributions of cause and competing events.
     */
    private static void score(int[][] d1, int[][] d2, int[][] exits, int[] risk, double rho, double[] s,
                              double[] v) {
        int ng = risk.length;
        int ng1 = ng - 1;
        int m = d1[0].length;
        int[] rs = risk.clone();
        double[] skmm = new double[ng];
        double[] skm = new double[ng];
        double[] f1m = new double[ng];
        double[] f1 = new double[ng];
        double[] c = new double[ng * ng];
        double[] a = new double[ng * ng];
        double[] v3 = new double[ng];
        double[] v2 = new double[ng1 * ng];
        Arrays.fill(skmm, 1);
        Arrays.fill(skm, 1);
        double fm = 0;
        double f = 0;
        for (int i = 0; i < m; i++) {
            int nd1 = 0;
            int nd2 = 0;
            for (int g = 0; g < ng; g++) {
                nd1 += d1[g][i];
                nd2 += d2[g][i];
            }
            if (nd1 > 0 || nd2 > 0) {
                double tr = 0;
                double tq = 0;
                for (int g = 0; g < ng; g++) {
                    if (rs[g] <= 0) {
                        continue;
                    }
                    int td = d1[g][i] + d2[g][i];
                    skm[g] = skmm[g] * (rs[g] - td) / rs[g];
                    f1[g] = f1m[g] + skmm[g] * d1[g][i] / rs[g];
                    tr += rs[g] / skmm[g];
                    tq += rs[g] * (1 - f1m[g]) / skmm[g];
                }
                f = fm + nd1 / tr;
                double fb = Math.pow(1 - fm, rho);
                for (int g = 0; g < ng; g++) {
                    for (int h = g; h < ng; h++) {
                        a[g * ng + h] = 0;
                    }
                    if (rs[g] <= 0) {
                        continue;
                    }
                    double t1 = rs[g] / skmm[g];
                    a[g * ng + g] = fb * t1 * (1 - t1 / tr);
                    c[g * ng + g] += a[g * ng + g] * nd1 / (tr * (1 - fm));
                    for (int h = g + 1; h < ng; h++) {
                        if (rs[h] <= 0) {
                            continue;
                        }
                        a[g * ng + h] = -fb * t1 * rs[h] / (skmm[h] * tr);
                        c[g * ng + h] += a[g * ng + h] * nd1 / (tr * (1 - fm));
                    }
                }
                for (int g = 1; g < ng; g++) {
                    for (int h = 0; h < g; h++) {
                        a[g * ng + h] = a[h * ng + g];
                        c[g * ng + h] = c[h * ng + g];
                    }
                }
                for (int g = 0; g < ng1; g++) {
                    if (rs[g] > 0) {
                        s[g] += fb * (d1[g][i] - nd1 * rs[g] * (1 - f1m[g]) / (skmm[g] * tq));
                    }
                }
                if (nd1 > 0) {
                    for (int k = 0; k < ng; k++) {
                        if (rs[k] <= 0) {
                            continue;
                        }
                        double t4 = skm[k] > 0 ? 1 - (1 - f) / skm[k] : 1;
                        double t5 = nd1 > 1 ? 1 - (nd1 - 1) / (tr * skmm[k] - 1) : 1;
                        double t3 = t5 * skmm[k] * nd1 / (tr * rs[k]);
                        v3[k] += t4 * t4 * t3;
                        for (int g = 0; g < ng1; g++) {
                            double t1 = a[g * ng + k] - t4 * c[g * ng + k];
                            v2[g * ng + k] += t1 * t4 * t3;
                            for (int h = 0; h <= g; h++) {
                                double t2 = a[h * ng + k] - t4 * c[h * ng + k];
                                v[g * ng1 + h] += t1 * t2 * t3;
                            }
                        }
                    }
                }
                if (nd2 > 0) {
                    for (int k = 0; k < ng; k++) {
                        if (skm[k] <= 0 || d2[k][i] <= 0) {
                            continue;
                        }
                        double t4 = (1 - f) / skm[k];
                        double t5 = d2[k][i] > 1 ? 1 - (d2[k][i] - 1.0) / (rs[k] - 1.0) : 1;
                        double t3 = t5 * skmm[k] * skmm[k] * d2[k][i] / ((double) rs[k] * rs[k]);
                        v3[k] += t4 * t4 * t3;
                        for (int g = 0; g < ng1; g++) {
                            double t1 = t4 * c[g * ng + k];
                            v2[g * ng + k] -= t1 * t4 * t3;
                            for (int h = 0; h <= g; h++) {
                                double t2 = t4 * c[h * ng + k];
                                v[g * ng1 + h] += t1 * t2 * t3;
                            }
                        }
                    }
                }
            }
            for (int g = 0; g < ng; g++) {
                rs[g] -= exits[g][i];
                f1m[g] = f1[g];
                skmm[g] = skm[g];
            }
            fm = f;
        }
        for (int g = 0; g < ng1; g++) {
            for (int h = 0; h <= g; h++) {
                double add = 0;
                for (int k = 0; k < ng; k++) {
                    add += c[g * ng + k] * c[h * ng + k] * v3[k] + c[g * ng + k] * v2[h * ng + k]
                            + c[h * ng + k] * v2[g * ng + k];
                }
                v[g * ng1 + h] += add;
                v[h * ng1 + g] = v[g * ng1 + h];
            }
        }
    }

    /** s' V⁻¹ s, NaN if V is singular (cuminc: qr rank below K−1, statistic −1). */
    private static double quadraticForm(double[] s, double[] v, int q) {
        double[] f = v.clone();
        int rank = CoxMatrix.factor(f, q, 1e-7);
        if (rank < q) {
            return Double.NaN;
        }
        double[] y = s.clone();
        CoxMatrix.solve(f, q, y);
        double out = 0;
        for (int i = 0; i < q; i++) {
            out += s[i] * y[i];
        }
        return out;
    }
}
