package org.nbregistry.analytics.survival;

import java.util.Arrays;

/**
 * Per-record Cox partial likelihood and its by-products, on records sorted by stratum and time, with
 * the covariates centred and scaled as R's coxfit6 does (columns that are not all in {−1, 0, 1} are
 * centred on their mean and scaled by n / Σ|x − mean|; the Newton path is the same in any scale).
 * Everything here works in that internal scale; {@link Cox} converts back.
 */
final class CoxRecords implements CoxNewton.Likelihood {

    final int n;
    final int p;
    final boolean efron;
    /** Sorted by (stratum, time) ascending. */
    final double[] time;
    final int[] status;
    final int[] stratum;
    /** Cluster code per sorted record, or null. */
    final int[] cluster;
    /** Centred and scaled covariates, row-major n×p, sorted order. */
    final double[] x;
    final double[] mean;
    final double[] scale;
    /** Tie groups (same stratum and time): group g is sorted records [groupStart[g], groupStart[g+1]). */
    final int[] groupStart;
    final int groups;
    final int events;

    private final double[] a;
    private final double[] a2;
    private final double[] cmat;
    private final double[] cmat2;
    private final double[] eta;

    CoxRecords(CoxData data, Cox.Ties ties) {
        this.n = data.size();
        this.p = data.design().columns();
        this.efron = ties == Cox.Ties.EFRON;
        double[] t0 = data.time();
        int[] s0 = data.status();
        int[] st0 = data.strata();
        int[] cl0 = data.cluster();
        int[] order = CoxRecords.sortOrder(t0, st0);
        time = new double[n];
        status = new int[n];
        stratum = new int[n];
        cluster = cl0 == null ? null : new int[n];
        x = new double[n * p];
        double[] raw = data.design().matrix();
        int ev = 0;
        for (int k = 0; k < n; k++) {
            int i = order[k];
            time[k] = t0[i];
            status[k] = s0[i];
            ev += s0[i];
            stratum[k] = st0 == null ? 0 : st0[i];
            if (cluster != null) {
                cluster[k] = cl0[i];
            }
            System.arraycopy(raw, i * p, x, k * p, p);
        }
        events = ev;
        if (cluster != null) {
            denseCodes(cluster);
        }
        mean = new double[p];
        scale = new double[p];
        centreAndScale();
        int[] starts = new int[n + 1];
        int g = 0;
        for (int k = 0; k < n; k++) {
            if (k == 0 || stratum[k] != stratum[k - 1] || time[k] != time[k - 1]) {
                starts[g++] = k;
            }
        }
        starts[g] = n;
        groups = g;
        groupStart = Arrays.copyOf(starts, g + 1);
        a = new double[p];
        a2 = new double[p];
        cmat = new double[p * p];
        cmat2 = new double[p * p];
        eta = new double[n];
    }

    /** coxfit6's scaling: a column with values outside {−1, 0, 1} is centred and scaled by n / Σ|x − mean|. */
    private void centreAndScale() {
        for (int j = 0; j < p; j++) {
            boolean zeroOne = true;
            double sum = 0;
            for (int k = 0; k < n; k++) {
                double v = x[k * p + j];
                sum += v;
                if (v != 0 && v != 1 && v != -1) {
                    zeroOne = false;
                }
            }
            if (zeroOne) {
                mean[j] = 0;
                scale[j] = 1;
                continue;
            }
            double m = sum / n;
            double abs = 0;
            for (int k = 0; k < n; k++) {
                double v = x[k * p + j] - m;
                x[k * p + j] = v;
                abs += Math.abs(v);
            }
            double s = abs > 0 ? n / abs : 1.0;
            for (int k = 0; k < n; k++) {
                x[k * p + j] *= s;
            }
            mean[j] = m;
            scale[j] = s;
        }
    }

