package org.nbregistry.analytics.survival;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Harrell's concordance of a risk score with survival, as R's coxph reports it ({@code fit$concordance}:
 * {@code concordancefit(y, fit$linear.predictors, strata, cluster = ..., reverse = TRUE)}, time weight "n").
 *
 * <p>A pair is comparable when the earlier of the two is an event (a record censored at the time of an event counts
 * as later, R's convention); it is concordant when the earlier one has the higher risk score, discordant when the
 * lower, tied on the score otherwise. Two events at the same time are tied on time (counted, not used). Pairs are only
 * formed within a stratum. C = (concordant + tiedRisk / 2) / (concordant + discordant + tiedRisk).
 *
 * <p>The standard error is R's infinitesimal jackknife: each record's dfbeta is
 * ((c_i − d_i) − somer·(c_i + d_i + t_i)) / npair from the pairs it takes part in; the variance of Somers' d is the sum
 * of their squares (summed within clusters first), and C's is a quarter of it.
 *
 * <p>Input is by unit: a unit stands for {@code weight} identical records (same time, status, score, stratum and
 * cluster), so that an analysis tabulated by day and level costs O(cells · log levels), not O(records).
 *
 * @param concordant pairs ordered as the scores predict
 * @param discordant pairs ordered against them
 * @param tiedRisk   comparable pairs with equal scores (R's tied.x)
 * @param tiedTime   pairs of events at the same time with different scores (tied.y)
 * @param tiedBoth   pairs of events at the same time with equal scores (tied.xy)
 * @param value      the concordance, NaN without comparable pairs
 * @param stdErr     its standard error (R's sqrt(var)), NaN without comparable pairs
 */
public record Concordance(double concordant, double discordant, double tiedRisk, double tiedTime, double tiedBoth,
                          double value, double stdErr) {

    /** One record per entry (weights 1); strata and cluster may be null. */
    public static Concordance of(double[] time, int[] status, double[] risk, int[] strata, int[] cluster) {
        int[] ones = new int[time.length];
        Arrays.fill(ones, 1);
        return of(time, status, risk, ones, strata, cluster);
    }

    /**
     * Scores on a grid of 1e-9: a fit's coefficients are determined only to its convergence criterion, so scores that
     * differ by less are tied. Without it, a coefficient that is 0 for a fit started from 0 but -4e-17 for one started
     * from the previous estimate would turn every tie between two levels into a concordant or discordant pair.
     */
    private static double[] onGrid(double[] risk) {
        double[] score = new double[risk.length];
        for (int i = 0; i < risk.length; i++) {
            score[i] = Math.rint(risk[i] * 1e9) / 1e9;
        }
        return score;
    }

    /**
     * @param weight  identical records per unit (positive)
     * @param strata  stratum code per unit, or null
     * @param cluster cluster code per unit (robust variance by cluster, R's cluster = ), or null for one cluster per record
     */
    public static Concordance of(double[] time, int[] status, double[] risk, int[] weight, int[] strata, int[] cluster) {
        int n = time.length;
        if (status.length != n || risk.length != n || weight.length != n || (strata != null && strata.length != n)
                || (cluster != null && cluster.length != n)) {
            throw new IllegalArgumentException("time, status, risk, weight, strata and cluster need one entry per unit");
        }
        double[][] influence = new double[3][n];   // concordant, discordant, tied on the score, per record of the unit
        double[] totals = new double[5];
        Map<Integer, IntList> byStratum = new HashMap<>();
        for (int i = 0; i < n; i++) {
            byStratum.computeIfAbsent(strata == null ? 0 : strata[i], k -> new IntList()).add(i);
        }
        double[] score = onGrid(risk);
        for (IntList units : byStratum.values()) {
            count(units.toArray(), time, status, score, weight, influence, totals);
        }
        double npair = totals[0] + totals[1] + totals[2];
        if (npair == 0) {
            return new Concordance(totals[0], totals[1], totals[2], totals[3], totals[4], Double.NaN, Double.NaN);
        }
        double somer = (totals[0] - totals[1]) / npair;
        double var = 0;
        int[] clusterIndex = cluster == null ? null : denseCodes(cluster);
        double[] byCluster = cluster == null ? null : new double[n];
        for (int i = 0; i < n; i++) {
            double d = ((influence[0][i] - influence[1][i]) - somer * (influence[0][i] + influence[1][i] + influence[2][i])) / npair;
            if (byCluster == null) {
                var += weight[i] * d * d;
            } else {
                byCluster[clusterIndex[i]] += weight[i] * d;
            }
        }
        if (byCluster != null) {
            for (double d : byCluster) {
                var += d * d;
            }
        }
        return new Concordance(totals[0], totals[1], totals[2], totals[3], totals[4], (totals[0] + totals[2] / 2) / npair,
                Math.sqrt(var / 4));
    }

    /**
     * A categorical model's concordance from day counts: the score of level g is {@code beta[g − 1]} (0 for the
     * reference), as R's linear predictor ranks the records of coxph(Surv(t, s) ~ group [+ strata(s)]).
     */
    public static Concordance ofLevels(StratifiedCounts counts, double[] beta) {
        IntList day = new IntList();
        IntList status = new IntList();
        IntList level = new IntList();
        IntList weight = new IntList();
        IntList stratum = new IntList();
        GroupedCounts[] per = counts.perStratum();
        for (int s = 0; s < per.length; s++) {
            GroupedCounts c = per[s];
            for (int g = 0; g < c.groupCount(); g++) {
                for (int i = 0; i < c.dayCount(); i++) {
                    for (int st = 0; st <= 1; st++) {
                        int w = st == 1 ? c.events()[g][i] : c.censored()[g][i];
                        if (w > 0) {
                            day.add(c.days()[i]);
                            status.add(st);
                            level.add(g);
                            weight.add(w);
                            stratum.add(s);
                        }
                    }
                }
            }
        }
        int m = day.size();
        double[] t = new double[m];
        double[] r = new double[m];
        for (int i = 0; i < m; i++) {
            t[i] = day.get(i);
            int g = level.get(i);
            r[i] = g == 0 || Double.isNaN(beta[g - 1]) ? 0 : beta[g - 1];
        }
        return of(t, status.toArray(), r, weight.toArray(), stratum.toArray(), null);
    }

    /** As {@link #ofLevels(StratifiedCounts, double[])} without strata. */
    public static Concordance ofLevels(GroupedCounts counts, double[] beta) {
        return ofLevels(new StratifiedCounts(counts.groups(), new String[] {""}, new GroupedCounts[] {counts}), beta);
    }

    /** A fitted per-record model's concordance: scores X·β (aliased coefficients count as 0, as R's NA). */
    public static Concordance ofFit(CoxData data, CoxFit fit) {
        CoxDesign x = data.design();
        double[] beta = fit.warmStart();
        double[] lp = new double[data.size()];
        for (int i = 0; i < lp.length; i++) {
            double v = 0;
            for (int j = 0; j < beta.length; j++) {
                if (fit.terms().get(j).status() != CoxFit.TermStatus.ALIASED) {
                    v += x.value(i, j) * beta[j];
                }
            }
            lp[i] = v;
        }
        return of(data.time(), data.status(), lp, data.strata(), data.cluster());
    }

    /** One stratum: the pairs of the units {@code idx}, accumulated into the per-unit influence and the totals. */
    private static void count(int[] idx, double[] time, int[] status, double[] risk, int[] weight, double[][] influence,
                              double[] totals) {
        // + 0.0 makes -0.0 equal to 0.0, as R compares scores.
        double[] distinct = Arrays.stream(idx).mapToDouble(i -> risk[i] + 0.0).sorted().distinct().toArray();
        int m = idx.length;
        int[] rank = new int[m];
        for (int k = 0; k < m; k++) {
            rank[k] = Arrays.binarySearch(distinct, risk[idx[k]] + 0.0);
        }
        int[] order = byTime(idx, time);
        // Units grouped by time: [start[g], start[g + 1]) in ascending time.
        IntList starts = new IntList();
        for (int k = 0; k < m; k++) {
            if (k == 0 || time[idx[order[k]]] != time[idx[order[k - 1]]]) {
                starts.add(k);
            }
        }
        starts.add(m);
        int groups = starts.size() - 1;
        // Earlier member: each event against the records after it (later times, and those censored at its time).
        Fenwick later = new Fenwick(distinct.length);
        for (int g = groups - 1; g >= 0; g--) {
            int from = starts.get(g);
            int to = starts.get(g + 1);
            for (int k = from; k < to; k++) {
                int u = idx[order[k]];
                if (status[u] == 0) {
                    later.add(rank[order[k]], weight[u]);
                }
            }
            Map<Integer, Double> eventsByRank = new HashMap<>();
            double events = 0;
            for (int k = from; k < to; k++) {
                int u = idx[order[k]];
                if (status[u] == 1) {
                    int r = rank[order[k]];
                    double below = later.prefix(r - 1);
                    double equal = later.prefix(r) - below;
                    double above = later.total() - below - equal;
                    influence[0][u] += below;
                    influence[1][u] += above;
                    influence[2][u] += equal;
                    totals[0] += weight[u] * below;
                    totals[1] += weight[u] * above;
                    totals[2] += weight[u] * equal;
                    eventsByRank.merge(r, (double) weight[u], Double::sum);
                    events += weight[u];
                }
            }
            for (Map.Entry<Integer, Double> e : eventsByRank.entrySet()) {
                double same = e.getValue();
                totals[3] += same * (events - same) / 2;
                totals[4] += same * (same - 1) / 2;
            }
            for (int k = from; k < to; k++) {
                int u = idx[order[k]];
                if (status[u] == 1) {
                    later.add(rank[order[k]], weight[u]);
                }
            }
        }
        // Later member: each record against the events before it (earlier times; for a censored one, also at its time).
        Fenwick earlierEvents = new Fenwick(distinct.length);
        for (int g = 0; g < groups; g++) {
            int from = starts.get(g);
            int to = starts.get(g + 1);
            for (int pass = 1; pass >= 0; pass--) {
                for (int k = from; k < to; k++) {
                    int u = idx[order[k]];
                    if (status[u] == pass) {
                        int r = rank[order[k]];
                        double below = earlierEvents.prefix(r - 1);
                        double equal = earlierEvents.prefix(r) - below;
                        double above = earlierEvents.total() - below - equal;
                        influence[0][u] += above;
                        influence[1][u] += below;
                        influence[2][u] += equal;
                    }
                }
                if (pass == 1) {
                    for (int k = from; k < to; k++) {
                        int u = idx[order[k]];
                        if (status[u] == 1) {
                            earlierEvents.add(rank[order[k]], weight[u]);
                        }
                    }
                }
            }
        }
    }

    /** Codes 0..k−1 for any int codes (their ranks among the distinct values). */
    private static int[] denseCodes(int[] codes) {
        int[] distinct = Arrays.stream(codes).sorted().distinct().toArray();
        int[] out = new int[codes.length];
        for (int i = 0; i < codes.length; i++) {
            out[i] = Arrays.binarySearch(distinct, codes[i]);
        }
        return out;
    }

    /** Positions 0..m−1 of {@code idx} in ascending time: a counting sort on the ranks of the distinct times. */
    private static int[] byTime(int[] idx, double[] time) {
        int m = idx.length;
        double[] distinct = new double[m];
        for (int k = 0; k < m; k++) {
            distinct[k] = time[idx[k]];
        }
        Arrays.sort(distinct);
        int d = 0;
        for (int k = 0; k < m; k++) {
            if (k == 0 || distinct[k] != distinct[d - 1]) {
                distinct[d++] = distinct[k];
            }
        }
        int[] start = new int[d + 1];
        int[] rank = new int[m];
        for (int k = 0; k < m; k++) {
            rank[k] = Arrays.binarySearch(distinct, 0, d, time[idx[k]]);
            start[rank[k] + 1]++;
        }
        for (int r = 0; r < d; r++) {
            start[r + 1] += start[r];
        }
        int[] order = new int[m];
        for (int k = 0; k < m; k++) {
            order[start[rank[k]]++] = k;
        }
        return order;
    }

    /** Sums of weights by score rank. */
    private static final class Fenwick {
        private final double[] tree;
        private double total;

        Fenwick(int size) {
            tree = new double[size + 1];
        }

        void add(int rank, double w) {
            total += w;
            for (int i = rank + 1; i < tree.length; i += i & -i) {
                tree[i] += w;
            }
        }

        /** Sum over ranks 0..rank (0 for rank &lt; 0). */
        double prefix(int rank) {
            double s = 0;
            for (int i = rank + 1; i > 0; i -= i & -i) {
                s += tree[i];
            }
            return s;
        }

        double total() {
            return total;
        }
    }

    private static final class IntList {
        private int[] values = new int[16];
        private int size;

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int get(int i) {
            return values[i];
        }

        int size() {
            return size;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
