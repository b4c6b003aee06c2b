package org.nbregistry.analytics.survival;

import java.util.Arrays;
import java.util.List;

/**
 * The Cox partial likelihood of one categorical covariate (K levels, K−1 treatment dummies) from
 * per-day event and at-risk counts per level: everyone in level g on day t has the same risk
 * exp(β_g), so a day needs only n_g, d_g and, for Efron, the sums of {@link CoxEfronSums}; one
 * evaluation costs O(days × K²) whatever the number of records or tied deaths. Strata add their days'
 * contributions (one {@link GroupedCounts} per stratum, same levels in the same order). Two levels go
 * through {@link CoxTwoLevelDays}, more through {@link #sumDays}, adding the days in {@link DayBlocks}
 * as the incremental refresh does, so that both give the same bits.
 */
final class CoxCounts implements CoxNewton.Likelihood {

    final int levels;
    final int dim;
    final boolean efron;
    final int[][] days;
    final int[][][] risk;
    final int[][][] deaths;
    final int[][] deathsPerDay;
    final int records;
    final int events;

    private final double[] r;
    private final double[] dayU;
    private final double[] dayI;
    private final double[] dayTerms;
    /** Two levels: the per-day terms of each stratum (null otherwise). */
    private final CoxTwoLevelDays[] twoLevel;

    CoxCounts(List<GroupedCounts> strata, Cox.Ties ties) {
        if (strata.isEmpty()) {
            throw new IllegalArgumentException("no counts");
        }
        String[] groups = strata.get(0).groups();
        levels = groups.length;
        if (levels < 2) {
            throw new IllegalArgumentException("a categorical covariate needs at least two levels");
        }
        dim = levels - 1;
        efron = ties == Cox.Ties.EFRON;
        int s = strata.size();
        days = new int[s][];
        risk = new int[s][][];
        deaths = new int[s][][];
        deathsPerDay = new int[s][];
        int nrec = 0;
        int nev = 0;
        for (int k = 0; k < s; k++) {
            GroupedCounts c = strata.get(k);
            if (!Arrays.equals(c.groups(), groups)) {
                throw new IllegalArgumentException("every stratum needs the same levels in the same order");
            }
            days[k] = c.days();
            risk[k] = c.atRisk();
            deaths[k] = c.events();
            int[] dd = new int[c.dayCount()];
            for (int g = 0; g < levels; g++) {
                for (int i = 0; i < dd.length; i++) {
                    dd[i] += c.events()[g][i];
                    nev += c.events()[g][i];
                    nrec += c.events()[g][i] + c.censored()[g][i];
                }
            }
            deathsPerDay[k] = dd;
        }
        records = nrec;
        events = nev;
        r = new double[levels];
        dayU = new double[dim];
        dayI = new double[dim * dim];
        dayTerms = new double[blockSize(dim)];
        if (levels == 2) {
            twoLevel = new CoxTwoLevelDays[s];
            for (int k = 0; k < s; k++) {
                int[] dd = deathsPerDay[k];
                CoxTwoLevelDays t = new CoxTwoLevelDays(efron, dd.length);
                for (int i = 0; i < dd.length; i++) {
                    if (dd[i] > 0) {
                        t.set(i, risk[k][0][i], risk[k][1][i], deaths[k][0][i], deaths[k][1][i]);
                    }
                }
                twoLevel[k] = t;
            }
        } else {
            twoLevel = null;
        }
    }

    @Override
    public int dimension() {
        return dim;
    }

    @Override
    public double evaluate(double[] beta, double[] u, double[] imat) {
        if (twoLevel != null) {
            return evaluateTwoLevels(beta, u, imat);
        }
        setRisks(beta);
        Arrays.fill(u, 0);
        Arrays.fill(imat, 0);
        double loglik = 0;
        double[] block = new double[blockSize(dim)];
        for (int s = 0; s < days.length; s++) {
            int n = deathsPerDay[s].length;
            for (int start = 0; start < n; start += DayBlocks.SIZE) {
                Arrays.fill(block, 0.0);
                sumDays(risk[s], deaths[s], levels, start, Math.min(n, start + DayBlocks.SIZE), beta, r, efron, block);
                loglik += addBlock(block, dim, u, imat);
            }
        }
        return loglik;
    }

    /** Two levels: day terms from {@link CoxTwoLevelDays}, added within {@link DayBlocks}, then over blocks. */
    private double evaluateTwoLevels(double[] beta, double[] u, double[] imat) {
        double b = beta[0];
        double rr = Math.exp(b);
        double loglik = 0;
        double score = 0;
        double info = 0;
        for (int s = 0; s < days.length; s++) {
            CoxTwoLevelDays t = twoLevel[s];
            int[] dd = deathsPerDay[s];
            for (int start = 0; start < dd.length; start += DayBlocks.SIZE) {
                int end = Math.min(dd.length, start + DayBlocks.SIZE);
                double bl = 0;
                double bu = 0;
                double bi = 0;
                for (int i = start; i < end; i++) {
                    if (dd[i] > 0) {
                        bl += t.evaluate(i, b, rr);
                        bu += t.score;
                        bi += t.information;
                    }
                }
                loglik += bl;
                score += bu;
                info += bi;
            }
        }
        u[0] = score;
        imat[0] = info;
        return loglik;
    }

