package org.nbregistry.analytics.survival;

import java.util.ArrayList;
import java.util.List;

/**
 * Aalen–Johansen cumulative incidence for competing risks with R's standard errors and limits
 * (survival::survfit(Surv(t, factor(status)) ~ 1), survfitCI / survfitci.c, survfit_confint).
 *
 * <p>The estimator is the product of transition matrices of a one-start, K-absorbing-state model:
 * p(t) = p(t−)·H(t), H = I except row 0 = (1 − d/n, d_1/n, ..., d_K/n). Its standard error is the
 * infinitesimal jackknife, sqrt(Σ_i U_i(t)²) with U_i = ∂p/∂w_i (Therneau, survival vignette
 * "Multi-state models"): U_i(t) = U_i(t−)·H + [i at risk] p_0(t−)/n · (e_{state after t} − row 0 of H).
 * All records at risk share one U, and records that have left are only carried forward by H, so
 * Σ_i U_i'U_i is kept as a (K+1)×(K+1) matrix: O(times × K³), independent of the number of records.
 */
public final class CompetingRisks {

    private CompetingRisks() {
    }

    /** One group's curves with log limits at 95% (R's defaults). */
    public static CompetingRisksFit aalenJohansen(CompetingRisksCounts counts, int group) {
        return aalenJohansen(counts, group, ConfType.LOG, 0.95);
    }

    /** All groups pooled (R: survfit(Surv(t, factor(status)) ~ 1) on the whole sample). */
    public static CompetingRisksFit aalenJohansenPooled(CompetingRisksCounts counts) {
        return aalenJohansen(counts, -1, ConfType.LOG, 0.95);
    }

    /**
     * Aalen–Johansen curves of one group, or of all groups pooled when {@code group} is −1.
     *
     * @param confType log (R's default here), log-log or plain, applied as survfit_confint does with
     *                 the standard error of the incidence itself (logse = FALSE)
     */
    public static CompetingRisksFit aalenJohansen(CompetingRisksCounts counts, int group, ConfType confType,
                                                  double level) {
        int kc = counts.causes().length;
        int states = kc + 1;
        double[] allTimes = counts.times();
        int m = allTimes.length;
        int[][] d = new int[kc][m];
        int[] cens = new int[m];
        int n0 = 0;
        int rows = 0;
        for (int i = 0; i < m; i++) {
            int any = 0;
            for (int g = 0; g < counts.groupCount(); g++) {
                if (group >= 0 && g != group) {
                    continue;
                }
                cens[i] += counts.censored()[g][i];
                for (int c = 0; c < kc; c++) {
                    d[c][i] += counts.events()[c][g][i];
                }
            }
            any += cens[i];
            for (int c = 0; c < kc; c++) {
                any += d[c][i];
            }
            n0 += any;
            if (any > 0) {
                rows++;
            }
        }
        double[] time = new double[rows];
        int[] nRisk = new int[rows];
        int[] nCensor = new int[rows];
        int[][] nEvent = new int[kc][rows];
        double[][] cif = new double[kc][rows];
        double[][] se = new double[kc][rows];

        double[] p = new double[states];
        p[0] = 1;
        double[] v = new double[states];          // influence shared by everyone still at risk
        double[] w = new double[states * states]; // Σ U'U over records that have left
        double[] hw = new double[states * states];
        double[] total = new double[states];
        int atRisk = n0;
        int row = 0;
        for (int i = 0; i < m; i++) {
            int dead = 0;
            for (int c = 0; c < kc; c++) {
                dead += d[c][i];
            }
            int exits = dead + cens[i];
            if (exits == 0) {
                continue;
            }
            double nr = atRisk;
            if (dead > 0) {
                double a = p[0] / nr;
                double h = dead / nr;
                propagate(w, hw, d, i, nr, h, states);
                // v ← v·H + p0(t−)/n·(e_0 − row 0 of H)
                double v0 = v[0];
                v[0] = v0 * (1 - h) + h * a;
                for (int c = 1; c < states; c++) {
                    double hc = d[c - 1][i] / nr;
                    v[c] = v[c] + v0 * hc - hc * a;
                }
                // Σ over everyone now: leavers so far (w), the n at risk sharing v, the movers' offsets
                for (int s = 0; s < states; s++) {
                    total[s] = w[s * states + s] + nr * v[s] * v[s];
                }
                for (int c = 1; c < states; c++) {
                    int dc = d[c - 1][i];
                    if (dc == 0) {
                        continue;
                    }
                    // mover to cause c: U = v + a (e_c − e_0)
                    total[0] += dc * (-2 * a * v[0] + a * a);
                    total[c] += dc * (2 * a * v[c] + a * a);
                    addMover(w, states, c, dc, a, v);
                }
                addOuter(w, states, exits, v);
                double p0 = p[0];
                p[0] = p0 * (1 - h);
                for (int c = 1; c < states; c++) {
                    p[c] += p0 * d[c - 1][i] / nr;
                }
            } else {
                for (int s = 0; s < states; s++) {
                    total[s] = w[s * states + s] + nr * v[s] * v[s];
                }
                addOuter(w, states, exits, v);
            }
            time[row] = allTimes[i];
            nRisk[row] = atRisk;
            nCensor[row] = cens[i];
            for (int c = 0; c < kc; c++) {
                nEvent[c][row] = d[c][i];
                cif[c][row] = p[c + 1];
                se[c][row] = Math.sqrt(total[c + 1]);
            }
            atRisk -= exits;
            row++;
        }
        double z = Distributions.normalQuantile(1 - (1 - level) / 2);
        List<CompetingRisksFit.Cause> curves = new ArrayList<>(kc);
        for (int c = 0; c < kc; c++) {
            double[] lo = new double[rows];
            double[] hi = new double[rows];
            for (int r = 0; r < rows; r++) {
                limits(cif[c][r], se[c][r], z, confType, lo, hi, r);
            }
            curves.add(new CompetingRisksFit.Cause(counts.causes()[c], IntColumn.wrap(nEvent[c]),
                    DoubleColumn.wrap(cif[c]), DoubleColumn.wrap(se[c]), DoubleColumn.wrap(lo),
                    DoubleColumn.wrap(hi)));
        }
        return new CompetingRisksFit(n0, DoubleColumn.wrap(time), IntColumn.wrap(nRisk), IntColumn.wrap(nCensor),
                curves, confType, level);
    }