    /** Indices ordered by stratum, then time (stable merge sort on primitives). */
    static int[] sortOrder(double[] time, int[] strata) {
        int n = time.length;
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        int[] tmp = new int[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n - width; lo += 2 * width) {
                int mid = lo + width;
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    int a = idx[i];
                    int b = idx[j];
                    int sa = strata == null ? 0 : strata[a];
                    int sb = strata == null ? 0 : strata[b];
                    boolean takeRight = sb < sa || (sb == sa && time[b] < time[a]);
                    tmp[k++] = takeRight ? idx[j++] : idx[i++];
                }
                while (i < mid) {
                    tmp[k++] = idx[i++];
                }
                while (j < hi) {
                    tmp[k++] = idx[j++];
                }
                System.arraycopy(tmp, lo, idx, lo, hi - lo);
            }
        }
        return idx;
    }

    @Override
    public int dimension() {
        return p;
    }

    private void linearPredictor(double[] beta) {
        for (int k = 0; k < n; k++) {
            double s = 0;
            int base = k * p;
            for (int j = 0; j < p; j++) {
                s += beta[j] * x[base + j];
            }
            eta[k] = s;
        }
    }

    /** Log partial likelihood, score and information (Breslow or Efron ties); coxfit6_iter. */
    @Override
    public double evaluate(double[] beta, double[] u, double[] imat) {
        linearPredictor(beta);
        Arrays.fill(u, 0);
        Arrays.fill(imat, 0);
        double loglik = 0;
        double denom = 0;
        for (int g = groups - 1; g >= 0; g--) {
            int lo = groupStart[g];
            int hi = groupStart[g + 1];
            if (g == groups - 1 || stratum[hi] != stratum[lo]) {
                denom = 0;
                Arrays.fill(a, 0);
                Arrays.fill(cmat, 0);
            }
            int ndead = 0;
            double denom2 = 0;
            Arrays.fill(a2, 0);
            Arrays.fill(cmat2, 0);
            for (int k = hi - 1; k >= lo; k--) {
                double risk = Math.exp(eta[k]);
                int base = k * p;
                if (status[k] == 0) {
                    denom += risk;
                    addRisk(a, cmat, base, risk);
                } else {
                    ndead++;
                    denom2 += risk;
                    loglik += eta[k];
                    for (int i = 0; i < p; i++) {
                        u[i] += x[base + i];
                    }
                    addRisk(a2, cmat2, base, risk);
                }
            }
            if (ndead == 0) {
                continue;
            }
            if (!efron || ndead == 1) {
                // Breslow: every death sees the full risk set
                denom += denom2;
                loglik -= ndead * Math.log(denom);
                for (int i = 0; i < p; i++) {
                    a[i] += a2[i];
                }
                for (int i = 0; i < p * p; i++) {
                    cmat[i] += cmat2[i];
                }
                accumulate(u, imat, denom, ndead);
            } else {
                // Efron: the k-th of d tied deaths sees the deaths weighted (d−k)/d
                for (int k = 0; k < ndead; k++) {
                    denom += denom2 / ndead;
                    loglik -= Math.log(denom);
                    for (int i = 0; i < p; i++) {
                        a[i] += a2[i] / ndead;
                    }
                    for (int i = 0; i < p * p; i++) {
                        cmat[i] += cmat2[i] / ndead;
                    }
                    accumulate(u, imat, denom, 1);
                }
            }
        }
        return loglik;
    }

    private void addRisk(double[] sx, double[] sxx, int base, double risk) {
        for (int i = 0; i < p; i++) {
            double xi = risk * x[base + i];
            sx[i] += xi;
            int row = i * p;
            for (int j = 0; j <= i; j++) {
                sxx[row + j] += xi * x[base + j];
            }
        }
    }

    /** u −= w·mean, imat += w·(cmat/denom − mean mean'), mean = a/denom (lower triangle of cmat). */
    private void accumulate(double[] u, double[] imat, double denom, double w) {
        for (int i = 0; i < p; i++) {
            double mi = a[i] / denom;
            u[i] -= w * mi;
            for (int j = 0; j <= i; j++) {
                double v = w * (cmat[i * p + j] - mi * a[j]) / denom;
                imat[i * p + j] += v;
                if (j != i) {
                    imat[j * p + i] += v;
                }
            }
        }
    }

    /**
     * Score residuals at beta (rows in sorted order, internal scale), O(n·p): for record i,
     * δ_i (x_i − x̄(t_i)) − r_i Σ_{t ≤ t_i} (x_i − x̄(t)) dΛ(t), with Efron's tied deaths sharing the
     * pseudo risk sets (a death at t is in the k-th one with weight (d−k)/d); survival's coxscore2.
     */
    double[] scoreResiduals(double[] beta) {
        linearPredictor(beta);
        double[] hz = new double[groups];           // Σ dλ at the group's time
        double[] hzDeath = new double[groups];      // Σ (1 − k/d) dλ, for the deaths (Efron)
        double[] mz = new double[groups * p];       // Σ mean dλ
        double[] mzDeath = new double[groups * p];  // Σ (1 − k/d) mean dλ
        double[] xbar = new double[groups * p];     // mean of the means, for the deaths' own term
        double[] s1 = new double[p];
        double[] s1d = new double[p];
        double s0 = 0;
        for (int g = groups - 1; g >= 0; g--) {
            int lo = groupStart[g];
            int hi = groupStart[g + 1];
            if (g == groups - 1 || stratum[hi] != stratum[lo]) {
                s0 = 0;
                Arrays.fill(s1, 0);
            }
            int nd = 0;
            double s0d = 0;
            Arrays.fill(s1d, 0);
            for (int k = lo; k < hi; k++) {
                double r = Math.exp(eta[k]);
                s0 += r;
                for (int j = 0; j < p; j++) {
                    s1[j] += r * x[k * p + j];
                }
                if (status[k] == 1) {
                    nd++;
                    s0d += r;
                    for (int j = 0; j < p; j++) {
                        s1d[j] += r * x[k * p + j];
                    }
                }
            }
            if (nd == 0) {
                continue;
            }
            if (!efron || nd == 1) {
                double dl = nd / s0;
                hz[g] = dl;
                hzDeath[g] = dl;
                for (int j = 0; j < p; j++) {
                    double m = s1[j] / s0;
                    mz[g * p + j] = m * dl;
                    mzDeath[g * p + j] = m * dl;
                    xbar[g * p + j] = m;
                }
            } else {
                for (int k = 0; k < nd; k++) {
                    double c = (double) k / nd;
                    double dk = s0 - c * s0d;
                    double dl = 1.0 / dk;
                    hz[g] += dl;
                    hzDeath[g] += (1 - c) * dl;
                    for (int j = 0; j < p; j++) {
                        double m = (s1[j] - c * s1d[j]) / dk;
                        mz[g * p + j] += m * dl;
                        mzDeath[g * p + j] += (1 - c) * m * dl;
                        xbar[g * p + j] += m / nd;
                    }
                }
            }
        }
        double[] resid = new double[n * p];
        double cumH = 0;
        double[] cumM = new double[p];
        for (int g = 0; g < groups; g++) {
            int lo = groupStart[g];
            int hi = groupStart[g + 1];
            if (g == 0 || stratum[lo] != stratum[lo - 1]) {
                cumH = 0;
                Arrays.fill(cumM, 0);
            }
            for (int k = lo; k < hi; k++) {
                double r = Math.exp(eta[k]);
                boolean dead = status[k] == 1;
                double h = cumH + (dead ? hzDeath[g] : hz[g]);
                for (int j = 0; j < p; j++) {
                    double xv = x[k * p + j];
                    double m = cumM[j] + (dead ? mzDeath[g * p + j] : mz[g * p + j]);
                    double v = -r * (xv * h - m);
                    if (dead) {
                        v += xv - xbar[g * p + j];
                    }
                    resid[k * p + j] = v;
                }
            }
            cumH += hz[g];
            for (int j = 0; j < p; j++) {
                cumM[j] += mz[g * p + j];
            }
        }
        return resid;
    }

    /** Replaces arbitrary int codes (e.g. patient numbers) by 0..k−1, so per-cluster sums need k rows. */
    private static void denseCodes(int[] codes) {
        int[] sorted = codes.clone();
        Arrays.sort(sorted);
        int k = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                sorted[k++] = sorted[i];
            }
        }
        int[] distinct = Arrays.copyOf(sorted, k);
        for (int i = 0; i < codes.length; i++) {
            codes[i] = Arrays.binarySearch(distinct, codes[i]);
        }
    }

    /** Sum of per-record rows of {@code rows} (n×p) within each cluster (each record its own without clusters). */
    double[] collapse(double[] rows, int[] codes) {
        if (codes == null) {
            return rows;
        }
        int max = -1;
        for (int c : codes) {
            max = Math.max(max, c);
        }
        double[] out = new double[(max + 1) * p];
        for (int k = 0; k < n; k++) {
            int c = codes[k];
            for (int j = 0; j < p; j++) {
                out[c * p + j] += rows[k * p + j];
            }
        }
        return out;
    }

    /**
     * The quantities cox.zph's score test needs (survival's zph1): with g(t) the km-transformed time
     * centred on its mean over events, the score for the added terms x·g(t) at (β̂, 0) and the full
     * 2p×2p information of (β, γ), Breslow or Efron.
     *
     * @param uGamma out, p
     * @param imat   out, 2p×2p row-major
     */
    void zph(double[] beta, double[] uGamma, double[] imat) {
        double[] g = kmTransformedTime();
        linearPredictor(beta);
        int q = 2 * p;
        Arrays.fill(uGamma, 0);
        Arrays.fill(imat, 0);
        double[] meanStep = new double[p];
        double denom = 0;
        for (int grp = groups - 1; grp >= 0; grp--) {
            int lo = groupStart[grp];
            int hi = groupStart[grp + 1];
            if (grp == groups - 1 || stratum[hi] != stratum[lo]) {
                denom = 0;
                Arrays.fill(a, 0);
                Arrays.fill(cmat, 0);
            }
            double gt = g[lo];
            int ndead = 0;
            double denom2 = 0;
            Arrays.fill(a2, 0);
            Arrays.fill(cmat2, 0);
            for (int k = hi - 1; k >= lo; k--) {
                double risk = Math.exp(eta[k]);
                int base = k * p;
                if (status[k] == 0) {
                    denom += risk;
                    addRisk(a, cmat, base, risk);
                } else {
                    ndead++;
                    denom2 += risk;
                    for (int i = 0; i < p; i++) {
                        uGamma[i] += gt * x[base + i];
                    }
                    addRisk(a2, cmat2, base, risk);
                }
            }
            if (ndead == 0) {
                continue;
            }
            int steps = (!efron || ndead == 1) ? 1 : ndead;
            double w = steps == 1 ? ndead : 1;
            for (int s = 0; s < steps; s++) {
                double add = steps == 1 ? 1.0 : 1.0 / ndead;
                denom += denom2 * add;
                for (int i = 0; i < p; i++) {
                    a[i] += a2[i] * add;
                }
                for (int i = 0; i < p * p; i++) {
                    cmat[i] += cmat2[i] * add;
                }
                for (int i = 0; i < p; i++) {
                    meanStep[i] = a[i] / denom;
                    uGamma[i] -= gt * w * meanStep[i];
                }
                for (int i = 0; i < p; i++) {
                    for (int j = 0; j <= i; j++) {
                        double v = w * (cmat[i * p + j] - meanStep[i] * a[j]) / denom;
                        addSymmetric(imat, q, i, j, v);
                        addSymmetric(imat, q, i, p + j, v * gt);
                        if (i != j) {
                            addSymmetric(imat, q, j, p + i, v * gt);
                        }
                        addSymmetric(imat, q, p + i, p + j, v * gt * gt);
                    }
                }
            }
        }
    }

    private static void addSymmetric(double[] m, int q, int i, int j, double v) {
        m[i * q + j] += v;
        if (i != j) {
            m[j * q + i] += v;
        }
    }

    /** 1 − KM(t−) over all records (strata ignored, as cox.zph), centred on its mean over the events. */
    private double[] kmTransformedTime() {
        int[] byTime = sortOrder(time, null);
        double[] sMinusAt = new double[n];
        double surv = 1;
        int atRisk = n;
        int k = 0;
        while (k < n) {
            double t = time[byTime[k]];
            int e = k;
            int d = 0;
            while (e < n && time[byTime[e]] == t) {
                d += status[byTime[e]];
                e++;
            }
            for (int m = k; m < e; m++) {
                sMinusAt[byTime[m]] = surv;
            }
            surv *= (double) (atRisk - d) / atRisk;
            atRisk -= e - k;
            k = e;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            if (status[i] == 1) {
                sum += 1 - sMinusAt[i];
            }
        }
        double centre = sum / events;
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = 1 - sMinusAt[i] - centre;
        }
        return g;
    }
}