    private void setRisks(double[] beta) {
        r[0] = 1;
        for (int g = 1; g < levels; g++) {
            r[g] = Math.exp(beta[g - 1]);
        }
    }

    /** One day's log-likelihood term; its score in dayU and information in dayI (what cox.zph weights per day). */
    private double day(int s, int i, double[] beta) {
        if (twoLevel != null) {
            double ll = twoLevel[s].evaluate(i, beta[0], r[1]);
            dayU[0] = twoLevel[s].score;
            dayI[0] = twoLevel[s].information;
            return ll;
        }
        Arrays.fill(dayTerms, 0.0);
        sumDays(risk[s], deaths[s], levels, i, i + 1, beta, r, efron, dayTerms);
        Arrays.fill(dayU, 0.0);
        Arrays.fill(dayI, 0.0);
        return addBlock(dayTerms, dim, dayU, dayI);
    }

    /** Length of one block's sums for dim = K−1 coefficients: log-likelihood, score (dim), information's lower triangle (dim×dim, row-major). */
    static int blockSize(int dim) {
        return 1 + dim + dim * dim;
    }

    /**
     * Adds the terms of day indices [start, end) at β to {@code out} (layout of {@link #blockSize}), K ≥ 3 levels:
     * per level its n at risk and deaths that day, r[g] = exp(β_{g−1}) and r[0] = 1. Breslow: Σ d_g β_g − d log A
     * with means n_g r_g / A. Efron: Σ_k over D_k = A − (k/d) B, written with the per-day sums of {@link
     * CoxEfronSums} so that Σ_k m_gk = a_g t0 − b_g t1 and Σ_k m_gk m_hk = a_g (a_h q0 − b_h q1) + b_g (b_h q2 −
     * a_h q1) (a_g = n_g r_g, b_g = d_g r_g, A = Σ a_g, B = Σ b_g): O(K²) per day whatever the tied deaths.
     */
    static void sumDays(int[][] nr, int[][] ev, int levels, int start, int end, double[] beta, double[] r, boolean efron,
                        double[] out) {
        int dim = levels - 1;
        int info = 1 + dim;
        double[] sums = new double[CoxEfronSums.SIZE];
        double[] a = new double[levels];
        double[] b = new double[levels];
        double[] alpha = new double[levels];
        double[] gamma = new double[levels];
        for (int i = start; i < end; i++) {
            int d = 0;
            double survivors = 0;
            double dying = 0;
            double lin = 0;
            for (int g = 0; g < levels; g++) {
                int e = ev[g][i];
                d += e;
                survivors += (nr[g][i] - e) * r[g];
                dying += e * r[g];
                if (g > 0) {
                    lin += e * beta[g - 1];
                }
            }
            if (d == 0) {
                continue;
            }
            double big = survivors + dying;
            if (!efron || d == 1) {
                for (int g = 1; g < levels; g++) {
                    a[g] = nr[g][i] * r[g] / big;
                }
                for (int g = 1; g < levels; g++) {
                    double mg = a[g];
                    out[g] += ev[g][i] - d * mg;
                    int row = info + (g - 1) * dim - 1;
                    for (int h = 1; h < g; h++) {
                        out[row + h] += d * (0 - mg * a[h]);
                    }
                    out[row + g] += d * (mg - mg * mg);
                }
                out[0] += lin - d * Math.log(big);
                continue;
            }
            CoxEfronSums.compute(survivors, dying, d, sums);
            double t0 = sums[CoxEfronSums.T0];
            double t1 = sums[CoxEfronSums.T1];
            double q0 = sums[CoxEfronSums.Q0];
            double q1 = sums[CoxEfronSums.Q1];
            double q2 = sums[CoxEfronSums.Q2];
            for (int g = 1; g < levels; g++) {
                a[g] = nr[g][i] * r[g];
                b[g] = ev[g][i] * r[g];
                alpha[g] = a[g] * q0 - b[g] * q1;
                gamma[g] = b[g] * q2 - a[g] * q1;
            }
            for (int g = 1; g < levels; g++) {
                double ag = a[g];
                double bg = b[g];
                double mg = ag * t0 - bg * t1;
                out[g] += ev[g][i] - mg;
                int row = info + (g - 1) * dim - 1;
                for (int h = 1; h < g; h++) {
                    out[row + h] -= ag * alpha[h] + bg * gamma[h];
                }
                out[row + g] += mg - (ag * alpha[g] + bg * gamma[g]);
            }
            out[0] += lin - sums[CoxEfronSums.LOG];
        }
    }