    /** w ← H'·w·H for H = I except row 0 = (1 − h, d_1/n, ..., d_K/n); hw is scratch. */
    private static void propagate(double[] w, double[] hw, int[][] d, int i, double nr, double h, int states) {
        // hw = H'·w: row r of H'w is Σ_k H[k][r] w[k][·]; only k = 0 and k = r contribute
        for (int r = 0; r < states; r++) {
            double h0r = r == 0 ? 1 - h : d[r - 1][i] / nr;
            for (int col = 0; col < states; col++) {
                double own = r == 0 ? 0 : w[r * states + col];
                hw[r * states + col] = own + h0r * w[col];
            }
        }
        // w = (H'w)·H: column c of (X·H) is Σ_k X[·][k] H[k][c]
        for (int r = 0; r < states; r++) {
            double x0 = hw[r * states];
            for (int col = 0; col < states; col++) {
                double h0c = col == 0 ? 1 - h : d[col - 1][i] / nr;
                double own = col == 0 ? 0 : hw[r * states + col];
                w[r * states + col] = own + x0 * h0c;
            }
        }
    }

    /** w += count·v v'. */
    private static void addOuter(double[] w, int states, int count, double[] v) {
        for (int r = 0; r < states; r++) {
            for (int c = 0; c < states; c++) {
                w[r * states + c] += count * v[r] * v[c];
            }
        }
    }

    /** The movers' part beyond v v': count·(a (v f' + f v') + a² f f'), f = e_c − e_0. */
    private static void addMover(double[] w, int states, int c, int count, double a, double[] v) {
        for (int r = 0; r < states; r++) {
            double fr = r == c ? 1 : (r == 0 ? -1 : 0);
            for (int k = 0; k < states; k++) {
                double fk = k == c ? 1 : (k == 0 ? -1 : 0);
                w[r * states + k] += count * (a * (v[r] * fk + fr * v[k]) + a * a * fr * fk);
            }
        }
    }

    /** survfit_confint with logse = FALSE: se of log p is se/p; NaN where R gives NA. Writes lo[r], hi[r]. */
    static void limits(double p, double se, double z, ConfType type, double[] lo, double[] hi, int r) {
        double seLog = se == 0 ? 0 : se / p;
        switch (type) {
            case PLAIN: {
                double half = seLog * p * z;
                lo[r] = Math.max(p - half, 0);
                hi[r] = Math.min(p + half, 1);
                return;
            }
            case LOG_LOG: {
                if (p == 0 || p == 1) {
                    lo[r] = Double.NaN;
                    hi[r] = Double.NaN;
                    return;
                }
                double s2 = z * seLog / Math.log(p);
                double ll = Math.log(-Math.log(p));
                lo[r] = Math.exp(-Math.exp(ll - s2));
                hi[r] = Math.exp(-Math.exp(ll + s2));
                return;
            }
            case LOG:
            default: {
                if (p == 0) {
                    lo[r] = Double.NaN;
                    hi[r] = Double.NaN;
                    return;
                }
                double lp = Math.log(p);
                lo[r] = Math.exp(lp - z * seLog);
                hi[r] = Math.min(Math.exp(lp + z * seLog), 1);
            }
        }
    }
}
