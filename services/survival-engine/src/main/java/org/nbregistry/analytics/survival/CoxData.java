package org.nbregistry.analytics.survival;

import java.util.HashMap;
import java.util.Map;

/**
 * Per-record input of a Cox model: follow-up time, status (1 event, 0 censored), the covariate
 * design, and optionally a stratum and a cluster (patient) code per record. Arrays are copied in,
 * so the value cannot change after construction. Times are compared exactly (R's timefix, which
 * merges times differing only by floating-point noise, matters only for non-integer times).
 *
 * @param strata  stratum code per record (any ints; equal codes share a baseline hazard), or null
 * @param cluster cluster code per record (any ints, e.g. patient numbers) for the robust (sandwich)
 *                variance, or null
 */
public record CoxData(double[] time, int[] status, CoxDesign design, int[] strata, int[] cluster) {

    public CoxData {
        int n = time.length;
        if (status.length != n || design.rows() != n || (strata != null && strata.length != n)
                || (cluster != null && cluster.length != n)) {
            throw new IllegalArgumentException("time, status, design, strata and cluster must have one entry per record");
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(time[i]) || (status[i] != 0 && status[i] != 1)) {
                throw new IllegalArgumentException("record " + i + ": time must be finite and status 0 or 1");
            }
        }
        time = time.clone();
        status = status.clone();
        strata = strata == null ? null : strata.clone();
        cluster = cluster == null ? null : cluster.clone();
    }

    /** Integer follow-up days, no strata, no clusters. */
    public static CoxData of(int[] days, int[] status, CoxDesign design) {
        double[] t = new double[days.length];
        for (int i = 0; i < days.length; i++) {
            t[i] = days[i];
        }
        return new CoxData(t, status, design, null, null);
    }

    public static CoxData of(double[] time, int[] status, CoxDesign design) {
        return new CoxData(time, status, design, null, null);
    }

    public CoxData withStrata(int[] codes) {
        return new CoxData(time, status, design, codes, cluster);
    }

    /** Strata from labels (records with equal labels share a baseline hazard). */
    public CoxData withStrata(String[] labels) {
        return withStrata(codes(labels));
    }

    public CoxData withCluster(int[] codes) {
        return new CoxData(time, status, design, strata, codes);
    }

    /** Clusters from ids, e.g. patient ids: the robust variance sums score residuals per id. */
    public CoxData withCluster(String[] ids) {
        return withCluster(codes(ids));
    }

    public int size() {
        return time.length;
    }

    @Override
    public double[] time() {
        return time.clone();
    }

    @Override
    public int[] status() {
        return status.clone();
    }

    @Override
    public int[] strata() {
        return strata == null ? null : strata.clone();
    }

    @Override
    public int[] cluster() {
        return cluster == null ? null : cluster.clone();
    }

    /** Dense codes 0..k−1 in order of first appearance. */
    static int[] codes(String[] labels) {
        Map<String, Integer> seen = new HashMap<>();
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = seen.computeIfAbsent(labels[i], k -> seen.size());
        }
        return out;
    }
}