    /** Adds one block's sums to the score and information (made symmetric); returns its log-likelihood. */
    static double addBlock(double[] block, int dim, double[] u, double[] imat) {
        int info = 1 + dim;
        for (int g = 0; g < dim; g++) {
            u[g] += block[1 + g];
            for (int h = 0; h <= g; h++) {
                double v = block[info + g * dim + h];
                imat[g * dim + h] += v;
                if (h != g) {
                    imat[h * dim + g] += v;
                }
            }
        }
        return block[0];
    }

    /**
     * cox.zph's score test ingredients from the counts (as {@link CoxRecords#zph}): g(t) = 1 − KM(t−)
     * of all records pooled over levels and strata, centred on its mean over events.
     */
    void zph(double[] beta, double[] uGamma, double[] imat) {
        double[][] g = kmTransformedDays();
        setRisks(beta);
        int q = 2 * dim;
        Arrays.fill(uGamma, 0);
        Arrays.fill(imat, 0);
        for (int s = 0; s < days.length; s++) {
            int[] dd = deathsPerDay[s];
            for (int i = 0; i < dd.length; i++) {
                if (dd[i] == 0) {
                    continue;
                }
                day(s, i, beta);
                double gt = g[s][i];
                for (int a = 0; a < dim; a++) {
                    uGamma[a] += gt * dayU[a];
                    for (int b = 0; b < dim; b++) {
                        double v = dayI[a * dim + b];
                        imat[a * q + b] += v;
                        imat[a * q + dim + b] += gt * v;
                        imat[(dim + a) * q + b] += gt * v;
                        imat[(dim + a) * q + dim + b] += gt * gt * v;
                    }
                }
            }
        }
    }

    /** As {@link #kmTransformedDays()} for a single stratum: its days are the pooled days. */
    private double[] kmTransformedDaysOneStratum() {
        int[] dd = deathsPerDay[0];
        int[][] nr = risk[0];
        int m = dd.length;
        double[] g = new double[m];
        double surv = 1;
        double sum = 0;
        for (int i = 0; i < m; i++) {
            int atRisk = 0;
            for (int lv = 0; lv < levels; lv++) {
                atRisk += nr[lv][i];
            }
            g[i] = 1 - surv;
            sum += dd[i] * (1 - surv);
            if (atRisk > 0) {
                surv *= (double) (atRisk - dd[i]) / atRisk;
            }
        }
        double centre = sum / events;
        for (int i = 0; i < m; i++) {
            g[i] -= centre;
        }
        return g;
    }

    /** Per stratum and day: 1 − S(t−) of the pooled KM, minus its mean over events. */
    private double[][] kmTransformedDays() {
        if (days.length == 1) {
            return new double[][] {kmTransformedDaysOneStratum()};
        }
        int total = 0;
        for (int[] d : days) {
            total += d.length;
        }
        int[] all = new int[total];
        int k = 0;
        for (int[] d : days) {
            System.arraycopy(d, 0, all, k, d.length);
            k += d.length;
        }
        Arrays.sort(all);
        int distinct = 0;
        for (int i = 0; i < total; i++) {
            if (i == 0 || all[i] != all[i - 1]) {
                all[distinct++] = all[i];
            }
        }
        int[] pooledDays = Arrays.copyOf(all, distinct);
        long[] exits = new long[distinct];
        long[] dead = new long[distinct];
        for (int s = 0; s < days.length; s++) {
            for (int i = 0; i < days[s].length; i++) {
                int at = Arrays.binarySearch(pooledDays, days[s][i]);
                dead[at] += deathsPerDay[s][i];
                int exitsToday = 0;
                for (int g = 0; g < levels; g++) {
                    exitsToday += risk[s][g][i] - (i + 1 < days[s].length ? risk[s][g][i + 1] : 0);
                }
                exits[at] += exitsToday;
            }
        }
        double[] sMinus = new double[distinct];
        double surv = 1;
        long atRisk = records;
        double sum = 0;
        for (int i = 0; i < distinct; i++) {
            sMinus[i] = surv;
            sum += dead[i] * (1 - surv);
            if (atRisk > 0) {
                surv *= (double) (atRisk - dead[i]) / atRisk;
            }
            atRisk -= exits[i];
        }
        double centre = sum / events;
        double[][] g = new double[days.length][];
        for (int s = 0; s < days.length; s++) {
            g[s] = new double[days[s].length];
            for (int i = 0; i < days[s].length; i++) {
                g[s][i] = 1 - sMinus[Arrays.binarySearch(pooledDays, days[s][i])] - centre;
            }
        }
        return g;
    }
}
